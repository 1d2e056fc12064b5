# %% [markdown]
# # 16 · Attention and Transformers
#
# **By the end of this lesson you will be able to**
# - explain **attention** as a weighted sum of all the encoder's hidden states, and compute
#   the weights (the **alignment**) of one decoder step;
# - train an encoder-decoder with attention to rewrite dates in ISO format, read its
#   attention heatmaps, and compare it with the best model of chapter 15;
# - compute **scaled dot-product attention** softmax(QKᵀ/√d)V, say why it divides by √d,
#   and apply causal and padding **masks**;
# - describe **multi-head** self-attention, the sinusoidal **positional encoding**, and a
#   **Transformer encoder** block (attention, feed-forward net, residuals, layer norm);
# - train a small Transformer encoder to reverse and sort digits, and see why it needs
#   the positions.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | attention (mechanism) | アテンション (Attention Mechanism, 注目) |
# | encoder-decoder, seq2seq | Encoder-Decoder, seq2seq |
# | weighted sum of the hidden-layer outputs | 中間層出力の重み付き和 |
# | alignment (which input goes with which output) | 入力と出力の単語の関連度 (対応) |
# | self-attention, cross-attention | Self-attention, cross-attention |
# | query, key, value | クエリ, キー, バリュー |
# | position information (positional encoding) | 位置情報 |
# | feed-forward network | フィードフォワードNN |
# | residual connection | Residual Connection (残差接続) |
# | pre-trained model (BERT, GPT) | 事前学習モデル |
#
# **Slides followed:** seed 003 §9.5 (Encoder-Decoder; Encoder-Decoder + Attention: "a
# weighted sum of every hidden-layer output of the encoder, the information of which part
# of the input to look at"; Transformer: self-attention + a feed-forward NN), seed 001
# §7.3.3 (3/3) (slide 27: the Transformer encoder and decoder, position information, the
# "+" boxes, repeated N times), seed 004 (Attention Mechanism; GNMT).

# %%
import numpy as np

from dlcourse import attention, experiments, plots, transformer, widgets

aex = experiments.attention

# %% [markdown]
# ## 1. One vector is a bottleneck
#
# The encoder-decoder of chapter 15 reads the whole question and hands the decoder one
# vector, its last hidden state. Seed 004 names the problem: *long sentences are hard*,
# because everything the decoder will need has to fit into that one fixed-size vector,
# however long the input was.
#
# **Attention** lets the decoder look back. The encoder keeps *all* its hidden states
# $\mathbf{h}_1, \dots, \mathbf{h}_T$. At every output step the decoder compares its own
# state $\mathbf{s}$ with each of them, turns the scores into weights that sum to 1, and
# reads the **weighted sum** (seed 003 §9.5: "the weighted sum of every hidden-layer output
# of the encoder — which part of the input to look at"):
#
# $$e_t = \mathbf{h}_t \cdot \mathbf{s}, \qquad a_t = \frac{\exp(e_t)}{\sum_{t'} \exp(e_{t'})},
#   \qquad \mathbf{c} = \sum_t a_t\, \mathbf{h}_t$$
#
# The weights $a_t$ are the **alignment**: which input positions go with this output
# (seed 004: the model learns "which input and output words are related"). Here are three
# hand-made encoder states and a decoder state that points the same way as the second:

# %%
print(aex.toy_alignment())

# %% [markdown]
# `attention.AttentionWeight` computes the weights and `attention.WeightSum` the context
# $\mathbf{c}$ for one decoder step, with backward passes (exercises 16.1 and 16.2 ask you
# to write them). `attention.DotAttention` does the same for every decoder step at once as
# two matrix products, and `attention.AdditiveAttention` scores with a small network
# instead of a dot product, as Bahdanau et al. did:
# $e_{it} = \mathbf{v} \cdot \tanh(\mathbf{h}_t W_e + \mathbf{s}_i W_d + \mathbf{b})$.
#
# The decoder then predicts the next character from $[\mathbf{c}_i, \mathbf{s}_i]$. The
# context is a different vector at every step, so nothing has to squeeze through one
# state.
#
# ## 2. The task: dates in any format, written the ISO way
#
# `datasets.dates` writes random dates between 1950 and 2049 in 14 human formats, in lower,
# Title or UPPER case, and asks for the ISO form YYYY-MM-DD. Two-digit years 50-99 mean
# 19xx and 00-49 mean 20xx; "/" with the year last is the US order, "." and "-" the
# European one. Each character is one token.

# %%
print(aex.date_examples())

# %% [markdown]
# ## 3. An encoder-decoder with attention
#
# `attention.AttentionSeq2Seq` is chapter 15's LSTM encoder (embeddings of 16, LSTM of 64)
# with a decoder that attends over all encoder states (dot-product scores). Two details
# make it train in seconds:
#
# - **Padding is masked.** Questions are padded with spaces to 32 characters; the attention
#   never looks at the padding, and the decoder starts from the encoder's state at each
#   question's *last real* character. Padding then changes nothing, so each batch is cut
#   after its longest question.
# - **Batches of similar length** (`attention.length_batches`): a batch of short questions
#   is short, which saves most of the encoder's work.
#
# We train for 800 steps of 64 questions with Adam (learning rate 5e-3, gradients clipped
# at 5) and decode the 2,000 test questions greedily.

# %%
dot = aex.train_dates("dot")
print(dot)

# %% [markdown]
# ## 4. Where did it look? Alignment heatmaps
#
# Row $i$ of a heatmap is the weight vector $a_{i,\cdot}$ the decoder used to write output
# character $i$; the columns are the question's characters. Notice how the year's digits
# look at the year, the month's digits at the month name or number, and the day's at the
# day — in whatever order the format puts them. The century ("19" or "20") looks at the
# decade digit: every date lies between 1950 and 2049, so that digit alone decides it,
# whether the year is written with four digits or two.

# %%
examples = [aex.alignment(17, 0), aex.alignment(8, 1), aex.alignment(24, 0)]
for res in examples:
    print(f"{res.question!r:<30} -> {res.predicted}")

# %%
fig = plots.alignment_examples(examples)

# %%
print(aex.alignment())

# %% [markdown]
# ### Try it: pick a question
#
# The sliders choose a test question by its length and number (the view starts at the
# alignment printed just above).
#
# - For a US date like "10/19/58" and a European one like "19.10.58", does the month's
#   row look at the first or the second number?
# - The weekday ("Sunday, ...") carries no information the date does not: does any
#   output character look at it?
# - The shortest questions (6-8 characters) are the least accurate. Find a wrong answer:
#   where was the model looking?

# %% tags=["nbval-ignore-output"]
widgets.alignment_demo()

# %% [markdown]
# ## 5. Without attention
#
# For comparison, the best model of chapter 15 on the same data: the same encoder, the
# questions fed in reverse, and the **peeky** decoder that sees the encoder's vector at
# every step — but no attention. Same sizes, same 800 steps.

# %%
plain = aex.train_dates("none")
print(plain)

# %%
fig = plots.date_training([dot, plain])

# %% [markdown]
# Both learn, but the model with attention gets there several times faster: it never has
# to store the day and the month in one vector and carry them to the right output step,
# it looks them up when it needs them. Trained long enough, the plain model gets there
# too: the benchmark `benchmarks/attention_dates.py` trains each model to 99% exact match,
# which took about 1,000 steps with attention (dot or additive) and about 5,000 without.
#
# Does the gap grow with the length of the question?

# %%
by_length = aex.accuracy_by_length()
print(by_length)

# %%
fig = plots.attention_by_length(by_length)

# %% [markdown]
# Here it does not: attention wins at every length by about the same margin. A longer date
# string does not hold *more* to remember, only more letters ("Wednesday, September 27,
# 1994" and "9/27/94" are the same three numbers). The attention model's weakest bin is the
# shortest questions, the compact numeric ones, where only the separator tells the month
# from the day. On translation, where a longer sentence does carry more, Bahdanau et al.
# (2015) found the plain encoder-decoder falling off with sentence length while the
# attention model held up — the problem seed 004 describes.
#
# ## 6. Self-attention: every position looks at every position
#
# The Transformer (seed 003, "Transformer"; seed 001 §7.3.3 (3/3)) drops the recurrence and
# keeps the attention. In **self-attention** the queries, keys and values all come from the
# same sequence: every position builds its new representation from "its relation to the
# other parts of the input" (seed 001). For inputs $X$ (T × D):
#
# $$Q = X W_Q, \quad K = X W_K, \quad V = X W_V, \qquad
#   \text{Attention}(Q, K, V) = \text{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V$$
#
# Row $i$ of the softmax holds the weights query $i$ gives to every key $j$; the output
# row $i$ is the weighted sum of the values. Why divide by $\sqrt{d}$? For random queries
# and keys with unit-variance entries, $q \cdot k$ is a sum of $d$ terms, so its standard
# deviation is $\sqrt{d}$. Unscaled, large $d$ pushes the softmax to put almost all the
# weight on one key, where its gradient is nearly 0:

# %%
scaling = aex.scaling()
print(scaling)

# %%
fig = plots.attention_scaling(scaling)

# %% [markdown]
# ## 7. Masks
#
# A **mask** says which keys a query may look at (True = allowed). Masked scores are set to
# $-\infty$ before the softmax, so their weight is exactly 0 and the allowed weights still
# sum to 1.
#
# - A **causal mask** (lower triangle) lets position $i$ see only positions $j \le i$. A
#   Transformer *decoder* needs it: while writing word $i$, it must not peek at the words it
#   has not written yet (seed 001: "output words are added one at a time").
# - A **padding mask** hides the padding of shorter sequences in a batch — as the date model
#   did above. A padded *query* then has nothing to look at; `dlcourse` gives it all-zero
#   weights (and a zero output) instead of the `nan` that a softmax of all $-\infty$ would give.

# %%
masked = aex.masked_weights()
print(masked)

# %%
fig = plots.attention_masks(masked)

# %% [markdown]
# `attention.scaled_dot_product_attention(Q, K, V, mask)` is the function (exercise 16.3
# asks you to write it), and `attention.ScaledDotProductAttention` the layer with its
# backward pass: $dV = A^\top\, dO$, $dA = dO\, V^\top$, the softmax backward
# $dS = A \odot (dA - \sum_j dA \odot A)$, then $dQ = dS\, K / \sqrt{d}$ and
# $dK = dS^\top Q / \sqrt{d}$. A masked entry has $A = 0$, so no gradient flows through it.
# The tests compare every one of these with numerical gradients in float64:

# %%
rng = np.random.default_rng(0)
Q, K, V = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 5, 3))
layer = attention.ScaledDotProductAttention()
out = layer.forward(Q, K, V, attention.causal_mask(5)[:3])
print("out", out.shape, "weights", layer.weights.shape)
dQ, dK, dV = layer.backward(np.ones_like(out))
print("dQ", dQ.shape, "dK", dK.shape, "dV", dV.shape)

# %% [markdown]
# ## 8. Many heads, and where the positions come from
#
# **Multi-head attention** runs $h$ attentions side by side on $d_k = D/h$ columns each,
# with their own $W_Q, W_K, W_V$, concatenates the $h$ outputs and mixes them with one more
# matrix $W_O$. Each head can learn its own idea of "relevant" (one may look at the
# neighbour, another at equal digits). `transformer.MultiHeadSelfAttention(D, h)` holds the
# eight parameters $W_Q, b_Q, \dots, W_O, b_O$.
#
# Attention by itself ignores order: shuffle the input rows and the output rows shuffle the
# same way. So the Transformer adds **position information** (seed 001) to the word vectors
# before the first block, the sinusoidal **positional encoding**:
#
# $$PE_{pos,\,2i} = \sin\!\left(\frac{pos}{10000^{2i/d}}\right), \qquad
#   PE_{pos,\,2i+1} = \cos\!\left(\frac{pos}{10000^{2i/d}}\right)$$
#
# Each pair of columns is a clock with its own speed. Two useful properties: the similarity
# of two codes depends only on their distance, and moving $k$ positions on is one fixed
# linear map for every position (a rotation of each sin-cos pair), which attention's
# linear maps can learn.

# %%
codes = aex.positional_codes()
print(codes)

# %%
fig = plots.positional_encoding(codes)

# %% [markdown]
# ## 9. A Transformer encoder block
#
# Seed 001's slide 27 draws the encoder as self-attention and a feed-forward net, each
# followed by a "+" (a residual connection, as in chapter 08), repeated N times.
# `transformer.TransformerEncoderBlock` computes, for $X$ of shape (N, T, D),
#
# $$A = \text{LayerNorm}(X + \text{MultiHead}(X)), \qquad
#   Y = \text{LayerNorm}(A + \text{FFN}(A)),$$
#
# where the feed-forward net $\text{FFN}(x) = \text{ReLU}(x W_1 + b_1) W_2 + b_2$ treats each
# position on its own (attention mixes positions, the FFN mixes features), and
# **layer normalisation** normalises each position's vector over its D features (unlike
# chapter 12's batch norm, which normalises over the batch). The residuals let the gradient
# skip every sub-layer. The decoder on the same slide adds a causal mask to its
# self-attention and a **cross-attention** whose keys and values come from the encoder:
# the attention of sections 1-5.
#
# `transformer.TransformerEncoder` stacks an embedding plus the positional encoding, the
# blocks, and one classifier per position. For tasks where output $t$ depends on the whole
# input — reverse or sort 8 digits — it needs no decoder at all.

# %%
block = transformer.TransformerEncoderBlock(d_model=32, n_heads=2, d_ff=64, rng=0)
x = np.random.default_rng(1).standard_normal((4, 8, 32))
print("block:", x.shape, "->", block.forward(x).shape, "| attention weights", block.weights.shape)
print("parameters per block:", sum(p.size for p in block.params))

# %% [markdown]
# ## 10. A small Transformer reverses and sorts digits
#
# One block, D = 32, two heads, 1,000 steps of 64 sequences (Adam, learning rate 3e-3), on
# 9,000 random strings of 8 digits; tested on 1,000 others. First **reversal**: output
# position $t$ must copy input position $7 - t$.

# %%
rev = aex.train_transformer("reversal")
print(rev)

# %% [markdown]
# **Sorting** is harder: output position $t$ holds the $t$-th smallest digit, which
# depends on every digit of the input.

# %%
srt = aex.train_transformer("sorting")
print(srt)

# %% [markdown]
# And the same sorting model **without the positional encoding**: every output position
# then sees the same bag of digits, so it cannot know which rank it should output.

# %%
nopos = aex.train_transformer("sorting", positional=False)
print(nopos)

# %%
fig = plots.transformer_curves([rev, srt, nopos])

# %% [markdown]
# ### Try it: what the heads look at
#
# Rows are output positions, columns input positions (the view starts at sorting, test
# sequence 0, head 1).
#
# - Switch the task to reversal: the anti-diagonal shows each output position looking at
#   exactly the input position it copies. Do both heads do that?
# - For sorting the weights are spread out. Where does the output "0" look, and the
#   largest digit? (To know the rank of a digit, a position must compare it with all the
#   others: a soft count, not a lookup.)

# %%
print(aex.transformer_attention())

# %% tags=["nbval-ignore-output"]
widgets.transformer_attention_demo()

# %% [markdown]
# ## 11. Attention at scale: GNMT and the Transformer
#
# Google's neural machine translation system GNMT (seed 004) is an encoder-decoder with
# attention like ours, made deep: 8 LSTM layers in the encoder (the first bidirectional)
# and 8 in the decoder, with residual connections from layer 3 on. The attention takes the
# encoder's top layer and the decoder's bottom layer, and its context feeds decoder layers
# 2-8. Trained on several language pairs at once, it even translated between a pair it had
# never seen (zero-shot translation).
#
# The Transformer replaced the recurrence by self-attention, so all positions of a sequence
# are computed at once instead of one after the other. Its encoder (BERT) and decoder
# (GPT) are the pre-trained models that seeds 001 and 003 point to.
#
# ## Summary
#
# - Attention gives the decoder a new context at every step, the weighted sum
#   $\sum_t a_t \mathbf{h}_t$ of all encoder states; the weights are the alignment, and
#   heatmaps show them.
# - On dates, attention reaches over 90% exact match in 800 steps, where chapter 15's best
#   model is still near 20%; its alignment follows the day, month and year wherever the
#   format puts them.
# - Scaled dot-product attention is softmax(QKᵀ/√d)V; the √d keeps the softmax out of
#   saturation; masks set forbidden scores to −∞ (weight exactly 0).
# - A Transformer encoder block is multi-head self-attention and a position-wise
#   feed-forward net, each with a residual connection and layer norm; positional encodings
#   supply the order that attention alone ignores.
#
# **Exercises:** `exercises/16_attention/16_attention.ipynb`: the attention weights and the
# weighted sum with their backward passes, masked scaled dot-product attention, and the
# positional encoding.
