# %% [markdown]
# # 03 · Linear classifiers, logistic regression and SGD
#
# **By the end of this lesson you will be able to**
# - turn a sentence into unigram features φ(x) and score it with a weight vector w;
# - classify with a linear classifier y = step(w·φ(x)) and train it with the perceptron;
# - read the sigmoid P(y = 1 | x) as a soft step, and explain why its derivative peaks
#   at 0.25 where w·φ(x) = 0;
# - derive the gradient of the log-likelihood of logistic regression and check it
#   numerically;
# - train logistic regression with stochastic gradient descent (SGD) and choose a
#   learning rate.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | prediction problem | 予測問題 |
# | sentiment (polarity) classification | 感情極性推定 |
# | linear classifier | 線形分類器 |
# | feature, feature function | 素性, 素性関数 |
# | unigram features | ユニグラム素性 |
# | weight | 重み |
# | perceptron | パーセプトロン |
# | sigmoid (logistic) function | シグモイド関数 (ロジスティック関数) |
# | logistic regression | ロジスティック回帰 |
# | conditional likelihood | 条件付き尤度 |
# | stochastic gradient descent (SGD) | 確率的勾配降下法 |
# | learning rate | 学習率 |
#
# **Slides followed:** seed 000 p.2-10 (Neubig: the prediction problem, the linear
# classifier, unigram features, the perceptron, the sigmoid, logistic regression, SGD,
# the derivative of the probability).

# %%
import numpy as np

from dlcourse import experiments, gradients, plots, widgets
from dlcourse.lessons import text_classifiers

lin = experiments.linear

# %% [markdown]
# ## 1. A prediction problem and its features
#
# We are given an input $x$, here a sentence, and predict an output $y$: $+1$ for a
# positive sentence, $-1$ for a negative one (seed 000 p.2-3):
#
# | x | y |
# |---|---|
# | I am happy | +1 |
# | I am sad | −1 |
#
# A model cannot read a string, so we describe it with numbers, its **features**
# $\varphi(x)$. The simplest are **unigram features**: how often each word occurs.
# Following the slides we write them as a dict with keys `"UNI:" + word`; written out
# over a fixed list of words, the same features are a vector of counts (seed 000 p.4).
# Every word not in the sentence has count 0, so most entries of a real vector are 0
# (it is *sparse*).

# %%
print(lin.unigram_example())

# %% [markdown]
# ## 2. A linear classifier
#
# Give every feature a **weight** $w$. The score $w \cdot \varphi(x)$ adds up the weights
# of the sentence's words (times their counts), and the prediction is its sign
# (seed 000 p.3):
#
# $$ y = \text{step}(w \cdot \varphi(x)) = \begin{cases} +1 & w \cdot \varphi(x) \ge 0 \\ -1 & \text{otherwise} \end{cases} $$
#
# We count a score of exactly 0 as $+1$. With hand-picked weights, "happy" pushes towards
# $+1$ and "sad" towards $-1$; a word with no weight adds nothing:

# %%
w = {"UNI:happy": 1.0, "UNI:sad": -1.0}
for sentence in ["I am happy", "I am sad", "I am glad"]:
    phi = text_classifiers.unigram_features(sentence)
    print(f"{sentence!r:14} score {text_classifiers.dot(w, phi):+.1f}  ->  y = {text_classifiers.predict_one(w, phi):+d}")

# %% [markdown]
# "I am glad" scores 0 and lands on $+1$ by luck. Rather than choose thousands of
# weights by hand, we learn them from labelled sentences.
#
# ## 3. The perceptron
#
# The perceptron (seed 000 p.6) goes through the training examples one at a time. When
# it predicts an example wrongly it moves the weights of that example's words towards
# the right answer:
#
# $$ \text{if } \text{step}(w \cdot \varphi(x)) \ne y: \quad w \leftarrow w + y\,\varphi(x) $$
#
# For training we use `dlcourse.datasets.sentiment_corpus`: 400 short generated
# sentences ("she was sad today", "what a great movie", ...), 320 for training and 80
# for testing. Its `X` matrices hold the count vectors, one sentence per row; its
# vocabulary comes from the training sentences only. We start from $w = 0$ and visit the
# sentences in a new random order on every pass (**epoch**).

# %%
perc = lin.perceptron_on_corpus(epochs=5, seed=0)
print(perc)

# %%
fig = plots.perceptron_run(perc)

# %% [markdown]
# After three passes the perceptron makes no more mistakes: the two classes are
# **linearly separable** here, and the perceptron is guaranteed to find a separating
# $w$ in that case. The words it relies on are the ones you would pick.
#
# The last line is a warning. "I am not happy" shares every known word with "I am
# happy" ("not" never occurred in training), so it gets the same score. Even with "not"
# in the vocabulary, one weight for "not" cannot turn "happy" negative *and* "sad"
# positive: with unigram features a linear classifier cannot express negation (seed 000
# p.12). Chapter 05 adds a hidden layer for exactly this kind of problem.
#
# ## 4. From the step to a probability: the sigmoid
#
# The step says +1 or −1 and nothing about how sure it is, and its slope is 0 almost
# everywhere, so it gives no direction to learn in. The **sigmoid** (logistic function)
# is a softened step (seed 000 p.7):
#
# $$ P(y = 1 \mid x) = \frac{e^{w \cdot \varphi(x)}}{1 + e^{w \cdot \varphi(x)}} = \sigma(w \cdot \varphi(x)),
#    \qquad P(y = -1 \mid x) = 1 - P(y = 1 \mid x) = \sigma(-w \cdot \varphi(x)). $$
#
# Its derivative with respect to $w$ (seed 000 p.10) is the features times a bump:
#
# $$ \frac{dP(y = 1 \mid x)}{dw} = \varphi(x)\, \frac{e^{w \cdot \varphi(x)}}{(1 + e^{w \cdot \varphi(x)})^2},
#    \qquad \frac{dP(y = -1 \mid x)}{dw} = -\varphi(x)\, \frac{e^{w \cdot \varphi(x)}}{(1 + e^{w \cdot \varphi(x)})^2}. $$

# %%
curves = lin.probability_curves()
print(curves)

# %%
fig = plots.probability_curves(curves)

# %% [markdown]
# The bump $e^{s} / (1 + e^{s})^2 = \sigma(s)\,\sigma(-s)$ is largest, 0.25, at $s = 0$,
# where the model is least sure, and it dies away on both sides. So examples the model
# is already sure about barely move the weights, which is good for examples it gets
# right, and not so good for examples it gets confidently wrong (section 6).
#
# ## 5. Logistic regression: maximise the conditional likelihood
#
# **Logistic regression** (seed 000 p.8) chooses the $w$ that makes the correct labels
# as probable as possible:
#
# $$ \hat w = \arg\max_w \prod_i P(y_i \mid x_i; w). $$
#
# A product of hundreds of numbers below 1 underflows quickly, and the logarithm is
# increasing, so we maximise the **log-likelihood** instead, which has the same
# maximiser:
#
# $$ L(w) = \sum_i \log P(y_i \mid x_i; w) = \sum_i \log \sigma(y_i\, w \cdot \varphi(x_i)). $$
#
# Its gradient follows from the chain rule, $d \log P / dw = (dP/dw) / P$. Dividing the
# slide's derivative by $P(y \mid x) = \sigma(y\, w \cdot \varphi)$ leaves
#
# $$ \frac{d \log P(y \mid x)}{dw} = y\, \varphi(x)\, \sigma(-y\, w \cdot \varphi(x)). $$
#
# The factor $\sigma(-y\, w \cdot \varphi)$ is the probability the model still gives to the
# *wrong* label: near 0 for an example it already gets right, near 1 for one it gets
# badly wrong. `dlcourse.lessons.text_classifiers.log_likelihood_grad` sums this over the examples. As for
# every gradient in this course, we compare it with central differences in float64:

# %%
print(lin.gradient_check())

# %% [markdown]
# ## 6. Stochastic gradient descent
#
# The slides train with **SGD** (seed 000 p.9): start at $w = 0$; then, for $I$
# iterations, for each labelled pair $(x, y)$, take a small step uphill:
#
# $$ w \leftarrow w + \alpha\, \frac{d \log P(y \mid x)}{dw} = w + \alpha\, y\, \varphi(x)\, \sigma(-y\, w \cdot \varphi(x)). $$
#
# $\alpha$ is the **learning rate**. We visit the examples in a new random order every
# iteration (epoch), which is what makes the method *stochastic*. The slide's rule
# climbs $P$ itself, $w \mathrel{+}= \alpha\, dP(y \mid x)/dw$; we climb $\log P$, whose step does
# not vanish for confidently wrong examples. Both are in `dlcourse.lessons.text_classifiers.sgd`.
# Epoch 0 is $w = 0$, where every probability is 0.5:
# $L = 320 \log 0.5 = -221.8$.

# %%
run = lin.logistic_sgd(lr=0.1, epochs=10, seed=0)
print(run)

# %%
fig = plots.sgd_curves(run)

# %% [markdown]
# The log-likelihood climbs every epoch, and so does the accuracy. Unlike the
# perceptron, which stops when nothing is misclassified, logistic regression keeps
# pushing the probabilities towards 0 and 1. Note that it also calls
# "I am not happy" positive, with the same probability as "I am happy".
#
# The same run with the slide's rule (climbing $P$ rather than $\log P$) learns more
# slowly at this learning rate: its steps carry the extra factor $P(y \mid x) \le 1$.

# %%
slide_rule = lin.logistic_sgd(lr=0.1, epochs=10, seed=0, objective="prob")
print(f"after 10 epochs: log-likelihood {slide_rule.log_likelihood[-1]:.4f} "
      f"(log P rule: {run.log_likelihood[-1]:.4f}); epochs to reach 100% train accuracy: "
      f"{int(np.argmax(slide_rule.train_accuracy == 1))} (log P rule: {int(np.argmax(run.train_accuracy == 1))})")

# %% [markdown]
# ### Try it: learning rate and iterations
#
# The demo starts at the run printed above: α = 0.1, 10 epochs.
#
# - Set α = 0.001. How many epochs does it take to reach 95% test accuracy, if it gets
#   there at all within 30?
# - Set α = 1, then α = 10. Which is better after one epoch? After ten?
# - On this corpus no learning rate breaks training completely. Why might a larger α
#   still be a bad idea on noisier data? (Chapter 09 returns to this.)

# %% tags=["nbval-ignore-output"]
widgets.sgd_explorer()

# %% [markdown]
# ## Summary
#
# - Unigram features $\varphi(x)$ count words; a linear classifier predicts
#   $\text{step}(w \cdot \varphi(x))$, and the perceptron learns $w$ by adding $y\,\varphi(x)$
#   after each mistake.
# - The sigmoid $P(y = 1 \mid x) = e^{w \cdot \varphi} / (1 + e^{w \cdot \varphi})$ is a soft step;
#   its derivative is $\varphi(x)$ times a bump that peaks at 0.25 where $w \cdot \varphi = 0$.
# - Logistic regression maximises $\sum_i \log P(y_i \mid x_i)$; one example's gradient is
#   $y\,\varphi(x)\,\sigma(-y\, w \cdot \varphi(x))$, checked against central differences.
# - SGD steps uphill after every example, in a new random order each epoch; the learning
#   rate α sets the step size.
# - A linear model on unigram features cannot handle negation ("I am not happy"):
#   chapter 05 adds hidden layers.
#
# **Exercises:** `exercises/03_linear/03_linear.ipynb`: write the unigram feature
# function, the gradient of the log-likelihood, and the SGD loop.
