# %% [markdown]
# # 15 · Sequence to sequence
#
# **By the end of this lesson you will be able to**
# - explain how an **encoder** RNN squeezes an input sequence into one **thought vector**
#   and how a **decoder** RNN unfolds it into an output sequence of another length;
# - train an encoder-decoder with **teacher forcing** and say why generating is harder than
#   training;
# - improve it with two tricks, **reversed input** and a **peeky** decoder, and measure the
#   gain on character-level addition;
# - decode **greedily** or by **sampling** at a temperature, and say what the temperature does;
# - describe how HRED and VHRED extend seq2seq to conversations.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | sequence-to-sequence model (seq2seq) | 系列変換モデル (Seq2Seq) |
# | encoder / decoder | エンコーダ / デコーダ (Encoder RNN / Decoder RNN) |
# | token, token ID | トークン, トークンごとの ID |
# | embedding (distributed representation) | Embedding (分散表現ベクトル) |
# | thought vector (final state) | thought vector (final state) |
# | teacher forcing | 教師強制 |
# | greedy decoding / sampling | 貪欲法 / サンプリング |
# | generation probability, temperature | 生成確率, 温度 |
# | machine translation, dialogue | 機械翻訳, 機械対話 |
# | context RNN (HRED), latent variable (VHRED) | Context RNN, 潜在変数 |
#
# **Slides followed:** seed 004, section 系列変換モデル (Seq2Seq: the Encoder RNN with
# Taking, Embedding and the final state as thought vector; the Decoder RNN with Sampling,
# Embedding and Detokenize; HRED and VHRED; the attention section's motivation); seed 003
# §9.5 (Encoder-Decoder: "summarise the input in one representation and generate the output
# from it", Sutskever, Vinyals & Le 2014).

# %%
import numpy as np

from dlcourse import experiments, plots, seq2seq, widgets
from dlcourse.gradients import numerical_gradient

s2s = experiments.seq2seq

# %% [markdown]
# ## 1. A sequence in, another sequence out
#
# A seq2seq model is a network that makes one time series out of another (seed 004): a
# question in, an answer out; a sentence in one language in, the same sentence in another
# out (machine translation, 機械翻訳); an utterance in, a reply out (machine dialogue). The
# two sequences may have different lengths.
#
# We need a task small enough to train in seconds, so we teach a network to **add**,
# character by character: the question `"53+72"` goes in, the answer `"125"` comes out.
# Nothing tells the network what digits mean; it sees only characters. Seed 004's first
# two steps make the input numeric:
#
# 1. **Taking** (tokenising): split the text into tokens — here single characters — and
#    give each token an ID;
# 2. **Embedding**: turn each ID into a learned vector (chapter 14's `TimeEmbedding`).
#
# `datasets.addition` generates distinct problems and owns its vocabulary (13 characters).
# Every question is padded with spaces to one width and every answer starts with the
# **start character** `_`:

# %%
peek = s2s.addition_peek()
print(peek)

# %% [markdown]
# The lesson uses two-digit numbers (4,500 training and 500 test problems) so that a model
# trains in a few seconds; `benchmarks/seq2seq_table.py` runs the textbook's three-digit
# version (section 6). The last two columns show how the decoder is trained; section 3
# explains them.

# %% [markdown]
# ## 2. The encoder and the thought vector
#
# The encoder is an embedding followed by an LSTM (chapter 14). It reads the embedded
# characters $e_1, \dots, e_T$ one at a time, each step combining the new input with the
# state so far:
#
# $$(h_t, c_t) = \text{LSTM}(e_t, h_{t-1}, c_{t-1}), \qquad h_0 = c_0 = 0 .$$
#
# Only the **final** hidden state $h_T$ is kept. Seed 004 calls it the *thought vector*:
# it has to hold everything the decoder will need to know about the question — here, which
# two numbers are to be added — in $H$ numbers, whatever the question's length. This is
# seed 003's Encoder-Decoder: summarise the input in one representation.
#
# `seq2seq.Encoder` does exactly this. A model with word vectors of size $D = 16$ and
# $H = 128$ hidden units turns four questions into four thought vectors:

# %%
model = seq2seq.Seq2Seq(V=len(peek.data.vocab), D=16, H=128, rng=0)
xs, ts = peek.data.x_train[:4], peek.data.t_train[:4]
h = model.encoder.forward(xs)
print(f"questions {xs.shape} -> embedded {model.encoder.embed.forward(xs).shape} "
      f"-> thought vectors {h.shape}")

# %% [markdown]
# ## 3. The decoder and teacher forcing
#
# The decoder is a second LSTM with its own embedding and an affine layer on top that
# scores each of the $V$ characters. Its **initial state is the thought vector**
# ($h_0 = h_T^{\text{enc}}$, $c_0 = 0$); its first input is the start character `_`.
# At each step it outputs a probability for every next character (seed 004's 生成確率):
#
# $$(h_t, c_t) = \text{LSTM}(e(y_{t-1}), h_{t-1}, c_{t-1}), \qquad
# p(y_t \mid y_{<t}, \text{question}) = \operatorname{softmax}(h_t W_{\text{out}} + b_{\text{out}}).$$
#
# **Training with teacher forcing.** During training the decoder does not read its own
# guesses: it reads the *true* previous character. With the answer `"_125"`, the decoder reads
# `"_12"` and must predict `"125"` — the answer shifted by one (the last two columns
# above). The loss is the softmax cross-entropy averaged over all answer positions, and one
# backward pass trains both halves: the gradient of the decoder's initial state
# $\partial L / \partial h_0^{\text{dec}}$ flows into the encoder's last state and from there
# back through the question (`Encoder.backward(dh)`).
#
# An untrained model knows nothing, so its loss should be close to $\ln V = \ln 13 = 2.565$:

# %%
print(f"loss of the untrained model: {model.loss(xs, ts):.4f}   (ln 13 = {np.log(13):.4f})")
print(f"decoder input {ts[:, :-1].shape}, targets {ts[:, 1:].shape}, "
      f"{len(model.params)} parameter arrays: 4 in the encoder, 6 in the decoder")

# %% [markdown]
# The whole model's backward pass is written by hand (`seq2seq.py`), so check it against
# numerical gradients in float64 on a tiny model. Here the error of each parameter array is
# measured against that array's largest gradient: a composed model has gradient entries
# close to zero whose central differences are mostly round-off noise, and dividing by those
# tiny entries would report noise as an error.

# %%
rng = np.random.default_rng(0)
for peeky in (False, True):
    tiny = seq2seq.Seq2Seq(V=7, D=3, H=4, rng=0, peeky=peeky)
    for p in tiny.params:                       # weights of order 1: no vanishing gradients
        p[...] = 0.7 * rng.standard_normal(p.shape)
    x_tiny, t_tiny = rng.integers(0, 7, (3, 5)), rng.integers(0, 7, (3, 4))
    tiny.loss(x_tiny, t_tiny)
    tiny.backward()
    grads = [g.copy() for g in tiny.grads]
    errors = [np.abs(g - numerical_gradient(lambda: tiny.loss(x_tiny, t_tiny), p)).max()
              / np.abs(g).max() for p, g in zip(tiny.params, grads)]
    print(f"peeky={peeky!s:<5}  largest error over the {len(errors)} arrays: "
          f"{max(errors):.1e} (expect < 1e-7)")

# %% [markdown]
# ## 4. Training the baseline
#
# `seq2seq.fit` is the training loop: minibatches of 32, Adam (lr 0.005), and **gradient
# clipping** — if the norm of all gradients together exceeds 5 it is scaled down to 5
# (`rnn.clip_grads`, chapter 14), since a recurrent network's gradients can explode. After
# each epoch it decodes every test question greedily and counts the answers that are right
# **as a whole** (exact match). The lesson trains in float32, which is faster; the
# gradient check above used float64. Six epochs, a few seconds:

# %%
base = s2s.train_addition("baseline")
print(base)

# %% [markdown]
# The baseline learns slowly: after six epochs only a small fraction of the sums come out
# exactly right, and the wrong answers are near misses — the right size, often the right
# first digit, but the last digits off.
#
# The line *characters right* compares two ways of running the same decoder on the test
# questions. With teacher forcing it reads the true previous characters; when generating it
# reads its own. Generating is what we need at test time, and it is harder: one wrong
# character becomes the input of the next step, and the model never saw its own mistakes
# during training.

# %% [markdown]
# ## 5. Reversed input
#
# Sutskever, Vinyals & Le (2014, seed 003 §9.5) found that their translation LSTM worked
# better when every source sentence was **read backwards**. The first words of the output
# usually depend most on the first words of the input; read backwards, those input words
# are the last ones the encoder sees, just before the decoder starts, so few steps
# separate each from the outputs that need it, and the gradient has a short way to travel.
#
# Addition has the same structure. The decoder writes the answer's leading digit first,
# and that digit depends mostly on the tens digits of the two numbers, which come first in
# the question. Reading `"53+72"` as `"27+35"`, the encoder sees the 5 last. Nothing else
# changes — same model, same data, same settings:

# %%
rev = s2s.train_addition("reversed")
print(rev)

# %% [markdown]
# ## 6. A peeky decoder
#
# In the baseline the thought vector enters the decoder once, as its initial state, and the
# decoder must carry it along through its memory. A **peeky** decoder lets every step
# *peek* at it: $h$ is concatenated to the input of the decoder's LSTM at every step and to
# the input of its affine layer,
#
# $$(h_t, c_t) = \text{LSTM}([h;\, e(y_{t-1})], h_{t-1}, c_{t-1}), \qquad
# \text{scores}_t = [h;\, h_t]\, W_{\text{out}} + b_{\text{out}} .$$
#
# $h$ is used at every step, so its gradient is the sum of the shares from every step plus
# the one through the initial state (`PeekyDecoder.backward`; the gradient check above
# covered it). The textbook combines it with reversed input:

# %%
peeky = s2s.train_addition("peeky")
print(peeky)

# %%
comp = s2s.compare()
print(comp)

# %%
fig = plots.seq2seq_runs(comp)

# %% [markdown]
# Reversing the input and peeking each add a large step in the same six epochs, and the
# training loss (right) shows the same order. Any single epoch's accuracy is noisy (the
# peeky model gains 15 points in its last epoch alone), so compare the curves, not one
# number. The columns `len 3/4/5` split the test set by the question's length (`"1+2"`,
# `"12+3"`, `"12+34"`): the short questions are too few (12 of 500) to tell much.
#
# The textbook's full-size version of this table (three-digit numbers, 45,000 training
# problems, batches of 128, Adam lr 0.001, 25 epochs, H = 128) reports roughly 10% for the
# baseline, 43% with reversed input and 98% with both tricks. `benchmarks/seq2seq_table.py`
# runs that protocol with these modules (a few minutes per model). One run gave 27%, 39%
# and 99% after the 25th epoch (30%, 44% and 98% averaged over the last three epochs; the
# curves are noisy). Both tricks help, and peeky + reversed matches the textbook. Our
# baseline is stronger than the textbook's; one likely reason is the initialisation:
# `rnn.init_recurrent` starts the forget gates' bias at 1, so the LSTMs keep their memory
# from the first step, where the textbook starts every bias at 0.

# %% [markdown]
# ## 7. What is in a thought vector?
#
# The thought vector is 128 numbers, so look at its two directions of largest variance
# (principal components) over the 500 test questions, coloured by the true sum:

# %%
tv = s2s.thought_vectors()
print(tv)

# %%
fig = plots.thought_vector_map(tv)

# %% [markdown]
# The sum runs across the first principal axis from one side to the other. Nobody told the
# encoder about numbers: it has organised its thought vectors by the quantity the decoder
# needs.

# %% [markdown]
# ## 8. Greedy decoding and sampling
#
# Seed 004's decoder generates by **sampling**: at each step it draws the next token at
# random according to the generation probabilities, embeds it, and feeds it back in; at the
# end the tokens are turned back into a string (**detokenising**). The accuracy above used
# **greedy decoding** instead: always take the most probable character.
#
# A **temperature** $T$ reshapes the probabilities before drawing:
#
# $$p_T(v) = \frac{\exp(s_v / T)}{\sum_u \exp(s_u / T)} .$$
#
# $T = 1$ samples from the model's own distribution; $T \to 0$ puts all the mass on the
# largest score (greedy); $T > 1$ flattens the distribution towards uniform. `Seq2Seq.generate(xs,
# start_id, length, temperature, rng)` does both (`temperature=None` or 0 is greedy). Here are
# 20 samples at $T = 1$ for six test questions, and the step where the model was least sure:

# %%
res = s2s.sampling(temperature=1.0)
print(res)

# %%
fig = plots.sampling_view(res)

# %% [markdown]
# Left: the probabilities of the next character at that least sure step (bars at the
# chosen temperature, black ticks at the model's own $T = 1$). Right: each question with its
# greedy answer (red when wrong) and the share of its 20 samples that are right.
#
# Where the model is confident, the samples repeat the greedy answer; where it hesitates
# between two digits, sampling picks either one. For a calculator only the single best
# answer counts, so greedy decoding is the right choice. For dialogue or text generation,
# sampling gives variety: the same question gets different answers.
#
# ### Try it: the temperature
#
# - Slide the temperature to 0: what happens to the bars on the left, and to the share of
#   right samples?
# - At $T = 3$, how often is a sampled answer right? Which characters become possible that
#   were nearly impossible at $T = 1$?
# - Change the question length: are the short questions easier?

# %% tags=["nbval-ignore-output"]
widgets.sampling_demo()

# %% [markdown]
# ## 9. From one question to a conversation: HRED and VHRED
#
# A seq2seq model answers one utterance at a time: 一問一答. In a conversation it ignores
# everything said before (seed 004). **HRED** adds a third RNN, the **context RNN**: the
# encoder turns every utterance into its vector, and the context RNN reads those vectors in
# order, so its state summarises the conversation so far; the decoder starts from that
# state and produces the next utterance from the past $n - 1$ ones.
#
# HRED's answers vary only in their wording, not in the direction the conversation takes:
# given the same context it produces the same kind of reply, and it favours short, common,
# uninformative answers. **VHRED** adds the latent variable of a VAE (chapter 11): a random
# $z$ sampled for each reply, so that one context can lead to different replies.
#
# One more limit of this chapter's model: the whole question must fit through the
# fixed-size thought vector, and the longer the input, the harder that gets (seed 004,
# Attention Mechanism). Chapter 16 lets the decoder look back at **every** encoder state
# instead — attention.

# %% [markdown]
# ## Summary
#
# - Seq2seq = encoder RNN + decoder RNN. The encoder's final hidden state, the thought
#   vector, is the decoder's initial state; tokens are embedded on the way in and
#   detokenised on the way out.
# - Training uses teacher forcing (read the true previous character, predict the next); one
#   backward pass trains both halves through the thought vector. Generating reads the
#   model's own outputs and is harder.
# - On two-digit addition after six epochs: baseline 19.6%, reversed input 33.8%, peeky +
#   reversed 74.0% exact match. Full size (three digits, 25 epochs): about 10%, 43%, 98%
#   in the textbook, 27%, 39%, 99% with these modules.
# - Greedy decoding takes the argmax; sampling draws from softmax(scores / T): small T is
#   nearly greedy, large T adds variety and errors.
# - HRED adds a context RNN over the utterances of a conversation; VHRED adds a VAE latent
#   variable for varied replies.
#
# **Exercises:** `exercises/15_seq2seq/15_seq2seq.ipynb`: the encoder's forward pass (with
# reversed input) and greedy decoding, written with `LSTMCell`.
