"""Bar and planning charts as PNG pictures, for the PDF, the DOCX and the web pages.

Uses `matplotlib.figure.Figure` with the Agg canvas directly, never pyplot: pyplot keeps global
state and is not safe in a threaded web server. The pictures are flattened to RGB (no alpha
channel) so a PDF that embeds them stays fit for PDF/A.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from letters.errors import InvalidFieldError
from letters.model import Chart

#: Colour-blind safe palette (Okabe-Ito) starting with a municipal dark blue.
PALETTE = ("#1F4E79", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")

_WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 2.5 cm margins


def chart_png(chart: Chart, *, dpi: int = 150, title: bool = True) -> bytes:
    """Draw `chart` as PNG bytes.

    Grouped vertical bars by default, grouped horizontal bars with ``horizontal=True``, and a
    planning (Gantt-like) chart by week when ``spans`` is given (one (start, length) per
    category). With ``title=False`` the title is left out of the picture: the PDF and DOCX put
    it under the picture as text, so it can be read aloud, searched and compared. Results are
    cached per (chart, dpi, title), as both renderers draw the same chart.

    :raise InvalidFieldError: ('chart') for an empty chart, spans that do not match the
        categories, a non-finite value, or a dpi outside 50-600.
    """
    _check(chart, dpi)
    return _cached_png(chart, dpi, title)


def _check(chart: Chart, dpi: int) -> None:
    if not 50 <= dpi <= 600:
        raise InvalidFieldError("chart", "dpi must be between 50 and 600")
    if not chart.categories:
        raise InvalidFieldError("chart", "a chart needs at least one category")
    if chart.spans:
        if len(chart.spans) != len(chart.categories):
            raise InvalidFieldError("chart", "spans need one (start, length) per category")
        numbers = [n for span in chart.spans for n in span]
    else:
        if not chart.series:
            raise InvalidFieldError("chart", "a chart needs at least one series")
        numbers = [v for _, values in chart.series for v in values]
    if not all(math.isfinite(n) for n in numbers):
        raise InvalidFieldError("chart", "chart values must be finite numbers")


@lru_cache(maxsize=64)
def _cached_png(chart: Chart, dpi: int, title: bool) -> bytes:
    rows = len(chart.categories)
    sideways = bool(chart.spans) or chart.horizontal
    if sideways:
        groups = 1 if chart.spans else max(1, len(chart.series))
        height = min(9.0, 1.2 + 0.28 * rows * max(1.0, groups * 0.7))
    else:
        height = 3.4
    fig = Figure(figsize=(_WIDTH_IN, height), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if chart.spans:
        _draw_spans(ax, chart)
    else:
        _draw_bars(ax, chart, horizontal=chart.horizontal)
    if title and chart.title:
        ax.set_title(chart.title, fontsize=10, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    _place_axes(fig, chart, height, sideways=sideways, title=title and bool(chart.title))
    # One draw straight into the pixel buffer: tight_layout() and savefig() would draw twice more
    # and encode an RGBA PNG that we would only decode again.
    canvas.draw()
    image = PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _place_axes(fig: Figure, chart: Chart, height: float, *, sideways: bool, title: bool) -> None:
    """Margins from the label lengths: cheaper than tight_layout, which draws the figure."""
    label_in = 0.068 * max(len(c) for c in chart.categories) + 0.2  # DejaVu Sans 8 pt, ~0.068 in a character
    left = (label_in if sideways else 0.45 + (0.15 if chart.y_label else 0)) / _WIDTH_IN
    rotated = not sideways and any(len(c) > 10 for c in chart.categories) and len(chart.categories) > 3
    bottom_in = 0.35 + (0.4 * label_in if rotated else 0) + (0.2 if (chart.x_label and not sideways) or
                                                             (sideways and (chart.y_label or chart.x_label)) else 0)
    top_in = 0.35 if title or (len(chart.series) > 1 and not chart.spans) else 0.15
    fig.subplots_adjust(left=min(left, 0.5), right=0.98, bottom=min(bottom_in / height, 0.6),
                        top=1 - top_in / height)


def _draw_bars(ax: Axes, chart: Chart, *, horizontal: bool) -> None:
    count = max(1, len(chart.series))
    width = 0.8 / count
    positions = range(len(chart.categories))
    for i, (name, values) in enumerate(chart.series):
        offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
        colour = PALETTE[i % len(PALETTE)]
        if horizontal:
            ax.barh(offsets, values, height=width, label=name, color=colour)
        else:
            ax.bar(offsets, values, width=width, label=name, color=colour)
    if horizontal:
        ax.set_yticks(list(positions), labels=list(chart.categories))
        ax.invert_yaxis()  # first category on top, as in a table
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        if chart.y_max is not None:
            ax.set_xlim(0, chart.y_max)
        ax.set_xlabel(chart.y_label, fontsize=8)
        ax.set_ylabel(chart.x_label, fontsize=8)
    else:
        long_labels = any(len(c) > 10 for c in chart.categories) and len(chart.categories) > 3
        ax.set_xticks(list(positions), labels=list(chart.categories),
                      rotation=30 if long_labels else 0, ha="right" if long_labels else "center")
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        if chart.y_max is not None:
            ax.set_ylim(0, chart.y_max)
        ax.set_xlabel(chart.x_label, fontsize=8)
        ax.set_ylabel(chart.y_label, fontsize=8)
    ax.set_axisbelow(True)
    if len(chart.series) > 1:
        # Above the plot, right-aligned, so it never covers a bar.
        ax.legend(fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0),
                  ncols=min(3, len(chart.series)), borderaxespad=0.2)


def _draw_spans(ax: Axes, chart: Chart) -> None:
    positions = list(range(len(chart.categories)))
    starts = [start for start, _ in chart.spans]
    lengths = [length for _, length in chart.spans]
    # A span (36, 2) covers weeks 36 and 37: bars run from half a week before the first week's
    # tick to half a week after the last, so each tick labels the middle of its week.
    ax.barh(positions, lengths, left=[s - 0.5 for s in starts], height=0.6, color=PALETTE[0])
    ax.set_yticks(positions, labels=list(chart.categories))
    ax.invert_yaxis()
    first = math.floor(min(starts))
    last = math.ceil(max(s + n for s, n in chart.spans)) - 1
    step = max(1, math.ceil((last - first + 1) / 20))
    ticks = list(range(first, last + 1, step))
    # A plan from week 50 runs on as 53, 54 ... to stay in order; label those as weeks 1, 2 ...
    ax.set_xticks(ticks, labels=[str((w - 1) % 52 + 1) for w in ticks])
    ax.set_xlim(first - 1, last + 1)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(chart.x_label, fontsize=8)
