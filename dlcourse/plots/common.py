"""What several plot modules share: figures, fast layout and ticks, PNG rendering, cached artists.

Every topic module of :mod:`dlcourse.plots` (chapters 00-17) draws with these, and the
widgets (:mod:`dlcourse.widgets`) render through :func:`figure_to_png` and :func:`blit_png`:

- :func:`_figure` (a new pyplot figure, or the given figure cleared), :func:`_fast_layout`
  (fixed margins) and :func:`_plain_log_ticks` (cheap log ticks);
- :func:`figure_to_png` and :func:`blit_png`, which render a figure for a widget, and
  :func:`_changing`, which marks the artists :func:`blit_png` redraws;
- :func:`cached_artists`, which builds a plot's axes and artists once per figure so that
  a widget's redraw only updates them;
- the colours (:data:`COLORS` for gates, :data:`PM1_COLORS` and :func:`_pm1_cmap` for the
  Playground's -1/+1), the Playground map (chapters 05, 08), train/test curves
  (chapters 07, 10) and image mosaics (chapters 11, 12).
"""
from __future__ import annotations

import numpy as np

__all__ = ["COLORS", "PM1_COLORS", "figure_to_png", "blit_png", "cached_artists", "use_language_font",
           "translate_figure"]

COLORS = {0: "#d62728", 1: "#1f77b4"}   # output 0 red, output 1 blue
PM1_COLORS = {-1: "#f59322", 1: "#0877bd"}   # the Playground's orange (-1) and blue (+1)
_PM1_CMAP = []


# --- figures, layout, ticks -------------------------------------------------------

def use_language_font(lang=None):
    """In the Japanese edition, draw text with IPAexGothic behind DejaVu Sans.

    The font ships inside the ``matplotlib-fontja`` wheel, so nothing is downloaded.
    Latin letters and digits keep DejaVu Sans (a figure's numbers look as in the
    English edition); Japanese characters fall back to IPAexGothic. Returns the
    font families now in use, or None in English (nothing changes).
    """
    from dlcourse.i18n import language

    if (lang or language()) != "ja":
        return None
    import matplotlib
    from matplotlib import font_manager
    from matplotlib_fontja import get_font_ttf_path

    font_manager.fontManager.addfont(get_font_ttf_path())
    families = ["DejaVu Sans", "IPAexGothic"]
    matplotlib.rcParams["font.family"] = families
    return families


def translate_figure(fig, lang=None):
    """Every text of ``fig`` in ``lang`` (titles, axis labels, legends, annotations, category
    ticks), through :func:`dlcourse.i18n.tr_text`; numbers and untranslated text stay. Returns ``fig``."""
    from dlcourse.i18n import language, tr_text

    lang = lang or language()
    if lang == "en" or fig is None or not hasattr(fig, "findobj"):
        return fig
    import matplotlib.text

    for text in fig.findobj(matplotlib.text.Text):
        old = text.get_text()
        if old and any(ch.isalpha() for ch in old):
            new = tr_text(old, lang)
            if new != old:
                text.set_text(new)
    return fig


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


# --- artists built once per figure ------------------------------------------------

_CACHE = "_dlcourse_cached_artists"   # the one attribute a figure gets: name -> (key, axes, parts)


def _lookup(fig, name, key=None):
    """The parts remembered on ``fig`` under ``name`` and ``key``, or None if there are none,
    the key differs, or the figure was cleared since (an axes they were built with is gone)."""
    entry = getattr(fig, _CACHE, {}).get(name) if fig is not None else None
    if entry is None or entry[0] != key:
        return None
    axes = fig.axes
    return entry[2] if all(ax in axes for ax in entry[1]) else None


def _remember(fig, name, parts, key=None):
    """Remember ``parts`` on ``fig`` under ``name`` and ``key``, tied to the figure's current axes."""
    fig.__dict__.setdefault(_CACHE, {})[name] = (key, tuple(fig.axes), parts)
    return parts


def cached_artists(fig, name, build, figsize=None, key=None):
    """The axes and artists ``build`` made on ``fig``: built on the first call, returned after.

    A plot that a widget redraws many times a second builds its axes, lines and texts
    once and then only moves their data; rebuilding the axes would cost most of a redraw.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or None
        The figure to draw on; None makes a new pyplot figure (and always builds).
    name : str
        Whose parts these are (the plot function's name): one figure can hold several.
    build : callable
        ``build(fig) -> parts``: makes the axes and artists on ``fig`` and returns them
        (a dict, a tuple, one artist: whatever the plot needs to update them).
    figsize : (float, float), optional
        With it, a build starts from a clean figure (``fig`` cleared, or a new figure of this
        size when ``fig`` is None). Without it, ``build`` adds to ``fig`` as it is.
    key : hashable, optional
        The layout the parts are built for (e.g. the number of bars); a call with another
        key builds again.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure drawn on.
    parts : object
        What ``build`` returned, now or on an earlier call.

    Notes
    -----
    The parts are forgotten when ``key`` changes or when the figure has been cleared since
    they were built (one of the axes it held then is gone), so a figure reused by another
    plot never updates orphaned artists.
    """
    parts = _lookup(fig, name, key)
    if parts is not None:
        return fig, parts
    if figsize is not None:
        fig = _figure(fig, figsize)
    elif fig is None:
        raise ValueError(f"cached_artists({name!r}): expected a figure or a figsize, got neither")
    return fig, _remember(fig, name, build(fig), key)


# --- rendering for widgets ---------------------------------------------------------

def _agg_canvas(fig, dpi):
    """The figure's Agg canvas at ``dpi`` (made once: matplotlib's text-layout caches live on it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def figure_to_png(fig, dpi=100):
    """Render a figure to PNG bytes (what the widgets show).

    The figure keeps one Agg canvas, so matplotlib's text-layout caches (tied
    to the renderer) survive from one slider move to the next; a fast PNG
    compression level does the rest. Together they halve a widget's redraw.
    """
    import io

    from PIL import Image

    canvas = _agg_canvas(fig, dpi)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _changing(fig, axes_artists, static=None):
    """Mark artists as the changing part of ``fig`` for :func:`blit_png`; the frames of their
    axes are redrawn on top so that curves do not cover them.

    ``static()``, if given, returns what else the background depends on (e.g. axis limits
    that move in steps): the background is drawn again whenever its value changes.
    """
    spines = [(ax, sp) for ax in dict.fromkeys(ax for ax, _ in axes_artists) for sp in ax.spines.values()]
    _remember(fig, "blit_changing", (list(axes_artists) + spines, static))


def blit_png(fig, dpi=100):
    """PNG bytes of ``fig``, redrawing only the artists its plot function marked as changing.

    A plot that updates in place marks them with :func:`_changing`. Everything else (axes,
    ticks, labels, fixed curves: most of the text, which is most of the drawing time) is
    drawn once into a background image that is reused while the figure's size, its list of
    changing artists and their ``static()`` value stay the same. A figure without changing
    artists gets :func:`figure_to_png`. The Playground (chapter 05) and the widgets of
    chapter 17 use it.
    """
    import io

    from PIL import Image

    marked = _lookup(fig, "blit_changing")
    if marked is None:
        return figure_to_png(fig, dpi=dpi)
    dynamic, static = marked
    canvas = _agg_canvas(fig, dpi)

    def background(fig):
        for _, artist in dynamic:
            artist.set_visible(False)
        canvas.draw()
        image = canvas.copy_from_bbox(fig.bbox)
        for _, artist in dynamic:
            artist.set_visible(True)
        return image

    key = (canvas.get_width_height(), id(dynamic), static() if static else None)
    _, image = cached_artists(fig, "blit_background", background, key=key)
    canvas.restore_region(image)
    for axes, artist in dynamic:
        axes.draw_artist(artist)
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buf, format="png", compress_level=1)
    return buf.getvalue()


# --- pieces several chapters draw ----------------------------------------------------

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


def _playground_map(ax, res, points=True, size=14):
    """The network's output over [-6, 6]^2 (orange -1 .. blue +1) with the data points."""
    g = res.grid
    ax.imshow(res.output, origin="lower", extent=(g[0], g[-1], g[0], g[-1]), cmap=_pm1_cmap(),
              vmin=-1, vmax=1, interpolation="bilinear", aspect="equal")
    if points:
        _pm1_points(ax, res.X_train, res.t_train, "w", size)
        _pm1_points(ax, res.X_test, res.t_test, "k", size)
    ax.set(xlim=(g[0], g[-1]), ylim=(g[0], g[-1]))


def _playground_row(results, fig, panel, describe):
    """One small Playground map per result, in a row; ``describe(k, res)`` gives each
    panel's ``ax.set`` arguments (title, ticks, labels). ``panel`` is one panel's (w, h)."""
    n = len(results)
    fig = _figure(fig, (panel[0] * n, panel[1]))
    for k, res in enumerate(results):
        ax = fig.add_subplot(1, n, k + 1)
        _playground_map(ax, res, size=6)
        ax.set(**describe(k, res))
    fig.tight_layout()
    return fig


def _curves(ax_loss, ax_acc, history, color, train_label="train", test_label="test", alpha=1.0):
    """Train (dashed) and test (solid) curves of one ``models.train`` history."""
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    for ax, key in ((ax_loss, "loss"), (ax_acc, "acc")):
        ax.plot(epochs, history[f"train_{key}"], color=color, ls="--", alpha=alpha, label=train_label)
        ax.plot(epochs, history[f"test_{key}"], color=color, alpha=alpha, label=test_label)


def _mosaic(images, rows, cols, side=8, gap=1):
    """Images (rows * cols, side * side) tiled into one (rows, cols) picture with white gaps."""
    step = side + gap
    out = np.full((rows * step - gap, cols * step - gap), np.nan)
    for k, img in enumerate(np.asarray(images)[:rows * cols]):
        r, c = divmod(k, cols)
        out[r * step:r * step + side, c * step:c * step + side] = img.reshape(side, side)
    return out


def _image(ax, img, title, cmap="gray_r", vmin=0.0, vmax=1.0, fontsize=None):
    """An image without ticks, titled; returns the image artist. ``fontsize`` None keeps
    matplotlib's title size."""
    im = ax.imshow(img, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set(xticks=[], yticks=[])
    if fontsize is None:
        ax.set_title(title)
    else:
        ax.set_title(title, fontsize=fontsize)
    return im
