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
    from dlcourse.lessons.numerical_descent import parabola

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
    from dlcourse.lessons import araki as bp
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


def _running_mean(loss):
    """Minibatch losses -> (update number 1..n, mean of the last n/40 losses at each update)."""
    loss = np.asarray(loss)
    w = max(1, len(loss) // 40)
    total = np.concatenate([[0.0], np.cumsum(loss)])
    steps = np.arange(1, len(loss) + 1)               # the update each mean ends at
    return steps, (total[steps] - total[np.maximum(steps - w, 0)]) / np.minimum(steps, w)


def batch_sizes(result, fig=None):
    """Minibatch loss (running mean) against samples seen and against updates, one colour per
    batch size (:class:`BatchSizes`)."""
    fig = _figure(fig, (10, 3.6))
    ax_s, ax_u = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for k, b in enumerate(result.batch_sizes):
        steps, smooth = _running_mean(result.histories[b]["batch_loss"])
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


def batch_size_run(result, fig=None):
    """Minibatch loss (running mean) against samples seen for one batch size and learning
    rate (a one-size :class:`BatchSizes`), on fixed axes so runs compare by eye.

    The figure is built once; later calls only move the line and the title.
    """
    fig = _figure(fig, (6, 3.4)) if fig is None else fig
    b = result.batch_sizes[0]
    steps, smooth = _running_mean(result.histories[b]["batch_loss"])
    title = (f"batch {b}, lr {result.lr:g}: {result.updates(b)} updates, "
             f"test acc {result.histories[b]['test_acc'][-1]:.1%}")
    parts = getattr(fig, "_batch_size_parts", None)
    if parts is None:
        fig.clear()
        ax = fig.add_subplot(1, 1, 1)
        (line,) = ax.plot(steps * b, smooth, color="C0")
        ax.set(xlim=(0, result.epochs * result.n_train), ylim=(0, 3.5),
               xlabel="training samples seen", ylabel="minibatch loss (running mean)")
        ax.grid(alpha=0.3)
        _fast_layout(fig, left=0.12, right=0.97, bottom=0.15, top=0.88)
        parts = fig._batch_size_parts = (ax, line)
    ax, line = parts
    line.set_data(steps * b, smooth)
    ax.set_title(title, fontsize=10)
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

def _cnn_image(ax, img, title, cmap="gray", vmin=None, vmax=None):
    im = ax.imshow(img, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set(xticks=[], yticks=[])
    ax.set_title(title, fontsize=9)
    return im


def _signed_limit(img, q=99.5):
    """Colour limit for a signed response: a high percentile of |img|, so that the many
    moderate edges show and a few extreme pixels saturate."""
    return max(1e-9, float(np.percentile(np.abs(img), q)))


def photo_filters(res, fig=None):
    """The photo, the photo with noise, the noisy photo after the 1/9 mean filter, and the
    vertical edge filter's response on the clean photo (red +, blue −)."""
    fig = _figure(fig, (11, 3.6))
    lim = _signed_limit(res.edges)
    panels = [(res.clean, "photograph (grayscale)", "gray", 0, 1),
              (res.noisy, f"+ noise (std {res.noise:g}): RMS {res.rms_noisy:.3f}", "gray", 0, 1),
              (res.smoothed, f"1/9 mean filter: RMS {res.rms_smoothed:.3f}", "gray", 0, 1),
              (res.edges, "vertical edge filter [-1, 0, 1]", "RdBu_r", -lim, lim)]
    for k, (img, title, cmap, lo, hi) in enumerate(panels):
        _cnn_image(fig.add_subplot(1, 4, k + 1), img, title, cmap, lo, hi)
    _fast_layout(fig, left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05)
    return fig


def _cnn_kernel_axes(ax, kernel):
    """A 3x3 kernel as coloured cells with its numbers; returns (image, texts)."""
    lim = max(1.0, float(np.max(np.abs(kernel))))
    im = ax.imshow(kernel, cmap="RdBu_r", vmin=-lim, vmax=lim)
    texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=10) for j in range(3)]
             for i in range(3)]
    ax.set(xticks=[], yticks=[])
    ax.set_title("kernel (3x3)", fontsize=10)
    return im, texts


def filter_editor(res, fig=None):
    """A 3x3 kernel, the photo, and the photo filtered by it (:class:`FilteredPhoto`).

    Redrawing into a figure this function drew before only updates the images,
    colour limits and texts (the widget's fast path).
    """
    parts = getattr(fig, "_filter_editor", None)
    if parts is None or parts["out"].axes not in fig.axes:
        fig = _figure(fig, (9.6, 3.6))
        ax_k = fig.add_axes([0.01, 0.25, 0.2, 0.55])
        k_im, texts = _cnn_kernel_axes(ax_k, res.kernel)
        _cnn_image(fig.add_axes([0.23, 0.02, 0.37, 0.88]), res.image, "photograph", "gray", 0, 1)
        out = _cnn_image(fig.add_axes([0.62, 0.02, 0.37, 0.88]), res.out, "", "RdBu_r")
        fig._filter_editor = parts = {"kernel": k_im, "texts": texts, "out": out}
    parts["kernel"].set_data(res.kernel)
    lim = max(1.0, float(np.max(np.abs(res.kernel))))
    parts["kernel"].set_clim(-lim, lim)
    for i in range(3):
        for j in range(3):
            v = res.kernel[i, j]
            parts["texts"][i][j].set_text(f"{v:.2f}")
            parts["texts"][i][j].set_color("white" if abs(v) > 0.6 * lim else "black")
    out_lim = _signed_limit(res.out)
    if np.all(res.kernel >= 0):    # a smoothing filter: show it as a photo
        parts["out"].set_cmap("gray")
        parts["out"].set_clim(0, max(out_lim, 1e-9))
    else:                          # signed response: red +, blue −, white 0
        parts["out"].set_cmap("RdBu_r")
        parts["out"].set_clim(-out_lim, out_lim)
    parts["out"].set_data(res.out)
    parts["out"].axes.set_title(f"filtered (sum of weights {res.kernel.sum():.2f}; "
                                f"range {res.out.min():.2f}..{res.out.max():.2f})", fontsize=9)
    return fig


def _cnn_grid(ax, lo, hi):
    """Cell borders of the square grid of cells lo..hi-1 (two line collections: cheap to draw)."""
    edges = np.arange(lo, hi + 1) - 0.5
    ax.vlines(edges, lo - 0.5, hi - 0.5, color="0.6", lw=0.5)
    ax.hlines(edges, lo - 0.5, hi - 0.5, color="0.6", lw=0.5)


def conv_geometry(res, fig=None):
    """Input grid (padding shaded) with the receptive fields of the first and last output
    units, and the output grid with those two units (:class:`ConvGeometry`)."""
    from matplotlib.patches import Rectangle

    fig = _figure(fig, (9, 4.2))
    ax_in, ax_out = fig.add_axes([0.04, 0.06, 0.5, 0.8]), fig.add_axes([0.6, 0.06, 0.36, 0.8])
    n, p = res.size, res.pad
    lo = min(-p, res.first[0]) if res.valid else -p
    hi = max(n - 1 + p, res.last[1]) if res.valid else n - 1 + p
    for ax, size in ((ax_in, None), (ax_out, None)):
        ax.set_aspect("equal")
        ax.set(xticks=[], yticks=[])
    ax_in.add_patch(Rectangle((-p - 0.5, -p - 0.5), n + 2 * p, n + 2 * p, fc="0.85", ec="none"))
    ax_in.add_patch(Rectangle((-0.5, -0.5), n, n, fc="white", ec="k", lw=1.2))
    _cnn_grid(ax_in, -p, n + p)
    ax_in.set(xlim=(lo - 0.7, hi + 0.7), ylim=(hi + 0.7, lo - 0.7))
    ax_in.set_title(f"input {n}x{n}" + (f" + padding {p} (grey)" if p else ""), fontsize=10)
    fig.suptitle(f"kernel {res.kernel}x{res.kernel}, stride {res.stride}, padding {p}, "
                 f"{res.layers} layer(s): OH = (H + 2P - FH) // S + 1", fontsize=10)
    if not res.valid:
        ax_out.axis("off")
        ax_out.text(0.5, 0.5, "no output:\nthe kernel is larger\nthan the padded input",
                    ha="center", va="center", fontsize=11, color="C3", transform=ax_out.transAxes)
        return fig
    m = res.sizes[-1]
    for (a, b), color in ((res.first, "C0"), (res.last, "C3")):
        ax_in.add_patch(Rectangle((a - 0.5, a - 0.5), b - a + 1, b - a + 1, fc=color, alpha=0.25,
                                  ec=color, lw=2))
    ax_in.set_xlabel(f"receptive fields of the first (blue) and last (red) output unit: "
                     f"{res.receptive}x{res.receptive}", fontsize=9)
    if res.layers == 1:   # where each window of the layer starts: every S-th cell
        starts = np.arange(res.sizes[1]) * res.stride - p
        gx, gy = np.meshgrid(starts, starts)
        ax_in.plot(gx.ravel(), gy.ravel(), "k.", ms=4)
    ax_out.add_patch(Rectangle((-0.5, -0.5), m, m, fc="white", ec="k", lw=1.2))
    _cnn_grid(ax_out, 0, m)
    for (i, color) in ((0, "C0"), (m - 1, "C3")):
        ax_out.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, fc=color, alpha=0.5, ec=color, lw=2))
    ax_out.set(xlim=(-0.7, max(m, 3) - 0.3), ylim=(max(m, 3) - 0.3, -0.7))
    chain = " -> ".join(f"{s}x{s}" for s in res.sizes)
    ax_out.set_title(f"output {m}x{m}  ({chain})", fontsize=10)
    if res.layers == 1:
        ax_out.set_xlabel("black dots (left): the top-left corner of each window", fontsize=9)
    return fig


def photo_pooling(res, fig=None, size=4):
    """The |vertical edge| map of the photo and its max and average pooling (size x size)."""
    fig = _figure(fig, (10, 3.6))
    mx, av = res.pooled[("max", size)], res.pooled[("average", size)]
    vmax = float(res.edges.max())
    panels = [(res.edges, f"|vertical edges| {res.edges.shape[0]}x{res.edges.shape[1]}"),
              (mx, f"max pool {size}x{size}: {mx.shape[0]}x{mx.shape[1]}"),
              (av, f"average pool {size}x{size}: {av.shape[0]}x{av.shape[1]}")]
    for k, (img, title) in enumerate(panels):
        _cnn_image(fig.add_subplot(1, 3, k + 1), img, title, "magma", 0, vmax * 0.6)
    _fast_layout(fig, left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05)
    return fig


def batchnorm_maps(res, fig=None, digit=0):
    """One digit's four feature maps: raw, normalised per channel, normalised per position."""
    C = res.maps.shape[1]
    fig = _figure(fig, (8, 6.4))
    rows = [(res.maps, "raw"), (res.per_channel, "per channel"), (res.per_position, "per position")]
    for r, (maps, name) in enumerate(rows):
        for c in range(C):
            ax = fig.add_subplot(3, C, r * C + c + 1)
            img = maps[digit, c]
            lim = max(1e-9, float(np.max(np.abs(img))))
            _cnn_image(ax, img, res.filter_names[c] if r == 0 else "", "RdBu_r", -lim, lim)
            if c == 0:
                ax.set_ylabel(name, fontsize=10)
    fig.suptitle("one digit's feature maps (colour scale per map: red +, blue -)", fontsize=10)
    _fast_layout(fig, left=0.05, right=0.99, bottom=0.02, top=0.9, wspace=0.05, hspace=0.15)
    return fig


def cnn_run(run, fig=None, show=12):
    """Test accuracy and training loss per epoch, and the first misclassified test digits."""
    fig = _figure(fig, (11, 3.6))
    ax = fig.add_axes([0.06, 0.15, 0.3, 0.72])
    epochs = np.arange(1, len(run.test_acc) + 1)
    ax.plot(epochs, run.test_acc, "o-", color="C0", label="test accuracy")
    ax.set(xlabel="epoch", ylabel="test accuracy", ylim=(min(0.9, min(run.test_acc)), 1.0),
           xticks=epochs, title=f"final test accuracy {run.accuracy:.1%}")
    ax.axhline(0.97, color="0.5", ls=":", lw=1)
    ax.text(1, 0.971, "97%", color="0.4", fontsize=8, va="bottom")
    ax.grid(alpha=0.3)
    ax2 = ax.twinx()
    ax2.plot(epochs, run.train_loss, "s--", color="C1", ms=4, label="training loss")
    ax2.set_ylabel("training loss", color="C1")
    wrong = np.flatnonzero(run.predictions != run.labels)[:show]
    cols = 6
    for k, i in enumerate(wrong):
        a = fig.add_axes([0.42 + (k % cols) * 0.095, 0.5 - (k // cols) * 0.42, 0.085, 0.33])
        _cnn_image(a, run.x_test[i, 0], f"{run.labels[i]} -> {run.predictions[i]}", "gray_r", 0, 1)
    fig.text(0.42, 0.93, "misclassified test digits (true -> predicted)", fontsize=10)
    return fig


def cnn_feature_maps(res, fig=None):
    """The test digit, the 16 first-layer filters, their 16 feature maps, and the 32 maps
    after the second pooling (:class:`FeatureMaps`)."""
    fig = _figure(fig, (12, 3.6))
    _cnn_image(fig.add_axes([0.0, 0.2, 0.14, 0.6]), res.image, f"digit {res.label}", "gray_r", 0, 1)
    lim = float(np.max(np.abs(res.filters)))
    n = len(res.filters)
    cols = int(np.ceil(np.sqrt(n)))
    _cnn_image(fig.add_axes([0.16, 0.05, 0.2, 0.8]), _mosaic(res.filters, cols, cols, side=3),
                f"{n} learned 3x3 filters", "RdBu_r", -lim, lim)
    _cnn_image(fig.add_axes([0.38, 0.05, 0.25, 0.8]), _mosaic(res.maps1, cols, cols, side=28),
                f"their maps after ReLU ({res.maps1.shape[1]}x{res.maps1.shape[2]})", "magma", 0,
                float(res.maps1.max()))
    m = len(res.maps2)
    _cnn_image(fig.add_axes([0.65, 0.05, 0.34, 0.8]), _mosaic(res.maps2, m // 8, 8, side=7),
                f"{m} maps after the 2nd pooling (7x7)", "magma", 0, float(res.maps2.max()))
    return fig


def transfer_bars(res, fig=None):
    """Test accuracy on digits 5-9 for each draw of the few labelled images: transfer,
    scratch and frozen random conv layers side by side."""
    fig = _figure(fig, (7.2, 3.6))
    ax = fig.add_subplot()
    k = np.arange(res.draws)
    bars = [(res.transfer, "C2", "transfer (conv learned on 0-4, frozen)"),
            (res.scratch, "C7", "from scratch"),
            (res.random_features, "C9", "random conv (frozen)")]
    for b, (accs, color, label) in enumerate(bars):
        x = k + (b - 1) * 0.27
        ax.bar(x, accs, 0.27, color=color, label=f"{label}: mean {np.mean(accs):.1%}")
        for xi, v in zip(x, accs):
            ax.text(xi, v + 0.01, f"{100 * v:.0f}", ha="center", fontsize=7)
    ax.set(xticks=k, xticklabels=[f"draw {i + 1}" for i in k], ylim=(0, 1.38), yticks=np.linspace(0, 1, 6),
           ylabel="test accuracy on 5-9", title=f"{res.per_class} labelled images per digit 5-9")
    ax.legend(fontsize=8, loc="upper center", ncol=1, frameon=False)
    _fast_layout(fig, left=0.1, right=0.98, bottom=0.1, top=0.9)
    return fig


def mnist1d_cnn_curve(res, fig=None):
    """Test accuracy of the 1-D CNN against training steps, with the paper's table as lines."""
    from dlcourse.experiments.cnn import PAPER_MNIST1D

    fig = _figure(fig, (6.4, 3.6))
    ax = fig.add_subplot()
    ax.plot(res.steps, res.test_acc, "o-", color="C0", ms=4, label="1-D CNN (this run)")
    for (name, acc), color in zip(PAPER_MNIST1D.items(), ("C7", "C1", "C3", "C2")):
        ax.axhline(acc, color=color, ls="--", lw=1, label=f"paper: {name} {acc:.0%}")
    ax.set(xlabel="training step (batch of 100)", ylabel="test accuracy", ylim=(0, 1),
           title="MNIST-1D: a 1-D CNN")
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.12, right=0.97, bottom=0.14, top=0.9)
    return fig


# end of chapter 12


# --- chapter 13 -------------------------------------------------------------------

def _ch13_arrow(ax, a, b, color="k", lw=1.2, ls="-"):
    ax.annotate("", xy=b, xytext=a, arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, ls=ls,
                                                   shrinkA=0, shrinkB=0))


def _ch13_box(ax, x, y, text):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - 0.45, y - 0.3), 0.9, 0.6, boxstyle="round,pad=0.05",
                                fc="#f2f2f2", ec="k", lw=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def rnn_unrolled(res, fig=None):
    """Left: the RNN with its feedback loop. Right: the same net unrolled over the T steps of
    :func:`dlcourse.experiments.rnn.unrolled_bptt`. Each state h_t is drawn as H squares
    (blue > 0, orange < 0); the dashed red arrows are the backward pass (BPTT), labelled with
    ||dL/dh_t||."""
    from matplotlib.patches import Rectangle

    T, H = res.hs.shape
    fig = _figure(fig, (1.5 + 1.45 * T, 3.0))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    cmap = _pm1_cmap()
    # (a) one box whose output comes back as its next input
    _ch13_box(ax, 0, 0, "RNN")
    _ch13_arrow(ax, (0, -1.1), (0, -0.35))
    ax.text(0, -1.2, "$x_t$", ha="center", va="top")
    _ch13_arrow(ax, (0, 0.35), (0, 1.0))
    ax.text(0, 1.05, "$h_t$", ha="center", va="bottom")
    ax.annotate("", xy=(-0.5, -0.1), xytext=(0, 0.65),
                arrowprops=dict(arrowstyle="-|>", connectionstyle="arc3,rad=1.2", lw=1.2))
    ax.text(0, 2.0, "(a) recurrent", ha="center", fontsize=10)
    ax.text(1.1, 0, "=", fontsize=18, ha="center", va="center")
    x0, gap = 2.4, 2.0                                     # (b) unrolled along time
    for t in range(T):
        x = x0 + gap * t
        _ch13_box(ax, x, 0, f"RNN\nt={t}")
        _ch13_arrow(ax, (x, -1.1), (x, -0.35))
        ax.text(x, -1.2, f"$x_{t}$", ha="center", va="top")
        _ch13_arrow(ax, (x, 0.35), (x, 0.95))
        for i, v in enumerate(res.hs[t]):                  # h_t as H coloured squares
            ax.add_patch(Rectangle((x - 0.15 * H + 0.3 * i, 1.0), 0.28, 0.28,
                                   fc=cmap(0.5 + v / 2), ec="0.3", lw=0.5))
        ax.text(x, 1.35, f"$h_{t}$", ha="center", va="bottom", fontsize=10)
        right = x0 + gap * (t + 1) - 0.5 if t < T - 1 else x + 1.3
        _ch13_arrow(ax, (x + 0.5, 0.12), (right, 0.12))
        _ch13_arrow(ax, (right, -0.15), (x + 0.5, -0.15), "C3", 1.0, "--")
        ax.text((x + 0.5 + right) / 2, -0.25, f"{res.dh_norms[t]:.3g}", color="C3", fontsize=8,
                ha="center", va="top")
    xl = x0 + gap * (T - 1) + 1.6
    ax.text(xl, 0, "L", fontsize=12, ha="center", va="center",
            bbox=dict(boxstyle="circle", fc="#fde0dd", ec="C3"))
    ax.text((x0 + xl) / 2, 2.0, f"(b) unrolled over T = {T} steps; red: BPTT, labelled ||dL/dh_t||",
            ha="center", fontsize=10)
    ax.set(xlim=(-0.9, xl + 0.5), ylim=(-1.7, 2.3))
    ax.set_aspect("equal")
    return fig


def rnn_gradient_flow(res, fig=None):
    """||dh_T/dh_(T-k)|| against k (log scale), one line per spectral radius of Wh."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    k = np.arange(res.norms.shape[1])
    for i, (r, row) in enumerate(zip(res.radii, res.norms)):
        ax.semilogy(k, row, color=f"C{i}", label=f"radius {r:g}")
    ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
    ax.set(xlabel="steps back k", ylabel="||dh_T / dh_(T-k)||",
           title=f"tanh RNN (H = {res.H}): gradient against the time lag")
    _plain_log_ticks(ax.yaxis)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.13, right=0.97, bottom=0.14, top=0.9)
    return fig


def rnn_gradient_lag(res, fig=None):
    """One radius's ||dh_T/dh_(T-k)|| (blue) over the lesson's radii (grey), the lag k marked.

    Drawn once; later calls with the same figure only move the line, the marker and the title.
    """
    parts = getattr(fig, "_ch13_lag", None) if fig is not None else None
    T = len(res.norms)
    k = np.arange(T)
    if parts is None or parts["line"].axes not in fig.axes:
        fig = _figure(fig, (6.5, 3.6))
        ax = fig.add_subplot()
        for r, row in zip(res.reference.radii, res.reference.norms):
            ax.semilogy(k, np.maximum(row, 1e-300), color="0.8", lw=1)
            ax.text(T - 1, min(max(row[-1], 2e-30), 3e9), f" {r:g}", color="0.55", fontsize=8, va="center")
        (line,) = ax.semilogy(k, np.ones(T), color="C0", lw=2)
        (dot,) = ax.plot([0], [1], "o", color="C3", ms=7)
        vline = ax.axvline(0, color="C3", lw=0.8, ls=":")
        ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
        ax.set(xlabel="steps back k", ylabel="||dh_T / dh_(T-k)||", xlim=(0, T + 3), ylim=(1e-30, 1e10))
        _plain_log_ticks(ax.yaxis, n=6)
        ax.grid(alpha=0.3)
        _fast_layout(fig, left=0.13, right=0.97, bottom=0.14, top=0.9)
        parts = dict(line=line, dot=dot, vline=vline)
        fig._ch13_lag = parts
    parts["line"].set_data(k, np.maximum(res.norms, 1e-300))
    value = max(res.norms[res.lag], 1e-300)
    parts["dot"].set_data([res.lag], [value])
    parts["vline"].set_xdata([res.lag, res.lag])
    parts["line"].axes.set_title(f"spectral radius {res.radius:.2f} (grey: radii of the table): "
                                 f"k = {res.lag} gives {res.norms[res.lag]:.1e}", fontsize=10)
    return fig


def esn_forecast(run, fig=None):
    """The end of the training stretch (grey), then the truth (black) and the ESN's
    closed-loop output (red); the dotted line marks where it leaves the 0.2-std band.

    Drawn once; later calls with the same figure only move the lines and the title.
    """
    parts = getattr(fig, "_ch13_esn", None) if fig is not None else None
    n_show, n_gen = len(run.history), len(run.generated)
    if parts is None or parts["gen"].axes not in fig.axes:
        fig = _figure(fig, (9, 3.3))
        ax = fig.add_subplot()
        ax.plot(np.arange(-n_show, 0), run.history, color="0.6", lw=1, label="training data (end)")
        (truth,) = ax.plot(np.arange(n_gen), run.truth, color="k", lw=1, label="truth")
        (gen,) = ax.plot(np.arange(n_gen), run.generated, color="C3", lw=1.3, label="ESN, closed loop")
        vline = ax.axvline(0, color="C3", ls=":", lw=1)
        ax.axvline(0, color="0.4", lw=0.8)
        ax.set(xlabel="time step (0 = end of training)", ylabel="x(t)", xlim=(-n_show, n_gen), ylim=(0.2, 1.6),
               yticks=[0.4, 0.8, 1.2], xticks=[-200, 0, 200, 400])
        ax.legend(fontsize=8, loc="upper left", ncol=3)
        _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.89)
        parts = dict(gen=gen, truth=truth, vline=vline)
        fig._ch13_esn = parts
    parts["gen"].set_ydata(np.clip(run.generated, -1.0, 3.0))
    parts["vline"].set_xdata([run.valid, run.valid])
    parts["gen"].axes.set_title(f"Mackey-Glass, ESN radius {run.radius:.2f}, leak {run.leak:.1f}, "
                                f"reservoir {run.seed}: {run.valid} good closed-loop steps", fontsize=10)
    return fig


def esn_sweep(sweep, fig=None):
    """Closed-loop good steps against the spectral radius: one colour per leak, a dot per reservoir,
    the line through the medians."""
    fig = _figure(fig, (6, 3.5))
    ax = fig.add_subplot()
    r = np.array(sweep.radii)
    for i, leak in enumerate(sweep.leaks):
        v = sweep.valid(leak)
        for j in range(v.shape[1]):
            ax.plot(r + 0.01 * (i - 0.5), v[:, j], ".", color=f"C{i}", alpha=0.5)
        ax.plot(r, np.median(v, axis=1), "o-", color=f"C{i}", label=f"leak {leak:g}")
    ax.set(xlabel="spectral radius of the reservoir", ylabel="good closed-loop steps",
           title="ESN on Mackey-Glass: dots are reservoirs, lines their median")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.13, right=0.97, bottom=0.15, top=0.9)
    return fig


def rnn_variant_flow(res, fig=None):
    """||dh_T/dh_(T-k)|| against k for the plain, leaky and skip RNNs of :func:`variant_flow`.

    Drawn once; later calls with the same figure only move the lines and relabel them.
    """
    parts = getattr(fig, "_ch13_var", None) if fig is not None else None
    T = res.norms.shape[1]
    k = np.arange(T)
    if parts is None or parts["lines"][0].axes not in fig.axes:
        fig = _figure(fig, (6.5, 3.6))
        ax = fig.add_subplot()
        lines = [ax.semilogy(k, np.ones(T), color=c, lw=1.8)[0] for c in ("0.4", "C2", "C4")]
        ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
        ax.set(xlabel="steps back k", ylabel="||dh_T / dh_(T-k)||", xlim=(0, T - 1), ylim=(1e-12, 10),
               title=f"same Wh (spectral radius {res.radius:g}): plain, leaky, skip")
        _plain_log_ticks(ax.yaxis, n=6)
        ax.grid(alpha=0.3)
        legend = ax.legend(lines, res.names, fontsize=8, loc="lower left")
        _fast_layout(fig, left=0.13, right=0.97, bottom=0.14, top=0.9)
        parts = dict(lines=lines, legend=legend)
        fig._ch13_var = parts
    for line, row, name, text in zip(parts["lines"], res.norms, res.names, parts["legend"].get_texts()):
        line.set_ydata(np.maximum(row, 1e-300))
        text.set_text(name)
    return fig


def bidirectional_accuracy(view, fig=None):
    """Left: test accuracy against the lag, unidirectional and bidirectional, the selected lag
    marked. Right: one test sequence at that lag: the true label and both taggers' P(X ahead)."""
    sweep = view.sweep
    parts = getattr(fig, "_ch13_bi", None) if fig is not None else None
    if parts is None or parts["im"].axes not in fig.axes:
        fig = _figure(fig, (10, 3.4))
        left = fig.add_axes((0.07, 0.15, 0.36, 0.72))
        lags, acc = np.array(sweep.lags), 100 * sweep.accuracy
        left.plot(lags, acc[:, 0], "o-", color="C1", label="unidirectional")
        left.plot(lags, acc[:, 1], "o-", color="C0", label="bidirectional")
        left.axhline(50, color="0.6", ls=":", lw=1)
        vline = left.axvline(0, color="C3", lw=1)
        left.set(xlabel="lag (how far ahead the X is)", ylabel="test accuracy (%)", ylim=(40, 102),
                 title=f"H = {sweep.H} units in all, T = {sweep.T}", yticks=[50, 75, 100],
                 xticks=list(sweep.lags)[::2])
        left.legend(fontsize=8, loc="lower left")
        left.grid(alpha=0.3)
        right = fig.add_axes((0.53, 0.22, 0.45, 0.56))
        im = right.imshow(np.zeros((3, sweep.T)), cmap=_pm1_cmap(), vmin=0, vmax=1, aspect="auto")
        right.set_yticks([0, 1, 2], ["label", "unidir.", "bidir."])
        right.set_xticks(np.arange(sweep.T))
        parts = dict(im=im, vline=vline, right=right)
        fig._ch13_bi = parts
    from dlcourse.experiments.rnn import SYMBOLS

    sym, lab, p_uni, p_bi = sweep.examples[view.lag]
    rows = np.vstack([np.where(lab < 0, np.nan, lab), p_uni, p_bi])
    parts["im"].set_data(rows)
    parts["right"].set_xticklabels([SYMBOLS[s] for s in sym])
    parts["vline"].set_xdata([view.lag, view.lag])
    i = sweep.lags.index(view.lag)
    parts["right"].set_title(f"a test sequence, lag {view.lag}: P(X ahead), blue 1, orange 0\n"
                             f"accuracy: unidirectional {100 * sweep.accuracy[i, 0]:.0f}%, "
                             f"bidirectional {100 * sweep.accuracy[i, 1]:.0f}%", fontsize=10)
    return fig


def _ch13_tree_layout(batch):
    """x (in-order position) and y (-depth from the root) of every node of a one-tree batch."""
    n = len(batch)
    x, y, counter = np.zeros(n), np.zeros(n), [0]

    def visit(i, level):
        if batch.left[i] >= 0:
            visit(batch.left[i], level + 1)
        x[i], y[i] = counter[0], -level
        counter[0] += 1
        if batch.right[i] >= 0:
            visit(batch.right[i], level + 1)

    visit(batch.roots[0], 0)
    return x, y


def tree_net(res, fig=None):
    """Left: the example test tree, each node coloured by the TreeNet's P(True) (blue T, orange F),
    wrong nodes ringed in black. Right: root accuracy against tree depth, and the majority baseline."""
    from dlcourse import recursive

    fig = _figure(fig, (11, 3.8))
    ax = fig.add_axes((0.01, 0.03, 0.6, 0.85))
    batch = recursive.encode_trees([res.example])
    x, y = _ch13_tree_layout(batch)
    for i in np.flatnonzero(batch.inner):
        for j in (batch.left[i], batch.right[i]):
            ax.plot([x[i], x[j]], [y[i], y[j]], color="0.6", lw=1, zorder=1)
    cmap = _pm1_cmap()
    for i in range(len(batch)):                            # leaves show their value; inner nodes the prediction
        p = res.example_probs[i] if batch.inner[i] else float(batch.token[i])
        wrong = batch.inner[i] and (p > 0.5) != bool(batch.value[i])
        text = recursive.OPS[batch.token[i]] if batch.inner[i] else "TF"[1 - batch.token[i]]
        ax.text(x[i], y[i], text, ha="center", va="center", fontsize=8, zorder=3,
                bbox=dict(boxstyle="round,pad=0.3", fc=cmap(0.15 + 0.7 * p) if not batch.inner[i] else cmap(p),
                          ec="k" if wrong else "0.5", lw=2.0 if wrong else 0.6))
    ax.set(xlim=(x.min() - 0.7, x.max() + 0.7), ylim=(y.min() - 0.5, 0.5))
    ax.set_axis_off()
    ax.set_title(f"a test tree of depth {recursive.depth(res.example)}: operators coloured by the net's "
                 f"P(True), blue T, orange F\n(a black ring would mark a wrong node)", fontsize=10)
    right = fig.add_axes((0.68, 0.15, 0.3, 0.72))
    d = np.array(res.depths)
    right.axvspan(d.min() - 0.5, res.train_depth + 0.5, color="0.92")
    right.bar(d, 100 * res.accuracy, color="C0", width=0.6, label="TreeNet")
    right.plot(d, 100 * res.majority, "_", color="k", ms=18, mew=2, label="majority")
    right.set(xlabel="tree depth (shaded: trained on)", ylabel="root accuracy (%)", ylim=(0, 105),
              title="accuracy on fresh trees", xticks=d)
    right.legend(fontsize=8, loc="lower left")
    return fig


# end of chapter 13


# --- chapter 14 -------------------------------------------------------------------

_KIND_COLORS = {"rnn": "C3", "lstm": "C0", "gru": "C2", "peephole": "C4"}
_KIND_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU", "peephole": "LSTM + peephole"}


def lag_race(res, fig=None):
    """Test accuracy against training steps for the RNN, the LSTM and the GRU at one lag
    (:class:`experiments.lstm.LagRace`), and their final accuracies as bars.

    Redrawing into a figure this function drew before only updates the artists (the widget's speed)."""
    parts = getattr(fig, "_lag_race", None)
    if parts is None or parts["ax_curves"] not in fig.axes:
        parts = _lag_race_axes(fig, list(res.curves))
        fig = parts["ax_curves"].figure
    for k, acc in res.curves.items():
        parts[k].set_data(res.checkpoints, acc)
        parts[f"bar_{k}"].set_height(acc[-1])
        parts[f"text_{k}"].set_text(f"{acc[-1]:.0%}")
        parts[f"text_{k}"].set_y(acc[-1] + 0.02)
    parts["ax_curves"].set_xlim(0, res.checkpoints[-1])
    parts["ax_curves"].set_title(f"recall after lag = {res.lag} distractors: test accuracy while training",
                                 y=1.01)
    return fig


def _lag_race_axes(fig, kinds):
    """The empty axes and artists of :func:`lag_race`, remembered on the figure.

    Few ticks and texts: text is most of a redraw's cost."""
    fig = _figure(fig, (9, 3.4))
    gs = fig.add_gridspec(1, 2, width_ratios=(2.6, 1))
    ax, ax_bar = fig.add_subplot(gs[0]), fig.add_subplot(gs[1])
    parts = {"ax_curves": ax}
    for j, k in enumerate(kinds):
        (parts[k],) = ax.plot([], [], "o-", ms=3, color=_KIND_COLORS[k], label=_KIND_NAMES[k])
        parts[f"bar_{k}"] = ax_bar.bar(j, 0.0, color=_KIND_COLORS[k], width=0.6)[0]
        parts[f"text_{k}"] = ax_bar.text(j, 0.0, "", ha="center", fontsize=9)
    for a in (ax, ax_bar):
        a.axhline(0.25, color="0.5", ls=":", lw=1)
        a.set_ylim(0, 1.08)
        a.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xticks([0, 50, 100, 150, 200])
    ax.set(xlabel="training step (batches of 32); dotted: chance", ylabel="test accuracy")
    ax.legend(loc="center right", fontsize=8, frameon=False)
    ax_bar.set_xticks(range(len(kinds)), [_KIND_NAMES[k] for k in kinds])
    ax_bar.tick_params(labelleft=False)
    ax_bar.set_title("final accuracy", y=1.01)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.12)
    fig._lag_race = parts
    return parts


def lag_sweep(res, fig=None):
    """Final test accuracy against the lag, one line per model (:class:`experiments.lstm.LagSweep`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    styles = {"rnn": dict(marker="o", lw=2), "lstm": dict(marker="s", ms=10, mfc="none", lw=4, alpha=0.6),
              "gru": dict(marker="^", lw=1.5)}            # LSTM drawn wide: it often lies under the GRU
    for k, acc in res.accuracy.items():
        ax.plot(res.lags, acc, color=_KIND_COLORS[k], label=_KIND_NAMES[k], **styles[k])
    ax.axhline(0.25, color="0.5", ls=":", lw=1, label="chance")
    ax.set(xlabel="lag (distractor steps between the symbol and the answer)", ylabel="test accuracy",
           ylim=(0, 1.05), xticks=res.lags, title="who remembers the first symbol?")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def gate_heatmaps(trace, fig=None):
    """Gates over time on one sequence (:class:`experiments.lstm.GateTrace`): LSTM f, i, o and
    GRU z, r as heatmaps (one row per hidden unit, one column per step), and the memory
    unit's cell c_t averaged per symbol over the test set."""
    fig = _figure(fig, (11, 5.4))
    panels = [("LSTM forget gate f", trace.lstm["f"]), ("LSTM input gate i", trace.lstm["i"]),
              ("LSTM output gate o", trace.lstm["o"]), ("GRU update gate z (keep)", trace.gru["z"]),
              ("GRU reset gate r", trace.gru["r"])]
    for k, (title, values) in enumerate(panels):
        ax = fig.add_subplot(2, 3, k + 1)
        im = ax.imshow(values.T, aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("time step t (t = 0: the symbol)", fontsize=8)
        ax.set_ylabel("hidden unit", fontsize=8)
        fig.colorbar(im, ax=ax, fraction=0.05, pad=0.02)
    ax = fig.add_subplot(2, 3, 6)
    t = np.arange(trace.class_cells.shape[1])
    for k, row in enumerate(trace.class_cells):
        ax.plot(t, row, color=f"C{k}", label=f"symbol {k}")
        ax.fill_between(t, row - trace.class_spread, row + trace.class_spread, color=f"C{k}", alpha=0.2)
    ax.set_title(f"LSTM unit {trace.memory_unit}: c_t per symbol (test set)", fontsize=10)
    ax.set_xlabel("time step t", fontsize=8)
    ax.set_ylabel("c_t, mean ± std per symbol", fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(f"lag {trace.lag}, one test sequence: symbol {trace.label} at t = 0 "
                 f"(LSTM says {trace.predicted['lstm']}, GRU says {trace.predicted['gru']})", fontsize=11)
    fig.tight_layout()
    return fig


def _accuracy_curves(ax, checkpoints, curves, styles):
    for key, acc in curves.items():
        label, color, ls = styles[key]
        ax.plot(checkpoints, acc, ls, ms=3, color=color, label=label)
    ax.axhline(0.25, color="0.5", ls=":", lw=1)
    ax.set(xlabel="training step", ylabel="test accuracy", ylim=(0, 1.05))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")


def gate_bias_curves(res, fig=None):
    """Test accuracy while training with each starting gate bias (:class:`experiments.lstm.GateBiasEffect`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    styles = {(k, b): (f"{_KIND_NAMES[k]}, {'b_f' if k == 'lstm' else 'b_z'} = {b:g}", _KIND_COLORS[k],
                       "o-" if b == max(bs) else "x--")
              for k, bs in res.biases.items() for b in bs}
    _accuracy_curves(ax, res.checkpoints, res.curves, styles)
    ax.set_title(f"lag {res.lag}: the starting bias of the keep gate")
    fig.tight_layout()
    return fig


def peephole_curves(res, fig=None):
    """Test accuracy while training, LSTM with and without peepholes, one line style per seed
    (:class:`experiments.lstm.PeepholeComparison`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    marks = ["o-", "s--", "^:"]
    styles = {(k, seed): (f"{_KIND_NAMES[k]}, seed {seed}", _KIND_COLORS[k], marks[j % 3])
              for k in ("lstm", "peephole") for j, seed in enumerate(res.seeds)}
    _accuracy_curves(ax, res.checkpoints, res.curves, styles)
    ax.legend(fontsize=7, loc="lower right", ncol=2)
    ax.set_title(f"lag {res.lag}: LSTM with and without peepholes")
    fig.tight_layout()
    return fig


def mnist1d_gru_curves(run, fig=None, paper=0.91):
    """Train and test accuracy of the bidirectional GRU on MNIST-1D (:class:`experiments.lstm.Mnist1dRun`)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    ax.plot(run.steps, run.train_acc, "o--", ms=3, color="C2", label="train")
    ax.plot(run.steps, run.test_acc, "o-", ms=3, color="C1", label="test")
    ax.axhline(paper, color="k", ls=":", lw=1, label=f"paper, 6000 steps ({paper:.0%})")
    ax.axhline(0.1, color="0.5", ls=":", lw=1)
    ax.set(xlabel="training step (batch of 100)", ylabel="accuracy", ylim=(0, 1.02),
           title=f"bidirectional GRU, H = {run.hidden}, on MNIST-1D")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


# end of chapter 14


# --- chapter 15 -------------------------------------------------------------------

_S2S_COLORS = {"baseline": "C7", "reversed": "C0", "peeky": "C3"}


def seq2seq_runs(comparison, fig=None):
    """Test exact match and training loss against the epoch for the three addition models."""
    from matplotlib.ticker import MaxNLocator

    from dlcourse.experiments.seq2seq import LABELS

    fig = _figure(fig, (9, 3.4))
    ax_acc, ax_loss = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for name, run in comparison.runs.items():
        epochs = np.arange(1, len(run.history["loss"]) + 1)
        style = dict(color=_S2S_COLORS[name], marker="o", ms=4, label=LABELS[name])
        ax_acc.plot(epochs, 100 * np.array(run.history["test_acc"]), **style)
        ax_loss.plot(epochs, run.history["loss"], **style)
    ax_acc.set(xlabel="epoch", ylabel="test exact match (%)", ylim=(0, 100),
               title="Whole answer right (greedy decoding)")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy per character", ylim=(0, None),
                title="Training loss (teacher forcing)")
    for ax in (ax_acc, ax_loss):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    ax_acc.legend(loc="upper left", fontsize=8)
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.28)
    return fig


def _sampling_axes(fig, n_chars, n_questions, chars):
    """Empty bars of :func:`sampling_view`, remembered on the figure."""
    fig = _figure(fig, (9, 3.4))
    ax_p = fig.add_subplot(1, 2, 1)
    ax_q = fig.add_subplot(1, 2, 2)
    x = np.arange(n_chars)
    bars_p = ax_p.bar(x, np.zeros(n_chars), color="C0")
    (model_p,) = ax_p.plot(x, np.zeros(n_chars), "_", color="k", ms=12, mew=2)
    ax_p.set_xticks(x, ["pad" if ch == " " else ch for ch in chars], fontsize=8)
    ax_p.set(ylim=(0, 1.05), xlabel="next character")
    ax_p.set_yticks([0, 0.5, 1.0])
    ys = np.arange(n_questions)[::-1]
    bars_q = ax_q.barh(ys, np.zeros(n_questions), color="C2", height=0.6)
    ax_q.set(xlim=(0, 1), xlabel="share of samples right")
    ax_q.set_xticks([0, 0.5, 1.0])
    ax_q.set_yticks(ys, [""] * n_questions, fontsize=9)
    _fast_layout(fig, left=0.05, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
    parts = dict(bars_p=bars_p, model_p=model_p, bars_q=bars_q, n=(n_chars, n_questions))
    fig._sampling_parts = parts
    return parts


def sampling_view(res, fig=None):
    """Left: the next-character probabilities at the model's least sure step, at the
    chosen temperature (bars) and at temperature 1 (black ticks). Right: for each
    question, the share of sampled answers that are right; the labels give the greedy
    answer (red when wrong). The labels are kept short: every glyph is re-rasterised
    on every redraw, and this is a widget's figure.

    Redrawing into a figure this function drew before only updates bars and texts."""
    n_chars, n_q = len(res.probs), len(res.questions)
    parts = getattr(fig, "_sampling_parts", None)
    if parts is None or parts["bars_p"][0].axes not in fig.axes or parts["n"] != (n_chars, n_q):
        parts = _sampling_axes(fig, n_chars, n_q, res.chars)
    for bar, p in zip(parts["bars_p"], res.probs):
        bar.set_height(p)
    parts["model_p"].set_ydata(res.probs_t1)
    right = [sum(s == t for s in samples) / len(samples)
             for samples, t in zip(res.samples, res.truths)]
    for bar, r in zip(parts["bars_q"], right):
        bar.set_width(r)
    ax_p, ax_q = parts["bars_p"][0].axes, parts["bars_q"][0].axes
    labels = ax_q.set_yticklabels([f"{q} → {g}" for q, g in zip(res.questions, res.greedy)])
    for label, g, t in zip(labels, res.greedy, res.truths):
        label.set_color("k" if g == t else "C3")
    k, j = res.where
    kind = "greedy (T = 0)" if not res.temperature else f"T = {res.temperature:.1f}"
    ax_p.set_title(f"{res.questions[k]} = {res.greedy[k][:j]}?  {kind}", fontsize=10)
    ax_q.set_title(f"question → greedy answer: {res.sample_right:.0%} right", fontsize=10)
    return ax_p.figure


def thought_vector_map(res, fig=None):
    """The test questions' thought vectors on their first two principal axes, coloured by the sum."""
    fig = _figure(fig, (5.6, 4.2))
    ax = fig.add_subplot()
    sc = ax.scatter(res.points[:, 0], res.points[:, 1], c=res.sums, cmap="viridis", s=10)
    fig.colorbar(sc, ax=ax, label="true sum a + b")
    ax.set(xlabel=f"principal axis 1 ({res.explained[0]:.0%} of the variance)",
           ylabel=f"principal axis 2 ({res.explained[1]:.0%})",
           title="Thought vectors h of the test questions")
    _fast_layout(fig, left=0.13, right=0.98, bottom=0.12, top=0.92)
    return fig


# end of chapter 15


# --- chapter 16 -------------------------------------------------------------------

def _attention_heatmap(ax, weights, cols, rows, title, xlabel, ylabel, cmap="Blues"):
    """One attention map: rows are queries (outputs), columns keys (inputs), labelled by characters."""
    im = ax.imshow(weights, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(cols)), [c if c != " " else "␣" for c in cols], fontsize=8)
    ax.set_yticks(range(len(rows)), list(rows), fontsize=8)
    ax.tick_params(length=0)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return im


def attention_alignment(res, fig=None):
    """The date model's attention weights on one question (left) and its exact match against
    question length, the current length marked (right).

    Redrawing into a figure this function drew before only updates the image, the
    character labels, the marker and the title (the widget of chapter 16 redraws it
    often). The characters are plain text artists made once, not tick labels:
    rebuilding ticks was most of a redraw.
    """
    parts = getattr(fig, "_alignment", None)
    if parts is None or parts["im"].axes not in fig.axes:
        parts = _alignment_axes(fig, res)
        fig = parts["im"].figure
    im, ax = parts["im"], parts["im"].axes
    L, n_out = res.length, len(res.predicted)
    im.set_data(res.weights)
    im.set_extent((-0.5, L - 0.5, n_out - 0.5, -0.5))
    ax.set_xlim(-0.5, L - 0.5)
    ax.set_ylim(n_out - 0.5, -0.5)
    for j, label in enumerate(parts["cols"]):
        label.set_visible(j < L)
        if j < L:
            label.set_x(j)
            label.set_text(res.question[j] if res.question[j] != " " else "␣")
    for i, label in enumerate(parts["rows"]):
        label.set_visible(i < n_out)
        if i < n_out:
            label.set_y(i)
            label.set_text(res.predicted[i])
    verdict = "right" if res.predicted == res.answer else f"wrong, should be {res.answer}"
    parts["title"].set_text(f"{res.question!r} -> {res.predicted} ({verdict})")
    parts["mark"].set_data([L], [100 * res.accuracy])
    return fig


def _alignment_axes(fig, res):
    """The axes, image, character labels and accuracy curve of :func:`attention_alignment`."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(fig, (10, 3.6))
    ax = fig.add_axes((0.05, 0.2, 0.58, 0.68))
    im = ax.imshow(np.zeros((1, 1)), cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto",
                   interpolation="nearest")
    ax.set(xticks=[], yticks=[])
    ax.set_xlabel("question (encoder input)", labelpad=16)
    ax.set_ylabel("answer (decoder output)", labelpad=14)
    below, left = ax.get_xaxis_transform(), ax.get_yaxis_transform()
    cols = [ax.text(j, -0.03, "", transform=below, ha="center", va="top", fontsize=8, family="monospace")
            for j in range(int(res.all_lengths.max()))]
    rows = [ax.text(-0.01, i, "", transform=left, ha="right", va="center", fontsize=8, family="monospace")
            for i in range(len(res.predicted))]
    title = ax.set_title("", fontsize=10)
    right = fig.add_axes((0.72, 0.2, 0.26, 0.68))
    right.plot(res.all_lengths, 100 * res.length_acc, ".-", color="C0", ms=4)
    (mark,) = right.plot([], [], "o", color="C3", ms=8)
    right.set(xlabel="question length", ylabel="test exact match (%)", ylim=(0, 103))
    right.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    right.yaxis.set_major_locator(MaxNLocator(4))
    fig._alignment = {"im": im, "mark": mark, "cols": cols, "rows": rows, "title": title}
    return fig._alignment


def alignment_examples(results, fig=None):
    """Attention maps of a few date questions side by side."""
    fig = _figure(fig, (4 * len(results), 3.4))
    for k, res in enumerate(results):
        ax = fig.add_subplot(1, len(results), k + 1)
        _attention_heatmap(ax, res.weights, res.question, res.predicted, repr(res.question),
                      "question", "answer" if k == 0 else "")
    fig.tight_layout()
    return fig


def date_training(runs, fig=None):
    """Training loss per step of the date models (smoothed over 25 steps)."""
    fig = _figure(fig, (6, 3.4))
    ax = fig.add_subplot()
    labels = {"dot": "dot-product attention", "additive": "additive attention", "none": "no attention"}
    for run in runs:
        k = max(1, min(25, len(run.losses)))
        smooth = np.convolve(run.losses, np.ones(k) / k, mode="valid")
        ax.plot(np.arange(k, len(run.losses) + 1), smooth,
                label=f"{labels[run.score]}: test exact match {100 * run.accuracy:.1f}%")
    ax.set(yscale="log", xlabel="training step (64 questions each)", ylabel="cross-entropy loss",
           title="Learning the date format")
    _plain_log_ticks(ax.yaxis, n=5)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def attention_by_length(res, fig=None):
    """Exact match and characters right per bin of question length, with and without attention."""
    fig = _figure(fig, (9, 3.4))
    names = [f"{lo}-{hi}" for lo, hi in res.bins]
    x = np.arange(len(names))
    for k, (key, table, title) in enumerate((("exact", res.exact, "whole answer right"),
                                             ("chars", res.chars, "characters right"))):
        ax = fig.add_subplot(1, 2, k + 1)
        for j, (score, values) in enumerate(table.items()):
            label = "no attention" if score == "none" else f"{score} attention"
            ax.bar(x + (j - 0.5) * 0.4, 100 * values, width=0.4, label=label, color=f"C{j}")
        ax.set_xticks(x, names, fontsize=8)
        ax.set(xlabel="question length (characters)", ylabel="% of test questions" if k == 0 else "%",
               ylim=(0, 105), title=title)
        ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def attention_scaling(res, fig=None):
    """Largest softmax weight of random queries against d, with and without dividing by √d."""
    fig = _figure(fig, (5.5, 3.4))
    ax = fig.add_subplot()
    ax.plot(res.dims, res.max_weight_raw, "o-", label="softmax(q·k)")
    ax.plot(res.dims, res.max_weight_scaled, "s-", label="softmax(q·k / √d)")
    ax.axhline(1.0 / res.T, color="gray", ls=":", label=f"uniform, 1/{res.T}")
    ax.set_xscale("log", base=2)
    ax.set_xticks(res.dims, [str(d) for d in res.dims])
    ax.set(xlabel="dimension d of queries and keys", ylabel="mean largest weight", ylim=(0, 1.05),
           title="Without scaling the softmax saturates")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def attention_masks(res, fig=None):
    """Self-attention weights under each mask; forbidden cells hatched."""
    fig = _figure(fig, (3.3 * len(res.weights), 3.3))
    for k, (name, W) in enumerate(res.weights.items()):
        ax = fig.add_subplot(1, len(res.weights), k + 1)
        T = W.shape[0]
        _attention_heatmap(ax, W, [str(j) for j in range(T)], [str(i) for i in range(T)], name,
                      "key position j", "query position i" if k == 0 else "")
        for i, j in zip(*np.nonzero(~res.masks[name])):
            ax.add_patch(_forbidden_cell(j, i))
    fig.tight_layout()
    return fig


def _forbidden_cell(x, y):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.6", lw=0)


def positional_encoding(res, fig=None):
    """The positional encoding matrix (positions × features) and the similarity PE PEᵀ."""
    fig = _figure(fig, (10, 3.6))
    ax = fig.add_subplot(1, 2, 1)
    im = ax.imshow(res.pe, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
    fig.colorbar(im, ax=ax, fraction=0.05)
    ax.set(xlabel="feature (pairs of sin, cos: fast on the left, slow on the right)", ylabel="position",
           title="PE[pos, :]")
    ax = fig.add_subplot(1, 2, 2)
    im = ax.imshow(res.similarity, cmap="viridis", aspect="equal", interpolation="nearest")
    fig.colorbar(im, ax=ax, fraction=0.05)
    ax.set(xlabel="position j", ylabel="position i", title="PE[i] · PE[j]: largest near i = j")
    fig.tight_layout()
    return fig


def transformer_curves(runs, fig=None):
    """Training loss of Transformer runs (e.g. with and without positional encoding)."""
    fig = _figure(fig, (6, 3.4))
    ax = fig.add_subplot()
    for run in runs:
        pe = "with" if run.positional else "without"
        ax.plot(run.losses, lw=1, label=f"{run.task}, {pe} positions: "
                                       f"{100 * run.exact:.1f}% sequences right")
    ax.set(yscale="log", xlabel="training step (64 sequences each)", ylabel="cross-entropy loss",
           title="A one-block Transformer encoder")
    _plain_log_ticks(ax.yaxis, n=5)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def transformer_attention(res, fig=None):
    """One head's attention map: output positions (rows) against input positions (columns).

    Redrawing into a figure this function drew before updates it in place.
    """
    parts = getattr(fig, "_transformer_attention", None)
    T = res.weights.shape[0]
    if parts is None or parts["im"].axes not in fig.axes:
        fig = _figure(fig, (4.6, 4.2))
        ax = fig.add_axes((0.2, 0.14, 0.76, 0.72))
        im = _attention_heatmap(ax, res.weights, "0" * T, "0" * T, "", "input digit (position)",
                           "output digit (position)")
        fig._transformer_attention = parts = {"im": im}
    im, ax = parts["im"], parts["im"].axes
    im.set_data(res.weights)
    ax.set_xticks(range(T), [f"{c}\n{j}" for j, c in enumerate(res.inputs)], fontsize=8)
    ax.set_yticks(range(T), [f"{c} ({i})" for i, c in enumerate(res.outputs)], fontsize=8)
    ax.set_title(f"{res.task}: {res.inputs} -> {res.outputs}\nblock {res.layer + 1}, head {res.head + 1}",
                 fontsize=10)
    return fig


# end of chapter 16


# --- chapter 17 -------------------------------------------------------------------

def blit_png(fig, dpi=100):
    """PNG bytes of ``fig``, redrawing only the artists its plot function marked as changing.

    A plot that updates in place lists ``fig._dynamic = [(axes, artist), ...]``. Everything
    else (axes, ticks, labels, fixed curves: most of the text, which is most of the drawing
    time) is drawn once into a background image that is reused while the figure's size and
    its list of changing artists stay the same. Without ``_dynamic`` this is
    :func:`figure_to_png`. The widgets of chapter 17 use it.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    dynamic = getattr(fig, "_dynamic", None)
    if not dynamic:
        return figure_to_png(fig, dpi=dpi)
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    key = (canvas.get_width_height(), id(dynamic))
    cached = getattr(fig, "_blit_background", None)
    if cached is None or cached[0] != key:
        for _, artist in dynamic:
            artist.set_visible(False)
        canvas.draw()
        cached = fig._blit_background = (key, canvas.copy_from_bbox(fig.bbox))
        for _, artist in dynamic:
            artist.set_visible(True)
    canvas.restore_region(cached[1])
    for axes, artist in dynamic:
        axes.draw_artist(artist)
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _changing(fig, axes_artists):
    """Mark artists as the changing part of ``fig`` for :func:`blit_png`; the frames of their
    axes are redrawn on top so that curves do not cover them."""
    spines = [(ax, sp) for ax in dict.fromkeys(ax for ax, _ in axes_artists) for sp in ax.spines.values()]
    fig._dynamic = list(axes_artists) + spines


def _log2_ticks(axis, values):
    """Fixed ticks at ``values`` with plain labels (no mathtext: cheap to redraw)."""
    import matplotlib.ticker as mticker

    axis.set_major_locator(mticker.FixedLocator(values))
    axis.set_major_formatter(mticker.FixedFormatter([f"{v:g}" for v in values]))
    axis.set_minor_locator(mticker.NullLocator())


def approximation(res, fig=None):
    """Left: the target, one hidden layer's fit and its kinks. Right: rms error against the
    width for both targets, log-log, with the current fit marked (chapter 17).

    Redrawing into a figure this function drew before only moves lines and titles."""
    parts = getattr(fig, "_approximation", None)
    if parts is None or parts["fit"].axes not in fig.axes:
        parts = _approximation_axes(fig, res.rates)
        fig = parts["fit"].figure
    parts["target"].set_data(res.x, res.y)
    parts["fit"].set_data(res.x, res.fit)
    parts["knots"].set_data(res.knots, np.full(res.knots.shape, -1.55))
    parts["fit"].axes.set_title(f"{res.width} ReLU units, {res.target} target: max error {res.max_error:.3f}",
                                y=1.01)
    parts["now"].set_data([res.width], [res.rms_error])
    parts["now"].set_color(parts["colors"][res.target])
    parts["now"].axes.set_title(f"rms error {res.rms_error:.4f}", y=1.01)
    return fig


def _approximation_axes(fig, rates):
    fig = _figure(fig, (9, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    (target,) = ax.plot([], [], color="0.6", lw=4, alpha=0.6, label="target")
    (fit,) = ax.plot([], [], color="C3", lw=1.5, label="network")
    (knots,) = ax.plot([], [], "|", color="k", ms=8, label="kinks")
    ax.set(xlim=(-1.02, 1.02), ylim=(-1.65, 1.85), xlabel="x", ylabel="f(x)")
    ax.legend(loc="upper left", fontsize=8, ncol=3)
    right = fig.add_subplot(1, 2, 2)
    colors = {"smooth": "C0", "jump": "C1"}
    for name, rms in rates.rms.items():
        right.plot(rates.widths, rms, "o-", ms=3, color=colors[name],
                   label=f"{name}: ~ width^{rates.slope(name):.1f}")
    (now,) = right.plot([], [], "o", ms=11, mfc="none", mew=2, color="k")
    right.set(xscale="log", yscale="log", xlabel="hidden units (width)", ylabel="rms error")
    _log2_ticks(right.xaxis, [1, 4, 16, 64])
    _plain_log_ticks(right.yaxis, n=5)
    right.legend(loc="lower left", fontsize=8)
    right.grid(alpha=0.3)
    _fast_layout(fig, left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
    fig._approximation = {"target": target, "fit": fit, "knots": knots, "now": now, "colors": colors}
    _changing(fig, [(ax, target), (ax, fit), (ax, knots), (ax, ax.title), (right, now), (right, right.title)])
    return fig._approximation


def lottery(view, fig=None):
    """Left: test accuracy against the share of hidden weights kept, for the winning ticket,
    a random mask and pruning without retraining. Right: test accuracy per epoch of the
    ticket and the random mask at the chosen share (chapter 17).

    Redrawing into a figure this function drew before only moves the marker and the curves."""
    g = view.grid
    parts = getattr(fig, "_lottery", None)
    if parts is None or parts["mark"].axes not in fig.axes:
        parts = _lottery_axes(fig, g)
        fig = parts["mark"].figure
    k, kept = view.index, 1.0 - view.fraction
    parts["mark"].set_xdata([kept, kept])
    parts["acc"].set_title(f"{view.fraction:.0%} pruned: ticket {g.ticket[k]:.1%}, random {g.random[k]:.1%}",
                           y=1.01)
    ticket, random = g.curves[view.fraction]
    epochs = np.arange(1, ticket.size + 1)
    parts["ticket"].set_data(epochs, ticket)
    parts["random"].set_data(epochs, random)
    parts["ticket"].axes.set_title(f"training with {kept:.0%} of the weights", y=1.01)
    return fig


def _lottery_axes(fig, g):
    from matplotlib.ticker import MaxNLocator

    fig = _figure(fig, (10, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    kept = 1.0 - g.fractions
    ax.plot(kept, g.ticket, "o-", color="C0", label="ticket: magnitude mask, rewound")
    ax.plot(kept, g.random, "s--", color="C1", label="random mask, same start")
    ax.plot(kept, g.prune_only, "^:", color="C2", label="pruned, not retrained")
    ax.axhline(g.dense, color="0.5", lw=0.8)
    mark = ax.axvline(1.0, color="k", lw=1, alpha=0.5)
    ax.set(xscale="log", xlim=(1.3, 0.008), ylim=(0, 1.02), xlabel="share of hidden weights kept",
           ylabel="test accuracy")
    _log2_ticks(ax.xaxis, [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01])
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    right = fig.add_subplot(1, 2, 2)
    dense = g.curves["dense"]
    right.plot(np.arange(1, dense.size + 1), dense, color="0.5", lw=0.8, label="dense")
    (ticket,) = right.plot([], [], "o-", ms=3, color="C0", label="ticket")
    (random,) = right.plot([], [], "s--", ms=3, color="C1", label="random mask")
    right.set(xlim=(0.5, dense.size + 0.5), ylim=(0, 1.02), xlabel="epoch", ylabel="test accuracy")
    right.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    right.legend(loc="lower right", fontsize=8)
    right.grid(alpha=0.3)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.22)
    fig._lottery = {"acc": ax, "mark": mark, "ticket": ticket, "random": random}
    _changing(fig, [(ax, mark), (ax, ax.title), (right, ticket), (right, random), (right, right.title)])
    return fig._lottery


def flat_sharp(res, fig=None):
    """Left: training loss along a random (filter-normalised) direction through each solution.
    Right: training and test loss on the line through the smallest- and largest-batch
    solutions (chapter 17)."""
    fig = _figure(fig, (10, 3.6))
    ax = fig.add_subplot(1, 2, 1)
    mid = int(np.argmin(np.abs(res.probe)))
    for k, (run, curve) in enumerate(zip(res.runs, res.probe_loss)):
        ax.plot(res.probe, curve - curve[mid], color=f"C{k}",
                label=f"batch {run.batch_size} (sharpness {run.sharpness:.4f})")
    ax.set(xlabel="step t along a random direction d (θ + t·d)", ylabel="rise of the training loss",
           title="Around each solution: narrower = sharper")
    ax.legend(fontsize=8, loc="upper center")
    ax.grid(alpha=0.3)
    ax = fig.add_subplot(1, 2, 2)
    small, large = res.runs[0].batch_size, res.runs[-1].batch_size
    ax.plot(res.alphas, res.line_train, color="C0", label="training loss")
    ax.plot(res.alphas, res.line_test, "--", color="C1", label="test loss")
    for a, b in ((0, small), (1, large)):
        ax.axvline(a, color="0.6", lw=0.8)
        ax.text(a, 0.97, f" batch {b}", transform=ax.get_xaxis_transform(), va="top", fontsize=8)
    ax.set(yscale="log", xlabel=f"α in (1 − α)·θ(batch {small}) + α·θ(batch {large})", ylabel="loss",
           title="On the line between the two solutions")
    ax.legend(fontsize=8, loc="lower center")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.22)
    return fig


def double_descent(view, fig=None):
    """Left: training and test error of the minimum-norm fit against the number of random
    features P, with P = N marked. Right: the singular values of the training features at the
    chosen P (chapter 17).

    Redrawing into a figure this function drew before only moves the marker and the spectrum."""
    s, k = view.sweep, view.index
    parts = getattr(fig, "_double_descent", None)
    if parts is None or parts["mark"].axes not in fig.axes:
        parts = _double_descent_axes(fig, s)
        fig = parts["mark"].figure
    parts["mark"].set_data([view.width], [s.test_err[k]])
    parts["err"].set_title(f"P = {view.width}: train {s.train_err[k]:.1%}, test {s.test_err[k]:.1%}", y=1.01)
    sv = s.singular[k]
    parts["sv"].set_data(np.arange(1, sv.size + 1), sv)
    parts["sv"].axes.set_title(f"smallest σ = {sv[-1]:.4f}, ||β|| = {s.norm[k]:.1f}", y=1.01)
    return fig


def _double_descent_axes(fig, s):
    fig = _figure(fig, (10, 3.4))
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(s.widths, s.train_err, "o--", ms=3, color="C0", label="train (noisy labels)")
    ax.plot(s.widths, s.test_err, "o-", ms=3, color="C1", label="test")
    ax.axvline(s.n_train, color="0.5", lw=0.8, ls=":")
    ax.text(s.n_train, 0.98, " P = N", transform=ax.get_xaxis_transform(), va="top", fontsize=8)
    (mark,) = ax.plot([], [], "o", ms=11, mfc="none", mew=2, color="k")
    ax.set(xscale="log", ylim=(0, 1), xlabel="random features P", ylabel="classification error")
    _log2_ticks(ax.xaxis, [10, 30, 100, 300, 1000])
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    right = fig.add_subplot(1, 2, 2)
    (sv,) = right.plot([], [], ".-", ms=3, color="C2")
    right.set(yscale="log", xlim=(0, s.n_train + 5), ylim=(3e-4, 300), xlabel="index i (largest first)",
              ylabel="singular value σ_i of Φ")
    _plain_log_ticks(right.yaxis, n=6)
    right.grid(alpha=0.3)
    _fast_layout(fig, left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    fig._double_descent = {"err": ax, "mark": mark, "sv": sv}
    _changing(fig, [(ax, mark), (ax, ax.title), (right, sv), (right, right.title)])
    return fig._double_descent


def random_labels(res, fig=None):
    """Training loss per epoch of a narrow and a wide MLP on true and on random labels (chapter 17)."""
    fig = _figure(fig, (6.5, 3.6))
    ax = fig.add_subplot()
    styles = {"true": "-", "random": "--"}
    for k, w in enumerate(res.widths):
        for labels in ("true", "random"):
            curve = res.curves[(w, labels)]
            ax.plot(np.arange(1, curve.size + 1), curve, styles[labels], color=f"C{k}",
                    label=f"H = {w} ({res.n_params[w]:,} params), {labels} labels")
    ax.set(yscale="log", xlabel="epoch", ylabel="training loss",
           title=f"{res.n_train} training sequences: who can memorise noise?")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    _fast_layout(fig, left=0.12, right=0.97, bottom=0.14, top=0.9)
    return fig


# end of chapter 17
