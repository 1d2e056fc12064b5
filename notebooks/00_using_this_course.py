# %% [markdown]
# # 00 · Using this course
#
# Welcome. This course builds deep learning from scratch in plain numpy, one idea per
# chapter, following five Japanese slide decks. Every chapter has three parts:
#
# | part | where | what you do |
# |---|---|---|
# | lesson | `notebooks/NN_topic.ipynb` | read, run the slide experiments, move sliders |
# | exercises | `exercises/NN_topic/NN_topic.ipynb` | fill in the stubs, get PASS/FAIL and points at once |
# | solutions | `solutions/NN_topic/NN_topic.ipynb` | the instructor's copy (peek only when stuck) |
#
# **By the end of this notebook you will be able to**
# - run cells and whole notebooks in JupyterLab, and restart when things get confusing;
# - use a slider demo and read what it prints;
# - read a `check(...)` report and know what PASS, FAIL and the hints mean.
#
# **Key terms** (English / 日本語)
#
# | English | 日本語 |
# |---|---|
# | deep learning | 深層学習 (ディープラーニング) |
# | neural network | ニューラルネットワーク |
# | notebook, cell | ノートブック, セル |
# | exercise | 演習 |
# | error (loss) | 誤差 (損失) |

# %% [markdown]
# ## 1. Running cells
#
# A notebook is a list of *cells*. Click a code cell and press **Shift+Enter** to run it;
# its output appears underneath. **Run → Run All Cells** runs the whole notebook from the top.
# If the results ever look strange, **Kernel → Restart Kernel and Run All Cells** starts
# again from a clean state: every lesson is seeded, so you will get the same numbers as
# the ones saved in the notebook.
#
# Every lesson starts by importing the course's package, `dlcourse`. It holds all the
# code the lessons use, so the notebooks stay short and readable.

# %%
import numpy as np

from dlcourse import experiments, plots, widgets
from dlcourse.grading import check

print("dlcourse is ready")

# %% [markdown]
# ## 2. An experiment prints numbers, then draws
#
# Each slide experiment in this course is one function call that **prints its key numbers**
# and returns them. A second call draws the picture. Here is a tiny one: twenty noisy
# points lie around a straight line, and we score the line *y = 1.0·x + 0.0* by its mean
# squared error (the average of the squared vertical distances). The best possible line,
# found by least squares, is printed below it.

# %%
fit = experiments.intro.line_fit(slope=1.0, intercept=0.0)
print(fit)

# %%
fig = plots.line_fit(fit)

# %% [markdown]
# ## 3. Sliders
#
# Most chapters let you rerun their experiment with sliders. The demo below starts at the
# experiment you just printed; drag a slider, or click it and use the arrow keys.
#
# **Try it.**
# - Can you get the mean squared error below 0.2 by hand?
# - Which slider changes the error more, per step?

# %% tags=["nbval-ignore-output"]
widgets.line_fit_demo()


# %% [markdown]
# Finding good parameters by hand is slow even with two of them; a neural network has
# thousands. The rest of the course is about letting the computer do the search
# (gradient descent, chapter 06) and about computing the needed gradients fast
# (backpropagation, chapter 07).
#
# ## 4. Checks, points and hints
#
# In the exercise notebooks you write small functions. Under each one a *check cell*
# runs your function on test inputs and compares it with the course's reference:
#
# - one line per quantity it tested, with the error it measured and the limit it allows;
# - then **PASS** or **FAIL** and your points;
# - under a FAIL, a **hint**.
#
# A stub that still says `raise NotImplementedError()` gets "not implemented yet". If your
# code crashes, the check says which exception it raised instead of printing a traceback.
# Here is the warm-up exercise's check run on a wrong answer: it forgot to add the
# products up.

# %%
def dot_wrong(u, v):
    return u * v          # elementwise products, never summed


check("00.dot", dot_wrong)


# %% [markdown]
# The lines say *expected shape (), got (3,)*: a dot product is a single number (shape
# `()`), but this function returned a vector. Now a correct version:

# %%
def dot_right(u, v):
    return float(np.sum(u * v))


check("00.dot", dot_right)

# %% [markdown]
# ## 5. The map of the course
#
# | # | chapter | you will build |
# |---|---|---|
# | 01 | Perceptrons and logic gates | AND, OR, NAND; why XOR needs two layers |
# | 02 | Activation functions | sigmoid, ReLU, softmax, and what they do to a signal |
# | 03 | Linear classifiers, logistic regression, SGD | a sentiment classifier |
# | 04 | Forward pass as matrix products | a 3-layer network in three lines |
# | 05 | Hidden layers and non-linear boundaries | a Playground of your own |
# | 06 | Losses, numerical differentiation, gradient descent | learning by going downhill |
# | 07 | Backpropagation | the algorithm behind all of it |
# | 08 | Deep networks and vanishing gradients | why depth was hard, and the fixes |
# | 09 | Optimisers | Momentum, AdaGrad, RMSProp, Adam |
# | 10 | Overfitting, regularisation, dropout | generalisation |
# | 11 | Autoencoders and pre-training | learning without labels |
# | 12 | Convolutional networks | a CNN on real digits |
# | 13 | Recurrent networks | BPTT, echo state networks |
# | 14 | LSTM and GRU | gates that remember |
# | 15 | Sequence to sequence | encoder and decoder |
# | 16 | Attention and Transformers | attention from scratch |
# | 17 | Why deep learning works | theory against practice |
#
# ## Summary
#
# - Shift+Enter runs a cell; Restart and Run All gives the saved results again.
# - Experiments print numbers first and draw second; sliders rerun them.
# - Checks print one line per quantity, then PASS/FAIL, points and hints.
#
# **Next:** open `exercises/00_using_this_course/00_using_this_course.ipynb` and do the
# warm-up, then continue with `notebooks/01_perceptron.ipynb`.
