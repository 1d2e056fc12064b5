"""Figures for the lessons. A plot function draws results it is given; it never trains.

Every function takes the result of an experiment (see
:mod:`dlcourse.experiments`) and an optional ``fig``. Without ``fig`` it
makes a pyplot figure of a fixed size, so a notebook shows it inline; with
``fig`` (a :class:`matplotlib.figure.Figure`, as the widgets pass) it clears
and redraws that figure. Either way it returns the figure.
"""
from __future__ import annotations

import numpy as np

COLORS = {0: "#d62728", 1: "#1f77b4"}   # output 0 red, output 1 blue


def _figure(fig, figsize):
    if fig is None:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize)
    fig.clear()
    return fig


def _fast_layout(fig, **margins):
    """Fixed margins instead of ``tight_layout``: widgets redraw often, and tight
    layout costs a full extra draw (a third of a widget's update time)."""
    fig.subplots_adjust(**margins)


def _plain_log_ticks(axis, n=7):
    """Few log ticks labelled as plain text ("1e-18"): mathtext labels ($10^{-18}$) cost
    tens of milliseconds per redraw, and a widget's range changes with every slider move."""
    import matplotlib.ticker as mticker

    axis.set_major_locator(mticker.LogLocator(numticks=n))
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:.0e}"))
    axis.set_minor_locator(mticker.NullLocator())


def figure_to_png(fig, dpi=100):
    """Render a figure to PNG bytes (what the widgets show).

    The figure keeps one Agg canvas, so matplotlib's text-layout caches (tied
    to the renderer) survive from one slider move to the next; a fast PNG
    compression level does the rest. Together they halve a widget's redraw.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


# --- chapter 00 ---------------------------------------------------------------

def line_fit(result, fig=None):
    """Data points, the learner's line and the best line (chapter 00)."""
    fig = _figure(fig, (6, 4))
    ax = fig.add_subplot()
    xs = np.array([0.0, 1.0])
    ax.scatter(result.x, result.y, color="k", s=18, label="data")
    ax.plot(xs, result.slope * xs + result.intercept, color="C1", lw=2,
            label=f"your line (MSE {result.error:.3f})")
    ax.plot(xs, result.best_slope * xs + result.best_intercept, color="C2", ls="--",
            label=f"best line (MSE {result.best_error:.3f})")
    ax.set(xlabel="x", ylabel="y", title="Fit a line by hand", ylim=(-3, 3))
    ax.legend(loc="upper left")
    _fast_layout(fig, left=0.12, right=0.97, bottom=0.12, top=0.92)
    return fig


# --- chapter 01 ---------------------------------------------------------------

def _gate_panel(ax, inputs, outputs, w=None, b=None, title=""):
    for (x1, x2), y in zip(inputs, outputs):
        ax.scatter(x1, x2, s=160, color=COLORS[int(y)], marker="o" if y else "X",
                   edgecolor="k", zorder=3)
    if w is not None:
        _draw_boundary(ax, w, b)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$", title=title,
           aspect="equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])


def _draw_boundary(ax, w, b, lim=(-0.5, 1.5)):
    """Shade the half-plane where w·x + b > 0 and draw the line w·x + b = 0."""
    g = np.linspace(lim[0], lim[1], 200)
    X1, X2 = np.meshgrid(g, g)
    Z = w[0] * X1 + w[1] * X2 + b
    ax.contourf(X1, X2, (Z > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=[COLORS[0], COLORS[1]], alpha=0.12)
    if np.any(Z > 0) and np.any(Z <= 0):
        ax.contour(X1, X2, Z, levels=[0.0], colors="k", linewidths=1.5)


def gate_panels(tables, fig=None):
    """One panel per gate: its four points (blue = 1, red = 0) and its decision line.

    Gates without parameters (XOR) get no line: there is none.
    """
    names = list(tables.outputs)
    fig = _figure(fig, (3 * len(names), 3.2))
    for k, g in enumerate(names):
        ax = fig.add_subplot(1, len(names), k + 1)
        p = tables.params.get(g)
        title = g if p is not None else f"{g}: no line separates"
        _gate_panel(ax, tables.inputs, tables.outputs[g], *(p if p else (None, None)), title=title)
    fig.tight_layout()
    return fig


def xor_hidden_space(tables, fig=None):
    """XOR in the input space (x1, x2) and in the hidden space (s1, s2) = (NAND, OR)."""
    s1, s2, y = (tables.outputs[k] for k in tables.outputs)
    fig = _figure(fig, (7, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    _gate_panel(ax, tables.inputs, y, title="input space: not separable")
    ax = fig.add_subplot(1, 2, 2)
    hidden = np.stack([s1, s2], axis=1)
    from dlcourse.gates import GATE_PARAMS

    _gate_panel(ax, hidden, y, *GATE_PARAMS["AND"], title="hidden space: AND separates")
    ax.set(xlabel="$s_1$ = NAND($x_1$, $x_2$)", ylabel="$s_2$ = OR($x_1$, $x_2$)")
    fig.tight_layout()
    return fig


def perceptron_view(view, fig=None):
    """The perceptron of the chapter 01 widget: the four inputs and its decision line."""
    from dlcourse.gates import INPUTS

    fig = _figure(fig, (4, 4))
    ax = fig.add_subplot()
    title = f"computes {view.matches}" if view.matches else "computes no named gate"
    _gate_panel(ax, INPUTS, view.outputs, view.w, view.b, title=title)
    _fast_layout(fig, left=0.15, right=0.95, bottom=0.12, top=0.92)
    return fig


# --- chapter 02 ---------------------------------------------------------------

def activations(table, fig=None):
    """Each activation (top row) and its derivative (bottom row)."""
    names = list(table.values)
    fig = _figure(fig, (2.6 * len(names), 5))
    for k, name in enumerate(names):
        top = fig.add_subplot(2, len(names), k + 1)
        top.plot(table.x, table.values[name], color="C0")
        top.set(title=name, xlabel="a", ylabel="h(a)" if k == 0 else None)
        top.axhline(0, color="0.8", lw=0.8)
        bottom = fig.add_subplot(2, len(names), len(names) + k + 1, sharex=top)
        bottom.plot(table.x, table.derivatives[name], color="C3")
        bottom.set(xlabel="a", ylabel="h'(a)" if k == 0 else None, ylim=(-0.1, 1.1))
        bottom.axhline(0, color="0.8", lw=0.8)
    fig.tight_layout()
    return fig


def signal_decay(result, fig=None):
    """Where 41 evenly spread inputs end up after each layer, and the spread per layer.

    Left: one line per input, coloured by its starting value; a funnel that
    closes means later layers can no longer tell the inputs apart. Right: the
    spread (max - min) of the signal per layer, on a log scale.
    """
    import matplotlib as mpl

    layers = np.stack(result.layers)                       # (depth + 1, n)
    pick = np.linspace(0, layers.shape[1] - 1, 41).round().astype(int)
    fig = _figure(fig, (9, 3.2))
    ax = fig.add_subplot(1, 2, 1)
    colors = mpl.colormaps["coolwarm"](np.linspace(0, 1, len(pick)))
    steps = np.arange(layers.shape[0])
    from matplotlib.collections import LineCollection

    paths = np.stack([np.broadcast_to(steps, (len(pick), len(steps))), layers[:, pick].T], axis=-1)
    ax.add_collection(LineCollection(paths, colors=colors, linewidths=1))   # (41, depth + 1, 2)
    ax.autoscale()
    ax.set(xlabel="layer (0 = input)", ylabel="signal value", xticks=steps,
           title=f"inputs through repeated {result.activation}")
    ax = fig.add_subplot(1, 2, 2)
    spread = np.maximum(result.spreads, 1e-12)
    ax.semilogy(steps, spread, "o-", color="C0")
    ax.set(xlabel="layer (0 = input)", ylabel="spread = max - min", xticks=steps,
           ylim=(1e-6, 30), title="how much variety survives")
    _plain_log_ticks(ax.yaxis)
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return fig


def softmax_bars(scores, probs, labels=("human", "cat", "dog"), fig=None):
    """Scores before and probabilities after softmax, side by side (seed 002 p.35)."""
    fig = _figure(fig, (7, 3))
    labels = list(labels)[: len(scores)]
    ax = fig.add_subplot(1, 2, 1)
    ax.bar(labels, scores, color="0.5")
    ax.set(title="scores (input)", ylabel="score")
    ax = fig.add_subplot(1, 2, 2)
    ax.bar(labels, probs, color="C0")
    for k, p in enumerate(probs):
        ax.text(k, p + 0.02, f"{p:.2f}", ha="center")
    ax.set(title="softmax (output)", ylabel="probability", ylim=(0, 1))
    fig.tight_layout()
    return fig


# --- chapter 03 ---------------------------------------------------------------

def probability_curves(curves, fig=None):
    """Left: the step and the sigmoid P(y=1|x) against w.phi(x) (seed 000 p.7).
    Right: the derivative factor e^s / (1 + e^s)^2 with its peak (seed 000 p.10)."""
    fig = _figure(fig, (9, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(curves.s, (curves.step > 0).astype(float), color="0.5", ls="--", label="step (as 0 / 1)")
    ax.plot(curves.s, curves.prob, color="C0", lw=2, label="sigmoid")
    ax.set(xlabel="w·φ(x)", ylabel="P(y = 1 | x)", title="step vs sigmoid", ylim=(-0.05, 1.05))
    ax.legend(loc="upper left")
    ax = fig.add_subplot(1, 2, 2)
    s, v = curves.peak
    ax.plot(curves.s, curves.dprob, color="C3", lw=2)
    ax.plot([s], [v], "o", color="k")
    ax.annotate(f"peak {v:.2f} at w·φ = {s:.0f}", (s, v), xytext=(-9.5, v * 1.06))
    ax.set(xlabel="w·φ(x)", ylabel="$e^{w·φ} / (1 + e^{w·φ})^2$", title="dP(y=1|x)/dw, divided by φ(x)",
           ylim=(0, 0.3))
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return fig


def perceptron_run(run, fig=None):
    """Left: the perceptron's mistakes per epoch. Right: the words with the largest and smallest weights."""
    fig = _figure(fig, (9, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    epochs = np.arange(1, len(run.mistakes) + 1)
    ax.bar(epochs, run.mistakes, color="C0")
    for e, m in zip(epochs, run.mistakes):
        ax.text(e, m, str(m), ha="center", va="bottom")
    ax.set(xlabel="epoch", ylabel="mistakes (updates)", xticks=epochs, ylim=(0, max(run.mistakes) * 1.15 + 1),
           title=f"mistakes per pass ({run.n_train} sentences)")
    ax = fig.add_subplot(1, 2, 2)
    words = run.top_positive + run.top_negative[::-1]
    ax.barh([w for w, _ in words], [v for _, v in words],
            color=[COLORS[1] if v > 0 else COLORS[0] for _, v in words])
    ax.invert_yaxis()
    ax.axvline(0, color="k", lw=0.8)
    ax.set(xlabel="weight", title="words with the largest |weight|")
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.45)
    return fig


def sgd_curves(run, fig=None):
    """Left: training log-likelihood per epoch. Right: train and test accuracy per epoch (chapter 03).

    Redrawing into a figure this function drew before only updates the lines,
    limits and titles: building the axes again would cost a widget a quarter of
    its update time.
    """
    parts = getattr(fig, "_sgd_curves", None)
    if parts is None or parts["ll"].axes not in fig.axes:
        parts = _sgd_curves_axes(fig)
        fig = parts["ll"].figure
    epochs = np.arange(run.epochs + 1)
    parts["ll"].set_data(epochs, run.log_likelihood)
    parts["train"].set_data(epochs, run.train_accuracy)
    parts["test"].set_data(epochs, run.test_accuracy)
    left, right = parts["ll"].axes, parts["train"].axes
    for ax in (left, right):
        ax.set_xlim(-0.03 * run.epochs - 0.1, run.epochs * 1.03 + 0.1)
    left.set_ylim(min(run.log_likelihood.min(), -230) * 1.05, 5)
    left.set_title(f"training log-likelihood, lr = {run.lr:.3g}", y=1.01)   # a fixed y skips a layout pass
    right.set_title(f"final: train {run.train_accuracy[-1]:.1%}, test {run.test_accuracy[-1]:.1%}", y=1.01)
    return fig


def _sgd_curves_axes(fig):
    """The empty axes and lines of :func:`sgd_curves`, remembered on the figure."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(fig, (9, 3.4))
    left = fig.add_subplot(1, 2, 1)
    (ll,) = left.plot([], [], "o-", color="C0", ms=3)
    left.axhline(0, color="0.8", lw=0.8)
    left.set(xlabel="epoch (0 = all weights 0)", ylabel="Σ log P(t | x)")
    right = fig.add_subplot(1, 2, 2)
    (train,) = right.plot([], [], "o-", color="C0", ms=3, label="train")
    (test,) = right.plot([], [], "s--", color="C1", ms=3, label="test")
    right.set(xlabel="epoch", ylabel="accuracy", ylim=(0.4, 1.02))
    right.legend(loc="lower right")
    for ax in (left, right):     # few tick labels: text is most of a redraw's cost
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(4))
    _fast_layout(fig, left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    fig._sgd_curves = {"ll": ll, "train": train, "test": test}
    return fig._sgd_curves


# end of chapter 03

# --- chapter 04 ---------------------------------------------------------------

def network_diagram(result, fig=None):
    """The 2 -> 3 -> 2 -> 2 network with the signal in every unit (chapter 04).

    ``result`` is a :class:`dlcourse.experiments.matrices.ForwardPass`. Each
    column is a layer; a hidden unit shows its input ``a`` and output
    ``z = sigmoid(a)``; every edge is a weight, drawn thicker the larger it is;
    under each column is the matrix product that makes it, with its shapes.
    """
    from matplotlib.collections import LineCollection

    s, net = result.signals, result.network
    columns = [("input x", result.x, None), ("layer 1", s["a1"], s["z1"]),
               ("layer 2", s["a2"], s["z2"]), ("output y", s["a3"], None)]
    formulas = ["shape (2,)", "σ((2,)@(2,3) + (3,))", "σ((3,)@(3,2) + (2,))", "(2,)@(2,2) + (2,)"]
    ys = [np.linspace(1, -1, len(v)) * (len(v) - 1) / 2 for _, v, _ in columns]
    fig = _figure(fig, (9, 4.2))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    segs, widths = [], []
    for k, W in enumerate((net["W1"], net["W2"], net["W3"])):            # W: (units in k, units in k + 1)
        for i, j in np.ndindex(W.shape):
            segs.append([(k, ys[k][i]), (k + 1, ys[k + 1][j])])
            widths.append(0.5 + 4 * abs(W[i, j]))
    ax.add_collection(LineCollection(segs, colors="0.7", linewidths=widths, zorder=1))
    for k, (name, a, z) in enumerate(columns):
        color = "#c7dcef" if z is not None else ("0.92" if k == 0 else "#fdd9b5")
        ax.scatter(np.full(len(ys[k]), k), ys[k], s=2600, color=color, edgecolor="k", zorder=2)
        for i, y in enumerate(ys[k]):
            if z is not None:
                text = f"a={a[i]:.4f}\nz={z[i]:.4f}"
            else:
                text = f"{'xy'[k > 0]}{i + 1}\n{a[i]:.4f}"
            ax.text(k, y, text, ha="center", va="center", fontsize=8, zorder=3)
        ax.text(k, 1.55, name, ha="center", fontsize=10, weight="bold")
        ax.text(k, -1.6, formulas[k], ha="center", va="top", fontsize=8)
    ax.set(xlim=(-0.5, 3.5), ylim=(-1.9, 2.1), xticks=[], yticks=[])
    ax.text(1.5, 1.95, "a = (previous z) @ W + b;  hidden: z = σ(a);  output: y = a", ha="center", fontsize=11)
    ax.set_frame_on(False)    # no axis, ticks or title: they cost a third of a redraw here
    return fig


# end of chapter 04

# --- chapter 05 ---------------------------------------------------------------

PM1_COLORS = {-1: "#f59322", 1: "#0877bd"}   # the Playground's orange (-1) and blue (+1)
_PM1_CMAP = []


def _pm1_cmap():
    """Orange (-1) -> white (0) -> blue (+1), made once."""
    if not _PM1_CMAP:
        from matplotlib.colors import LinearSegmentedColormap

        _PM1_CMAP.append(LinearSegmentedColormap.from_list(
            "playground", [PM1_COLORS[-1], "#ffffff", PM1_COLORS[1]]))
    return _PM1_CMAP[0]


def _pm1_points(ax, X, t, edge, size=18, label=None):
    ax.scatter(X[:, 0], X[:, 1], c=[PM1_COLORS[int(v)] for v in t], s=size, edgecolors=edge,
               linewidths=0.6, label=label)


def _pm1_line(ax, w, b, lim, **kw):
    """Draw w[0] x + w[1] y + b = 0 inside the square lim x lim."""
    xs = np.array(lim, dtype=float)
    if abs(w[1]) > 1e-12:
        ax.plot(xs, -(w[0] * xs + b) / w[1], **kw)
    elif abs(w[0]) > 1e-12:
        ax.plot([-b / w[0]] * 2, xs, **kw)


def neubig_spaces(net, fig=None):
    """Neubig's XOR network: the input space phi and the hidden space y (seed 000 p.14-16).

    Left: the four inputs (O blue, X orange) with the two hidden units' lines;
    no single line puts the O's on one side. Right: the same inputs after
    the hidden layer, with the output unit's line, which separates them.
    """
    fig = _figure(fig, (8, 3.9))
    lim = (-2, 2)
    marker = {1: "o", -1: "X"}
    panels = [(net.phi, "input space", r"$\phi_1$", r"$\phi_2$"),
              (net.hidden.astype(float), "hidden space", "$y_1$", "$y_2$")]
    for k, (pts, title, xl, yl) in enumerate(panels):
        ax = fig.add_subplot(1, 2, k + 1)
        for (a, b_), t in zip(pts, net.labels):
            ax.scatter(a, b_, s=170, marker=marker[int(t)], color=PM1_COLORS[int(t)], edgecolor="k", zorder=3)
        names = {}
        for j, p in enumerate(pts):
            names.setdefault(tuple(p), []).append(f"$x_{j + 1}$")
        for (a, b_), n in names.items():
            ax.annotate(", ".join(n), (a, b_), xytext=(8, 8), textcoords="offset points")
        ax.axhline(0, color="0.85", lw=0.8)
        ax.axvline(0, color="0.85", lw=0.8)
        ax.set(xlim=lim, ylim=lim, xlabel=xl, ylabel=yl, aspect="equal", xticks=[-1, 0, 1], yticks=[-1, 0, 1])
        if k == 0:
            for j, ls in ((0, "--"), (1, ":")):
                _pm1_line(ax, net.W1[:, j], net.b1[j], lim, color="0.3", ls=ls, lw=1.2,
                          label=f"$y_{j + 1}$ = 0 (hidden unit {j + 1})")
            ax.set_title("input space: no line separates X from O", fontsize=10)
        else:
            g = np.linspace(*lim, 101)
            G1, G2 = np.meshgrid(g, g)
            side = net.w2[0] * G1 + net.w2[1] * G2 + net.b2 > 0
            ax.contourf(G1, G2, side.astype(float), levels=[-0.5, 0.5, 1.5],
                        colors=[PM1_COLORS[-1], PM1_COLORS[1]], alpha=0.15)
            _pm1_line(ax, net.w2, net.b2, lim, color="k", lw=1.5, label="output unit = 0")
            ax.set_title("hidden space: the output unit's line separates", fontsize=10)
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def _playground_map(ax, res, points=True, size=14):
    """The network's output over [-6, 6]^2 (orange -1 .. blue +1) with the data points."""
    g = res.grid
    ax.imshow(res.output, origin="lower", extent=(g[0], g[-1], g[0], g[-1]), cmap=_pm1_cmap(),
              vmin=-1, vmax=1, interpolation="bilinear", aspect="equal")
    if points:
        _pm1_points(ax, res.X_train, res.t_train, "w", size)
        _pm1_points(ax, res.X_test, res.t_test, "k", size)
    ax.set(xlim=(g[0], g[-1]), ylim=(g[0], g[-1]))


def playground(res, fig=None):
    """The Playground view: the boundary with the data (left) and the loss curves (right).

    Training points have a white rim, test points a black one; the background
    is the network output, orange for -1 and blue for +1. Called again with a
    ``fig`` it drew before (as the Playground widget does many times a
    second), it only updates the data of its artists: rebuilding the axes
    would cost more than the rest of the redraw.
    """
    from matplotlib.ticker import MaxNLocator

    handles = getattr(fig, "_playground_handles", None) if fig is not None else None
    if handles is None:
        fig = _figure(fig, (9, 4))
        ax = fig.add_subplot(1, 2, 1)
        g = res.grid
        image = ax.imshow(res.output, origin="lower", extent=(g[0], g[-1], g[0], g[-1]), cmap=_pm1_cmap(),
                          vmin=-1, vmax=1, interpolation="bilinear", aspect="equal")
        train = ax.scatter([], [], s=14, edgecolors="w", linewidths=0.6)
        test = ax.scatter([], [], s=14, edgecolors="k", linewidths=0.6)
        # plain text, few ticks: text is most of the drawing time
        ax.set(xlim=(g[0], g[-1]), ylim=(g[0], g[-1]), xlabel="x1", ylabel="x2",
               xticks=[-6, 0, 6], yticks=[-6, 0, 6])
        ax2 = fig.add_subplot(1, 2, 2)
        (train_line,) = ax2.plot([], [], color="0.2", label="training loss")
        (test_line,) = ax2.plot([], [], color="C3", ls="--", label="test loss")
        ax2.set(xlabel="epoch", ylabel="loss = mean of 0.5 (y - t)²")
        ax2.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax2.yaxis.set_major_locator(MaxNLocator(4))
        legend = ax2.legend(loc="upper right")
        handles = dict(image=image, train=train, test=test, ax=ax, ax2=ax2, lines=(train_line, test_line),
                       legend=legend)
        fig._playground_handles = handles
        _fast_layout(fig, left=0.07, right=0.98, bottom=0.13, top=0.92, wspace=0.25)
    h = handles
    h["image"].set_data(res.output)
    for key, X, t in (("train", res.X_train, res.t_train), ("test", res.X_test, res.t_test)):
        h[key].set_offsets(X)
        h[key].set_facecolors([PM1_COLORS[int(v)] for v in t])
    h["ax"].set_title(f"epoch {res.epoch}: " + ("diverged (nan)" if res.diverged else
                                                 f"test accuracy {100 * res.test_acc:.1f}%"))
    epochs = np.arange(len(res.train_loss))
    losses = (res.train_loss, res.test_loss)
    for line, loss, text, name in zip(h["lines"], losses, h["legend"].get_texts(), ("training", "test")):
        line.set_data(epochs, loss)
        text.set_text(f"{name} loss {loss[-1]:.4f}")
    # limits move in steps, so that most redraws keep the axes (see playground_png)
    finite = np.concatenate(losses)
    finite = finite[np.isfinite(finite)]
    worst = float(finite.max()) if finite.size else 2.0
    top = next((v for v in (0.6, 1.2) if worst <= 0.95 * v), 2.1)
    right = next((v for v in (10, 25, 50, 100, 200, 300, 500, 1000) if res.epoch <= v), res.epoch)
    h["ax2"].set(ylim=(0, top), xlim=(0, right))
    return fig


def playground_png(res, fig, dpi=100):
    """PNG bytes of :func:`playground` drawn on ``fig``, redrawing only what changed.

    The axes, tick labels and axis labels are drawn once and kept as a
    background image; each call restores it and draws only the boundary,
    the points, the loss curves, the legend and the title on top. Text is
    most of matplotlib's drawing time, so this is several times faster
    than ``savefig``. The background is redrawn whenever the loss axes'
    limits change.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(dpi)
    playground(res, fig=fig)
    h = fig._playground_handles
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    ax, ax2 = h["ax"], h["ax2"]
    dynamic = [(ax, h["image"]), (ax, h["train"]), (ax, h["test"]), (ax2, h["lines"][0]),
               (ax2, h["lines"][1]), (ax2, h["legend"]), (ax, ax.title)]
    dynamic += [(owner, spine) for owner in (ax, ax2) for spine in owner.spines.values()]  # frames on top
    key = (ax2.get_xlim(), ax2.get_ylim(), canvas.get_width_height())
    if h.get("key") != key:
        for _, artist in dynamic:
            artist.set_visible(False)
        canvas.draw()
        h["background"], h["key"] = canvas.copy_from_bbox(fig.bbox), key
        for _, artist in dynamic:
            artist.set_visible(True)
    canvas.restore_region(h["background"])
    for owner, artist in dynamic:
        owner.draw_artist(artist)
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def hidden_units(res, fig=None):
    """Each first-layer hidden unit's output over the plane, then the network output.

    Seed 001 §7.1 (6/7): every hidden unit draws one (soft) line; the output
    unit's weighted sum of them is the non-linear boundary. A unit's colours
    run from orange (its lowest output) to blue (its highest); with one hidden
    layer, each title gives the weight with which the output unit adds it.
    """
    H = res.first_layer.shape[-1]
    fig = _figure(fig, (2.4 * (H + 1), 3.0))
    g = res.grid
    for j in range(H):
        ax = fig.add_subplot(1, H + 1, j + 1)
        h = res.first_layer[..., j]
        lo, hi = (0.0, 1.0) if res.settings["activation"] == "sigmoid" else (-1.0, 1.0)
        if res.settings["activation"] in ("relu", "linear"):
            lo, hi = -np.abs(h).max() - 1e-12, np.abs(h).max() + 1e-12
        ax.imshow(h, origin="lower", extent=(g[0], g[-1], g[0], g[-1]), cmap=_pm1_cmap(), vmin=lo, vmax=hi)
        title = f"hidden unit {j + 1}"
        if len(res.params) == 4:                      # one hidden layer: the next layer is the output
            title += f"\noutput weight {res.params[2][j, 0]:+.2f}"
        ax.set(title=title, xticks=[], yticks=[])
    ax = fig.add_subplot(1, H + 1, H + 1)
    _playground_map(ax, res, size=6)
    ax.set(title="network output\n(weighted sum, tanh)", xticks=[], yticks=[])
    fig.tight_layout()
    return fig


def units_sweep(sweep, fig=None):
    """One boundary per hidden-layer size: more units, more complex boundaries."""
    n = len(sweep.results)
    fig = _figure(fig, (2.9 * n, 3.2))
    for k, res in enumerate(sweep.results):
        ax = fig.add_subplot(1, n, k + 1)
        _playground_map(ax, res, size=6)
        u = res.settings["units"]
        ax.set(title=f"{u} unit{'s' if u > 1 else ''}: test {100 * res.test_acc:.1f}%", xticks=[], yticks=[])
    fig.tight_layout()
    return fig


# end of chapter 05

# --- chapter 06 ---------------------------------------------------------------

def losses(result, fig=None):
    """Two 10-class predictions against the true class, and the cross-entropy curve −log p.

    ``result`` is :func:`dlcourse.experiments.descent.loss_examples`'s.
    """
    names = list(result.predictions)
    fig = _figure(fig, (11, 3.2))
    for k, name in enumerate(names):
        y = result.predictions[name]
        ax = fig.add_subplot(1, 3, k + 1)
        colors = ["C2" if c == result.t else "0.6" for c in range(len(y))]
        ax.bar(np.arange(len(y)), y, color=colors)
        ax.plot([result.t], [1.0], "v", color="C2", ms=8, label=f"true class {result.t} (t = 1)")
        ax.set(title=f"{name}\nSE {result.squared_error[name]:.4f}, CE {result.cross_entropy[name]:.4f}",
               xlabel="class", ylabel="probability y" if k == 0 else None, ylim=(0, 1.08),
               xticks=range(len(y)))
        ax.legend(loc="upper right", fontsize=8)
    ax = fig.add_subplot(1, 3, 3)
    p = np.linspace(0.005, 1.0, 400)
    ax.plot(p, -np.log(p), color="C0")
    for k, name in enumerate(names):
        pt = result.predictions[name][result.t]
        ax.plot(pt, -np.log(pt), "o", color=f"C{k + 1}", label=f"y[t] = {pt:.2f}: CE {-np.log(pt):.4f}")
    ax.set(title="cross-entropy = −log y[t]", xlabel="probability of the true class y[t]",
           ylabel="loss", ylim=(0, 5.5))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def difference_errors(result, fig=None):
    """Error of the forward and central differences against h, log-log (rounding on the left)."""
    fig = _figure(fig, (6.5, 4.2))
    ax = fig.add_subplot()
    hs = result.hs
    keep = hs >= 1e-17                                   # h = 1e-50 is off the chart (its error is printed)
    for err, label, color in ((result.forward_error, "forward (f(x+h) − f(x)) / h", "C3"),
                              (result.central_error, "central (f(x+h) − f(x−h)) / 2h", "C0")):
        shown = keep & (err > 0)                         # an error of exactly 0 has no logarithm
        ax.loglog(hs[shown], err[shown], "o-", ms=3, color=color, label=label)
    ax.text(1e-4, 3e-3, "slope 1:\nerror ≈ 3h", color="C3", fontsize=8, ha="right")
    ax.text(1e-3, 1e-8, "slope 2:\nerror = h²", color="C0", fontsize=8)
    ax.axvspan(hs[keep].min(), 1e-8, color="0.92", zorder=0)
    ax.text(1.5e-16, 3e-12, "rounding error\ngrows as h shrinks", fontsize=8)
    ax.set(xlabel="step h", ylabel="|estimate − exact derivative|", ylim=(1e-13, 10),
           title=f"derivative of x³ at x = {result.x:g}: truncation vs rounding")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def tangent_lines(result, lo=0.0, hi=20.0, fig=None):
    """The parabola 0.01x² + 0.1x and its tangent at each point of a :class:`DerivativeTable`."""
    from dlcourse.descent import parabola

    fig = _figure(fig, (6, 4))
    ax = fig.add_subplot()
    x = np.linspace(lo, hi, 200)
    ax.plot(x, parabola(x), color="k", label="f(x) = 0.01x² + 0.1x")
    for k, (x0, slope) in enumerate(zip(result.xs, result.central)):
        ax.plot(x, parabola(x0) + slope * (x - x0), "--", color=f"C{k}",
                label=f"tangent at x = {x0:g}: slope {slope:.4f}")
        ax.plot(x0, parabola(x0), "o", color=f"C{k}")
    ax.set(xlabel="x", ylabel="f(x)", title="numerical derivative = slope of the tangent", ylim=(-1, 6))
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def _bowl_levels(ax, radii=np.arange(0.5, 6.01, 0.5)):
    """Level sets of x0² + x1² (circles, f = r²) drawn as one cheap LineCollection."""
    from matplotlib.collections import LineCollection

    theta = np.linspace(0, 2 * np.pi, 121)
    circles = [np.column_stack([r * np.cos(theta), r * np.sin(theta)]) for r in radii]
    ax.add_collection(LineCollection(circles, colors="0.75", linewidths=0.8))
    ax.plot(0, 0, "+", color="k", ms=10, mew=1.5)


def gradient_field(result, fig=None):
    """Arrows −∇f on a grid over the level circles of x0² + x1²."""
    fig = _figure(fig, (5.2, 5))
    ax = fig.add_subplot()
    _bowl_levels(ax)
    ax.quiver(result.X0, result.X1, -result.G[..., 0], -result.G[..., 1], color="C0",
              angles="xy", scale_units="xy", scale=8, width=0.004)
    lim = (result.X0.min() - 0.4, result.X0.max() + 0.4)
    ax.set(xlim=lim, ylim=lim, aspect="equal", xlabel="$x_0$", ylabel="$x_1$",
           title="−∇f for f = $x_0^2 + x_1^2$ (grey: level sets)")
    fig.tight_layout()
    return fig


_WINDOW = 4.6


def _path_panel(ax, run, title=None):
    """A descent path on the level circles of the bowl; points far outside the window are cut off.

    Returns an ``update(run, title=None)`` function that moves the path in place, so a
    widget redraws only what changed. Plain-text labels and no legend.
    """
    _bowl_levels(ax)
    path, = ax.plot([], [], "o-", color="C3", ms=3, lw=1)
    start, = ax.plot([], [], "s", color="k", ms=6)
    start_label = ax.annotate("start", (0, 0), xytext=(6, 4), textcoords="offset points", fontsize=9)
    end, = ax.plot([], [], "*", color="C1", ms=14, mec="k")
    end_label = ax.annotate("end", (0, 0), xytext=(8, -12), textcoords="offset points", fontsize=9)
    away = ax.text(0.5, 0.04, "", transform=ax.transAxes, ha="center", fontsize=9, color="C3",
                   bbox=dict(facecolor="white", edgecolor="none", alpha=0.9))
    ax.set(xlim=(-_WINDOW, _WINDOW), ylim=(-_WINDOW, _WINDOW), aspect="equal", xlabel="x0", ylabel="x1")

    def update(run, title=None):
        p = run.path
        near = np.all(np.abs(p) < 100 * _WINDOW, axis=1)     # Agg misdraws lines to ~1e12
        n_near = int(np.argmin(near)) if not near.all() else len(p)
        path.set_data(p[:n_near, 0], p[:n_near, 1])
        start.set_data([p[0, 0]], [p[0, 1]])
        start_label.xy = tuple(p[0])
        inside = bool(np.all(np.abs(run.end) < _WINDOW))
        end.set_data([run.end[0]], [run.end[1]])
        end_label.xy = tuple(run.end)
        for artist in (end, end_label):
            artist.set_visible(inside)
        away.set_text("" if inside else f"left the window: end |x| = {np.linalg.norm(run.end):.1e}")
        away.set_visible(not inside)
        ax.set_title(title or f"lr = {run.lr:.3g}, {run.step_num} steps: {run.verdict}")

    update(run, title)
    return update


def descent_path(result, fig=None):
    """One gradient-descent run: its path on the level circles, and f at every step (log scale).

    Given a figure this function drew before (a widget's), it only moves the
    path and the curve: a slider move then costs one render, not a rebuild.
    """
    parts = getattr(fig, "_descent_parts", None)
    if parts is None:
        fig = _figure(fig, (9.5, 4))
        update_path = _path_panel(fig.add_subplot(1, 2, 1), result)
        ax = fig.add_subplot(1, 2, 2)
        curve, = ax.semilogy([1], [1], ".-", color="C3", ms=3)
        ax.set(xlabel="step", ylabel="f(x) = x0² + x1²")
        _fast_layout(fig, left=0.07, right=0.98, bottom=0.13, top=0.9, wspace=0.3)
        parts = fig._descent_parts = (update_path, ax, curve)
    else:
        parts[0](result)
    _, ax, curve = parts
    f = np.nan_to_num(np.clip(result.f, 1e-32, 1e300), nan=1e300)   # 0 and inf fall off a log axis
    curve.set_data(np.arange(len(f)), f)
    ax.set_xlim(0, max(1, len(f) - 1))
    lo, hi = float(f.min()), float(f.max())
    ax.set_ylim(lo / 3, hi * 3)
    _plain_log_ticks(ax.yaxis)
    ax.set_title(f"f after each step (end {result.f[-1]:.1e})")
    return fig


def learning_rates(result, fig=None):
    """One path panel per learning rate (:class:`LearningRates`)."""
    n = len(result.runs)
    fig = _figure(fig, (3.6 * n, 3.8))
    for k, run in enumerate(result.runs):
        _path_panel(fig.add_subplot(1, n, k + 1), run, title=f"lr = {run.lr:g}: {run.verdict}")
    fig.tight_layout()
    return fig


# end of chapter 06

# --- chapter 07 ---------------------------------------------------------------

def araki_xor(run, fig=None):
    """Left: J = sum_p J_p per epoch of Araki's XOR run. Right: the trained net's output
    over the input square, with the four XOR points (blue circles = target 1, red crosses = 0).

    Given a figure it drew before (the slider demo's), it updates the curve and the
    image in place instead of rebuilding the axes.
    """
    from dlcourse import backprop as bp
    from dlcourse.experiments.backprop import XOR_B, XOR_X

    g = np.linspace(-0.5, 1.5, 41)
    X1, X2 = np.meshgrid(g, g)
    out = bp.predict(run.w, np.stack([X1.ravel(), X2.ravel()], axis=1)).reshape(X1.shape)
    parts = getattr(fig, "_araki_parts", None)
    if parts is None:
        fig = _figure(fig, (9, 3.4))
        left = fig.add_subplot(1, 2, 1)
        curve, = left.plot([0], [0], color="C0")
        left.set(xlabel="epoch", ylabel="J (sum of J_p over the 4 samples)")
        left.grid(alpha=0.3)
        right = fig.add_subplot(1, 2, 2)
        image = right.imshow(out, origin="lower", extent=(-0.5, 1.5, -0.5, 1.5), cmap="RdBu", vmin=0, vmax=1,
                             interpolation="bilinear")
        for target, marker in ((1, "o"), (0, "X")):         # one scatter per class: cheap to redraw
            pts = XOR_X[XOR_B[:, 0] == target]
            right.scatter(pts[:, 0], pts[:, 1], s=120, color=COLORS[target], marker=marker, edgecolor="k",
                          zorder=3)
        right.set(xlabel="x1", ylabel="x2", xticks=[0, 1], yticks=[0, 1])
        _fast_layout(fig, left=0.08, right=0.97, bottom=0.15, top=0.9, wspace=0.3)
        parts = fig._araki_parts = (left, curve, right, image)
    left, curve, right, image = parts
    curve.set_data(np.arange(len(run.losses)), run.losses)
    left.set_xlim(0, max(1, len(run.losses) - 1))
    left.set_ylim(0, max(0.6, float(run.losses.max()) * 1.05))
    left.set_title(f"2-{run.hidden}-1 net, ρ = {run.rho:g}: final J = {run.losses[-1]:.4f}")
    image.set_data(out)
    right.set_title(f"output (red 0 … blue 1): {int(round(4 * run.accuracy))}/4 right")
    return fig


def computational_graph(check, fig=None):
    """The gradient-check network as a chain of nodes: what flows forward above the
    arrows (left to right), the gradients flowing back below them (right to left, red)."""
    nodes = check.nodes
    n = len(nodes)
    fig = _figure(fig, (1.6 * (n + 1), 2.4))
    ax = fig.add_axes((0.01, 0.0, 0.98, 0.9))
    ax.set(xlim=(-0.5, n + 1.4), ylim=(-1.4, 0.9))
    ax.axis("off")
    box = dict(boxstyle="round", fc="#e8eef7", ec="k")
    ax.text(0, 0, "x", ha="center", va="center", fontsize=10, bbox=dict(box, fc="white"))
    ax.text(n + 1, 0, "loss", ha="center", va="center", fontsize=10, bbox=dict(box, fc="white"))
    for k, (name, out, dx, grads) in enumerate(nodes, start=1):
        label = "Softmax\nWithLoss" if name == "SoftmaxWithLoss" else name
        ax.text(k, 0, label, ha="center", va="center", fontsize=9, bbox=box)
        ax.annotate("", (k - 0.3, 0.22), (k - 0.7, 0.22), arrowprops=dict(arrowstyle="->"))
        ax.annotate("", (k - 0.7, -0.22), (k - 0.3, -0.22), arrowprops=dict(arrowstyle="->", color="C3"))
        ax.text(k - 0.5, 0.35, str(dx), ha="center", fontsize=8)
        ax.text(k - 0.5, -0.35, f"dx {dx}", ha="center", va="top", fontsize=8, color="C3")
        if grads:
            ax.text(k, -0.8, grads.replace("), d", ")\nd"), ha="center", va="top",
                    fontsize=8, color="C3")
    ax.annotate("", (n + 0.72, 0.22), (n + 0.42, 0.22), arrowprops=dict(arrowstyle="->"))
    ax.annotate("", (n + 0.42, -0.22), (n + 0.72, -0.22), arrowprops=dict(arrowstyle="->", color="C3"))
    ax.text(n + 0.57, -0.35, "dout = 1", ha="center", va="top", fontsize=8, color="C3")
    ax.set_title("forward: values, left to right (black); backward: gradients, right to left (red)",
                 fontsize=10)
    return fig


def _curves(ax_loss, ax_acc, history, color, train_label="train", test_label="test", alpha=1.0):
    """Train (dashed) and test (solid) curves of one ``models.train`` history."""
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    for ax, key in ((ax_loss, "loss"), (ax_acc, "acc")):
        ax.plot(epochs, history[f"train_{key}"], color=color, ls="--", alpha=alpha, label=train_label)
        ax.plot(epochs, history[f"test_{key}"], color=color, alpha=alpha, label=test_label)


def digits_curves(runs, fig=None):
    """Loss and accuracy per epoch of the digits MLP, one colour per train/test split."""
    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for k, (s, h) in enumerate(zip(runs.split_seeds, runs.histories)):
        _curves(ax_loss, ax_acc, h, f"C{k}", train_label=None, test_label=f"split {s}", alpha=0.8)
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log", title="loss (dashed = train)")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0.85, 1.0), title="accuracy (dashed = train)")
    ax_acc.legend(fontsize=8, loc="lower right", title="test set of", title_fontsize=8)
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def overfitting_curves(res, fig=None):
    """Train and test loss and accuracy of the overfitting run; the best test epoch is marked."""
    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    _curves(ax_loss, ax_acc, res.history, "C0")
    for ax in (ax_loss, ax_acc):
        ax.axvline(res.best_test_epoch, color="0.5", ls=":",
                   label=f"lowest test loss (epoch {res.best_test_epoch})")
        ax.grid(alpha=0.3)
        ax.set(xlabel="epoch")
    ax_loss.set(ylabel="cross-entropy loss", yscale="log", title=f"loss, {res.n_train} training digits")
    ax_acc.set(ylabel="accuracy", ylim=(0, 1.02), title="accuracy: train reaches 100%, test does not")
    ax_loss.legend(fontsize=8)
    fig.tight_layout()
    return fig


def seed_minima(res, fig=None):
    """J per epoch for every seed of the XOR runs: solved runs blue, stuck ones red."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    for ok, color, word in ((True, "C0", "solved"), (False, "C3", "stuck")):
        runs = [r for r, s_ in zip(res.runs, res.solved) if s_ == ok]
        for k, r in enumerate(runs):
            label = f"{word}: seeds {', '.join(str(q.seed) for q in runs)}" if k == 0 else None
            ax.plot(r.losses, color=color, alpha=0.8, lw=1.2, label=label)
    ax.set(xlabel="epoch", ylabel="J (sum of $J_p$ over the 4 samples)", yscale="log",
           title=f"{int(res.solved.sum())} of {len(res.runs)} initial weights solve XOR")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# end of chapter 07


# --- chapter 08 ---------------------------------------------------------------

def gradient_profiles(res, fig=None):
    """||dL/dW|| per layer (input layer 1 on the left, output on the right), log scale,
    one line per stack of :func:`dlcourse.experiments.deep.gradient_profiles`."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    layers = np.arange(1, res.norms.shape[1] + 1)
    for k, (name, norms) in enumerate(zip(res.names, res.norms)):
        ax.plot(layers, norms, "o-", color=f"C{k}", label=name)
    ax.set(yscale="log", xlabel="layer (1 = next to the input)", ylabel="||dL/dW|| at initialisation",
           title=f"{res.norms.shape[1] - 1} hidden layers of {res.sizes[1]} units: gradient per layer")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def playground_depth(res, fig=None):
    """One Playground boundary per activation of the deep net, with its test accuracy."""
    n = len(res.results)
    fig = _figure(fig, (3.2 * n, 3.4))
    for k, r in enumerate(res.results):
        ax = fig.add_subplot(1, n, k + 1)
        _playground_map(ax, r, size=6)
        ax.set(title=f"{r.settings['activation']}: train {100 * r.train_acc:.1f}%, test {100 * r.test_acc:.1f}%",
               xticks=[-6, 0, 6], yticks=[-6, 0, 6], xlabel="x1", ylabel="x2" if k == 0 else None)
    fig.tight_layout()
    return fig


def activation_histograms(res, fig=None):
    """Histograms of every layer's activations (columns) for each activation/init (rows)."""
    n_cases, depth = len(res.cases), res.acts[0].shape[0]
    fig = _figure(fig, (2.0 * depth, 1.6 * n_cases))
    for i, ((act, init), layers) in enumerate(zip(res.cases, res.acts)):
        rng = (0.0, 1.0) if act == "sigmoid" else (-1.0, 1.0) if act == "tanh" else (0.0, 3.0)
        for j, a in enumerate(layers):
            ax = fig.add_subplot(n_cases, depth, i * depth + j + 1)
            vals = a[a > 0] if act == "relu" else a.ravel()     # ReLU's many zeros would hide the rest
            ax.hist(vals, bins=30, range=rng, color=f"C{i}")
            ax.set_yticks([])
            ax.tick_params(labelsize=7)
            if i == 0:
                ax.set_title(f"layer {j + 1}", fontsize=9)
            if j == 0:
                ax.set_ylabel(f"{act}\n{init}", fontsize=9)
    fig.suptitle("activations per layer (counts; for ReLU only the positive values, "
                 "about half: the rest are 0)", fontsize=10)
    fig.tight_layout()
    return fig


def deep_run(run, fig=None):
    """Left: ||dL/dW|| per layer at initialisation (log scale). Right: the loss over the Adam steps.

    Called again with a ``fig`` it drew before (the widget), it only updates
    its lines, limits and titles.
    """
    from matplotlib.ticker import MaxNLocator

    h = getattr(fig, "_deep_run", None) if fig is not None else None
    if h is None:
        fig = _figure(fig, (9, 3.4))
        left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
        (norms,) = left.plot([], [], "o-", color="C0")
        left.set(yscale="log", xlabel="layer (1 = next to the input)", ylabel="||dL/dW||")
        left.grid(alpha=0.3)
        (loss,) = right.plot([], [], color="C3")
        right.axhline(np.log(10), color="0.6", ls=":", lw=1)      # loss of a uniform guess
        right.set(xlabel="Adam step", ylabel="cross-entropy loss")
        right.yaxis.set_major_locator(MaxNLocator(4))
        right.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        right.grid(alpha=0.3)
        h = dict(left=left, right=right, norms=norms, loss=loss)
        if fig is not None:
            fig._deep_run = h
        _fast_layout(fig, left=0.1, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    layers = np.arange(1, len(run.norms) + 1)
    h["norms"].set_data(layers, run.norms)
    finite = run.norms[np.isfinite(run.norms) & (run.norms > 0)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (1e-3, 1.0)
    lo = min(lo / 5, hi * 5e-4)                    # at least 4 decades: flat lines look flat
    h["left"].set(xlim=(0.5, max(2, len(layers)) + 0.5), ylim=(lo, hi * 5))
    h["left"].xaxis.set_major_locator(MaxNLocator(6, integer=True))
    _plain_log_ticks(h["left"].yaxis, n=6)
    h["left"].set_title(f"{run.depth} x 30 {run.activation}, init {run.init}: "
                        f"output/input {run.norms[-1] / run.norms[0]:.0e}", y=1.01, fontsize=10)
    steps = np.arange(len(run.losses))
    h["loss"].set_data(steps, run.losses)
    top = float(np.nanmax(run.losses)) if np.isfinite(run.losses).any() else 3.0
    h["right"].set(xlim=(0, steps[-1]), ylim=(0, max(2.5, min(top, 30.0)) * 1.05))
    h["right"].set_title(f"loss {run.losses[0]:.2f} -> {run.losses[-1]:.2f} "
                         f"(dotted: ln 10, a uniform guess)", y=1.01, fontsize=10)
    return fig


# end of chapter 08


# --- chapter 09 ---------------------------------------------------------------

_BOWL_X, _BOWL_Y = (-10.0, 10.0), (-5.0, 5.0)
_OPT_COLORS = {"sgd": "C3", "momentum": "C0", "adagrad": "C2", "rmsprop": "C4", "adam": "C1"}


def _ellipse_levels(ax, levels=(0.05, 0.2, 0.5, 1.0, 2.0, 3.5, 5.0, 6.45, 9.0, 12.0)):
    """Level sets of x²/20 + y² (ellipses, 4.5 times wider than tall) as one LineCollection."""
    from matplotlib.collections import LineCollection

    theta = np.linspace(0, 2 * np.pi, 121)
    rings = [np.column_stack([np.sqrt(20 * c) * np.cos(theta), np.sqrt(c) * np.sin(theta)]) for c in levels]
    ax.add_collection(LineCollection(rings, colors="0.75", linewidths=0.8))
    ax.plot(0, 0, "+", color="k", ms=10, mew=1.5)
    ax.set(xlim=_BOWL_X, ylim=_BOWL_Y, xlabel="x", ylabel="y")


def _clipped(path, window=1e3):
    """The path up to its first point far outside the window (Agg misdraws huge coordinates)."""
    far = np.any(~np.isfinite(path) | (np.abs(path) > window), axis=1)
    return path[: int(np.argmax(far))] if far.any() else path


def optimizer_paths(result, fig=None):
    """One panel per optimiser of a :class:`PathComparison` on the level sets of x²/20 + y²,
    and a last panel with f after each step of every run (log scale)."""
    from dlcourse.experiments.optimizers import LABELS

    fig = _figure(fig, (13, 6.6))
    for k, run in enumerate(result.runs):
        ax = fig.add_subplot(2, 3, k + 1)
        _ellipse_levels(ax)
        q = _clipped(run.path)
        ax.plot(q[:, 0], q[:, 1], "o-", color=_OPT_COLORS.get(run.name, "C3"), ms=3, lw=1)
        ax.plot(*run.path[0], "s", color="k", ms=5)
        ax.set_title(f"{LABELS[run.name]} (lr {run.lr:g}): f = {run.f[-1]:.4f}", fontsize=10)
    ax = fig.add_subplot(2, 3, 6)
    for run in result.runs:
        ax.semilogy(np.maximum(run.f, 1e-32), ".-", ms=3, color=_OPT_COLORS.get(run.name, "C3"),
                    label=LABELS[run.name])
    ax.set(xlabel="step", ylabel="f(x, y)", title="f after each step")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def optimizer_path(run, fig=None):
    """One optimiser's path on x²/20 + y² (left) and f after each step (right, log scale).

    Redrawing into a figure this function drew before only moves the lines and
    changes the titles and limits (the widget of chapter 09 redraws it often).
    """
    from dlcourse.experiments.optimizers import LABELS

    parts = getattr(fig, "_optimizer_path", None)
    if parts is None or parts["path"].axes not in fig.axes:
        parts = _optimizer_path_axes(fig)
        fig = parts["path"].figure
    q = _clipped(run.path)
    color = _OPT_COLORS.get(run.name, "C3")
    parts["path"].set_data(q[:, 0], q[:, 1])
    parts["path"].set_color(color)
    parts["start"].set_data([q[0, 0]], [q[0, 1]])
    parts["end"].set_data([q[-1, 0]], [q[-1, 1]])
    f = np.where(np.isfinite(run.f), run.f, 1e30)
    f = np.clip(f, 1e-32, 1e30)                           # 0 falls off a log axis; a huge f overflows its ticks
    parts["f"].set_data(np.arange(len(f)), f)
    parts["f"].set_color(color)
    left, right = parts["path"].axes, parts["f"].axes
    left.set_title(f"{LABELS[run.name]}, lr = {run.lr:.3g}, {run.steps} steps", y=1.01)
    right.set_xlim(0, max(1, run.steps))
    lo, hi = float(f.min()), float(f.max())
    right.set_ylim(max(lo / 3, 1e-32), min(hi * 3, 1e30))
    right.set_title(f"f after each step (end {run.f[-1]:.2e})", y=1.01)
    return fig


def _optimizer_path_axes(fig):
    """The axes and (empty) lines of :func:`optimizer_path`, remembered on the figure."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(fig, (10, 3.8))
    left = fig.add_axes((0.06, 0.14, 0.5, 0.74))
    _ellipse_levels(left)
    (start,) = left.plot([], [], "s", color="k", ms=6)
    (path,) = left.plot([], [], "o-", ms=3, lw=1)
    (end,) = left.plot([], [], "*", color="gold", ms=14, mec="k")
    left.set(xticks=[-10, -5, 0, 5, 10], yticks=[-4, -2, 0, 2, 4])   # few labels: text is most of a redraw
    right = fig.add_axes((0.66, 0.14, 0.32, 0.74))
    (f,) = right.plot([], [], ".-", ms=3)
    right.set(xlabel="step", ylabel="f(x, y) = x²/20 + y²", yscale="log")
    _plain_log_ticks(right.yaxis, n=5)
    right.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    fig._optimizer_path = {"start": start, "path": path, "end": end, "f": f}
    return fig._optimizer_path


def mnist1d_curves(result, fig=None):
    """Training loss and test accuracy per epoch, one colour per optimiser (:class:`LossCurves`)."""
    from dlcourse.experiments.optimizers import LABELS

    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for n in result.names:
        h = result.histories[n]
        epochs = np.arange(1, len(h["train_loss"]) + 1)
        label = f"{LABELS[n]} (lr {result.lrs[n]:g})"
        ax_loss.plot(epochs, h["train_loss"], "o-", ms=3, color=_OPT_COLORS.get(n), label=label)
        ax_acc.plot(epochs, h["test_acc"], "o-", ms=3, color=_OPT_COLORS.get(n), label=label)
    ax_loss.set(xlabel="epoch", ylabel="training loss (cross-entropy)", title="training loss")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy", title="test accuracy (chance 10%)", ylim=(0, 1))
    ax_acc.legend(fontsize=8, loc="lower right")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def batch_sizes(result, fig=None):
    """Minibatch loss (running mean) against samples seen and against updates, one colour per
    batch size (:class:`BatchSizes`)."""
    fig = _figure(fig, (10, 3.6))
    ax_s, ax_u = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for k, b in enumerate(result.batch_sizes):
        loss = np.asarray(result.histories[b]["batch_loss"])
        w = max(1, len(loss) // 40)                       # mean of the last w losses (1/40 of the run)
        total = np.concatenate([[0.0], np.cumsum(loss)])
        steps = np.arange(1, len(loss) + 1)               # the update each mean ends at
        smooth = (total[steps] - total[np.maximum(steps - w, 0)]) / np.minimum(steps, w)
        ax_s.plot(steps * b, smooth, color=f"C{k}", label=f"batch {b}")
        ax_u.plot(steps, smooth, color=f"C{k}", label=f"batch {b}")
    ax_s.set(xlabel="training samples seen", ylabel="minibatch loss (running mean)",
             title=f"same samples ({result.epochs} epochs)")
    ax_u.set(xlabel="parameter updates", xscale="log", title="per update: larger batches step better")
    ax_s.legend(fontsize=8)
    for ax in (ax_s, ax_u):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# end of chapter 09


# --- chapter 10 ---------------------------------------------------------------

def weight_decay_curves(res, fig=None):
    """Loss and accuracy per epoch of the weight-decay runs: one colour per λ, train dashed, test solid."""
    fig = _figure(fig, (10, 3.6))
    ax_loss, ax_acc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for k, (lam, h) in enumerate(zip(res.lambdas, res.histories)):
        _curves(ax_loss, ax_acc, h, f"C{k}", train_label=f"train, λ = {lam:g}", test_label=f"test, λ = {lam:g}")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log",
                title="loss (dashed = train, solid = test)")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02),
               title=f"accuracy, {res.n_train} training sequences")
    ax_acc.legend(fontsize=8, loc="center right")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def dropout_expectation(res, fig=None):
    """Max relative difference between the mean of n training passes and the test output, log-log."""
    fig = _figure(fig, (6, 3.8))
    ax = fig.add_subplot()
    n = np.asarray(res.samples, dtype=float)
    ax.plot(n, res.max_rel_diff["inverted"], "o-", color="C0", label="inverted: mean of x·m/(1-p) vs x")
    ax.plot(n, res.max_rel_diff["scale_at_test"], "x--", color="C1", ms=9,
            label="scale_at_test: mean of x·m vs (1-p)·x")
    ax.plot(n, 1 / np.sqrt(n), ":", color="0.4", label="1/√n")
    ax.set(xscale="log", yscale="log", xlabel="training-mode passes averaged (n)",
           ylabel="max relative difference", title=f"dropout p = {res.p:g}: both rules agree in expectation")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def dropout_ensemble(res, fig=None):
    """Accuracy of the average of k thinned networks, and its agreement with the test-mode pass."""
    fig = _figure(fig, (7, 3.8))
    ax = fig.add_subplot()
    k = np.arange(1, len(res.ensemble_acc) + 1)
    ax.plot(k, res.single_acc, ".", color="0.7", ms=3, label="one thinned network")
    ax.plot(k, res.ensemble_acc, color="C0", label="average of the first k")
    ax.plot(k, res.agreement, color="C2", ls="--", label="average agrees with test mode")
    ax.axhline(res.test_mode_acc, color="C3", ls=":", label=f"test mode, one pass ({res.test_mode_acc:.1%})")
    ax.set(xscale="log", xlabel="number of thinned networks k", ylabel="fraction of the test digits",
           ylim=(0.9, 1.005), title=f"dropout p = {res.p:g} as an ensemble of thinned networks")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def regularization_curves(run, fig=None):
    """Train (dashed) and test (solid) loss and accuracy of one grid run against samples seen.

    Redrawing into a figure this function drew before only updates lines and titles
    (the widget's speed)."""
    parts = getattr(fig, "_regularization_curves", None)
    if parts is None or parts["acc_train"].axes not in fig.axes:
        parts = _regularization_axes(fig)
        fig = parts["acc_train"].figure
    x, h = run.samples_seen, run.history
    for key in ("loss", "acc"):
        parts[f"{key}_train"].set_data(x, h[f"train_{key}"])
        parts[f"{key}_test"].set_data(x, h[f"test_{key}"])
    tr, te = h["train_acc"][-1], h["test_acc"][-1]
    parts["acc_train"].axes.set_title(f"accuracy: train {tr:.1%}, test {te:.1%}", y=1.01)
    parts["loss_train"].axes.set_title(f"loss: p = {run.dropout:g}, λ = {run.weight_decay:g}, "
                                       f"{run.n_train} digits", y=1.01)
    return fig


def _regularization_axes(fig):
    """The empty axes and lines of :func:`regularization_curves`, remembered on the figure."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(fig, (9, 3.4))
    parts = {}
    for k, key in enumerate(("loss", "acc")):
        ax = fig.add_subplot(1, 2, k + 1)
        (parts[f"{key}_train"],) = ax.plot([], [], "--", color="C0", label="train")
        (parts[f"{key}_test"],) = ax.plot([], [], "-", color="C1", label="test")
        ax.set_xlim(0, 4100)
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax.set_xlabel("training samples seen")
        ax.grid(alpha=0.3)
    ax_loss, ax_acc = parts["loss_train"].axes, parts["acc_train"].axes
    ax_loss.set(yscale="log", ylim=(0.005, 3), ylabel="cross-entropy loss")
    _plain_log_ticks(ax_loss.yaxis, n=5)
    ax_acc.set(ylim=(0.6, 1.01), ylabel="accuracy")
    ax_acc.yaxis.set_major_locator(MaxNLocator(4))
    ax_acc.legend(loc="lower right", fontsize=8)
    _fast_layout(fig, left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    fig._regularization_curves = parts
    return parts


# end of chapter 10


# --- chapter 11 ---------------------------------------------------------------

def _mosaic(images, rows, cols, side=8, gap=1):
    """Images (rows * cols, side * side) tiled into one (rows, cols) picture with white gaps."""
    step = side + gap
    out = np.full((rows * step - gap, cols * step - gap), np.nan)
    for k, img in enumerate(np.asarray(images)[:rows * cols]):
        r, c = divmod(k, cols)
        out[r * step:r * step + side, c * step:c * step + side] = img.reshape(side, side)
    return out


def _mosaic_axes(ax, picture, title, cmap="gray_r", vmin=0.0, vmax=1.0):
    im = ax.imshow(picture, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set(xticks=[], yticks=[], title=title)
    return im


def ae_reconstructions(res, fig=None):
    """Test digits (top row) and their reconstructions (bottom row) by one autoencoder.

    Reuses the figure's image artist when it already has one (the widget's fast path).
    """
    picture = _mosaic(np.vstack([res.originals, res.recons]), 2, len(res.originals))
    title = (f"bottleneck {res.bottleneck}: top originals, bottom reconstructions "
             f"(test MSE {res.test_mse:.4f})")
    im = getattr(fig, "_ae_im", None)
    if fig is not None and im is not None and im.axes.figure is fig and im.axes in fig.axes:
        im.set_data(picture)
        im.axes.set_title(title, fontsize=10)
        return fig
    fig = _figure(fig, (8, 2.6))
    ax = fig.add_subplot()
    fig._ae_im = _mosaic_axes(ax, picture, "")
    ax.set_title(title, fontsize=10)
    _fast_layout(fig, left=0.02, right=0.98, bottom=0.03, top=0.88)
    return fig


def bottleneck_errors(sweep, fig=None):
    """Train and test reconstruction error against the bottleneck size (log2 axis)."""
    fig = _figure(fig, (5.5, 3.4))
    ax = fig.add_subplot()
    hs = [r.bottleneck for r in sweep.runs]
    ax.plot(hs, [r.train_mse for r in sweep.runs], "o--", color="C0", label="train")
    ax.plot(hs, [r.test_mse for r in sweep.runs], "o-", color="C1", label="test")
    ax.set_xscale("log", base=2)
    ax.set_xticks(hs, [str(h) for h in hs])
    ax.minorticks_off()
    ax.set(xlabel="bottleneck size H (64-H-64)", ylabel="MSE per pixel", ylim=(0, None),
           title="A wider bottleneck keeps more of the image")
    ax.legend()
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.15, right=0.96, bottom=0.15, top=0.9)
    return fig


def _codes_scatter(ax, codes, labels, title, xlabel, ylabel):
    for d in range(10):
        pts = codes[labels == d]
        ax.scatter(pts[:, 0], pts[:, 1], s=8, color=f"C{d}", alpha=0.6)
        cx, cy = np.median(pts, axis=0)
        ax.text(cx, cy, str(d), fontsize=13, weight="bold", ha="center", va="center",
                color=f"C{d}", bbox=dict(boxstyle="round,pad=0.15", fc="white", alpha=0.8))
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)


def latent_codes(res, fig=None):
    """The 2-D codes of the test digits, coloured by digit (labels at each digit's median)."""
    fig = _figure(fig, (5.2, 4.6))
    ax = fig.add_subplot()
    _codes_scatter(ax, res.codes, res.labels, "64-2-64 autoencoder: codes of the test digits",
                   "code unit 1", "code unit 2")
    _fast_layout(fig, left=0.13, right=0.97, bottom=0.11, top=0.93)
    return fig


def pretraining_curves(res, fig=None):
    """Test accuracy per epoch of fine-tuning, pre-trained vs random initialisation."""
    fig = _figure(fig, (6, 3.6))
    ax = fig.add_subplot()
    epochs = np.arange(1, len(res.random["test_acc"]) + 1)
    ax.plot(epochs, res.pretrained["test_acc"], color="C2", label="pre-trained (autoencoders)")
    ax.plot(epochs, res.random["test_acc"], color="C3", label="random (Xavier) initialisation")
    ax.plot(epochs, res.pretrained["train_acc"], color="C2", ls="--", lw=0.8, label="train")
    ax.plot(epochs, res.random["train_acc"], color="C3", ls="--", lw=0.8)
    ax.set(xlabel="epoch of fine-tuning", ylabel="accuracy", ylim=(0, 1.02),
           title=f"{'-'.join(map(str, res.sizes))} sigmoid net, {res.n_labelled} labels")
    ax.legend(fontsize=8, loc="center right")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.12, right=0.96, bottom=0.14, top=0.9)
    return fig


def rbm_panel(res, fig=None):
    """RBM: reconstruction error per epoch, the learned filters, and Gibbs samples."""
    fig = _figure(fig, (11, 3.4))
    ax_err = fig.add_axes([0.06, 0.15, 0.22, 0.7])
    ax_err.plot(np.arange(len(res.errors)), res.errors, "o-", ms=3)
    ax_err.set(xlabel="epoch", ylabel="MSE per pixel (test)", title="CD-1 reconstruction error")
    ax_err.grid(alpha=0.3)
    F = res.filters
    lim = float(np.max(np.abs(F)))
    cols = 8
    _mosaic_axes(fig.add_axes([0.33, 0.05, 0.36, 0.8]), _mosaic(F, -(-len(F) // cols), cols),
                 f"{len(F)} filters W[:, j] (red +, blue -)", cmap="RdBu_r", vmin=-lim, vmax=lim)
    half = len(res.samples) // 2
    pics = np.vstack([res.originals[:half], res.recons[:half], res.samples])
    _mosaic_axes(fig.add_axes([0.72, 0.05, 0.26, 0.8]), _mosaic(pics, 4, half),
                 f"data, reconstruction,\n{res.gibbs_steps} Gibbs steps from noise (2 rows)")
    return fig


def vae_panel(res, fig=None):
    """VAE: the test digits' latent means, and images decoded over a grid of z."""
    from matplotlib.patches import Rectangle

    fig = _figure(fig, (10, 4.6))
    ax = fig.add_axes([0.06, 0.1, 0.4, 0.8])
    _codes_scatter(ax, res.mu, res.labels, "VAE: mean code mu(x) of the test digits",
                   "$z_1$", "$z_2$")
    lo, hi = res.grid_values[0], res.grid_values[-1]
    ax.add_patch(Rectangle((lo, lo), hi - lo, hi - lo, fill=False, ls="--", color="k"))
    G = len(res.grid_values)
    ax2 = fig.add_axes([0.52, 0.05, 0.46, 0.85])
    _mosaic_axes(ax2, _mosaic(res.grid.reshape(G * G, 64), G, G),
                 f"decoded sigmoid(s) over z in [{lo:g}, {hi:g}]² (dashed box)")
    return fig


# end of chapter 11


# --- chapter 12 -------------------------------------------------------------------

# end of chapter 12


# --- chapter 13 -------------------------------------------------------------------

# end of chapter 13


# --- chapter 14 -------------------------------------------------------------------

# end of chapter 14


# --- chapter 15 -------------------------------------------------------------------

# end of chapter 15


# --- chapter 16 -------------------------------------------------------------------

# end of chapter 16


# --- chapter 17 -------------------------------------------------------------------

# end of chapter 17
