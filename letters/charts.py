"""Bar and planning charts as PNG pictures, for the PDF, the DOCX and the web pages.

Drawn directly with Pillow: every mark is an axis-aligned rectangle, a straight line or a label,
so there is nothing here a plotting library would do better, and drawing natively takes a few
milliseconds where matplotlib took ~80 ms per chart (bench/letters.py, docs/PERFORMANCE.md).
Labels use the DejaVu Sans that the PDF embeds, so picture and text share one typeface. The
pictures are RGB (no alpha channel), so a PDF that embeds them stays fit for PDF/A. Drawing holds
no global state: charts can be drawn from several threads at once.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from letters.errors import InvalidFieldError
from letters.fonts import font_file
from letters.model import Chart

#: Colour-blind safe palette (Okabe-Ito) starting with a municipal dark blue.
PALETTE = ("#1F4E79", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
GRID, AXIS, TEXT = "#DDDDDD", "#000000", "#000000"

_WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 2.5 cm margins
_LABEL_PT, _TITLE_PT = 8, 10
_local = threading.local()


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


def _font(size_px: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at `size_px`, one instance per thread (a FreeType face is not shared across threads)."""
    cache = _local.__dict__.setdefault("fonts", {})
    if size_px not in cache:
        cache[size_px] = ImageFont.truetype(font_file("DejaVuSans"), size_px)
    return cache[size_px]


@dataclass(frozen=True)
class _Box:
    """The plot area in pixels; y grows downwards as in the picture."""

    left: float
    top: float
    right: float
    bottom: float


class _Painter:
    def __init__(self, width_in: float, height_in: float, dpi: int) -> None:
        self.px = dpi / 72  # pixels per point
        self.image = Image.new("RGB", (round(width_in * dpi), round(height_in * dpi)), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.label_font = _font(max(1, round(_LABEL_PT * self.px)))
        self.title_font = _font(max(1, round(_TITLE_PT * self.px)))

    def line(self, xy: tuple[float, float, float, float], colour: str, width_pt: float) -> None:
        self.draw.line([(round(xy[0]), round(xy[1])), (round(xy[2]), round(xy[3]))], fill=colour,
                       width=max(1, round(width_pt * self.px)))

    def rect(self, x0: float, y0: float, x1: float, y1: float, colour: str) -> None:
        x0, x1 = sorted((round(x0), round(x1)))
        y0, y1 = sorted((round(y0), round(y1)))
        if x1 > x0 and y1 > y0:
            self.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=colour)

    def text(self, xy: tuple[float, float], text: str, anchor: str, *, title: bool = False) -> None:
        self.draw.text((round(xy[0]), round(xy[1])), text, fill=TEXT, anchor=anchor,
                       font=self.title_font if title else self.label_font)

    def text_width(self, text: str) -> float:
        return self.draw.textlength(text, font=self.label_font)

    def rotated(self, xy: tuple[float, float], text: str, angle: float, corner: str) -> None:
        """Text turned by `angle` degrees, its `corner` ('top-right' or 'centre') placed at `xy`."""
        left, top, right, bottom = self.label_font.getbbox(text)
        tile = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
        ImageDraw.Draw(tile).text((-left, -top), text, fill=255, font=self.label_font)
        tile = tile.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
        if corner == "top-right":
            x, y = xy[0] - tile.width, xy[1]
        else:
            x, y = xy[0] - tile.width / 2, xy[1] - tile.height / 2
        self.image.paste(TEXT, (round(x), round(y)), tile)


@lru_cache(maxsize=64)
def _cached_png(chart: Chart, dpi: int, title: bool) -> bytes:
    rows = len(chart.categories)
    sideways = bool(chart.spans) or chart.horizontal
    if sideways:
        groups = 1 if chart.spans else max(1, len(chart.series))
        height = min(9.0, 1.2 + 0.28 * rows * max(1.0, groups * 0.7))
    else:
        height = 3.4
    p = _Painter(_WIDTH_IN, height, dpi)
    box = _plot_box(p, chart, height, dpi, sideways=sideways, title=title and bool(chart.title))
    if chart.spans:
        _draw_spans(p, box, chart)
    else:
        _draw_bars(p, box, chart, horizontal=chart.horizontal)
    if title and chart.title:
        p.text((box.left, 0.06 * dpi), chart.title, "la", title=True)
    out = io.BytesIO()
    p.image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _plot_box(p: _Painter, chart: Chart, height: float, dpi: int, *, sideways: bool, title: bool) -> _Box:
    """Margins from the label lengths, as inches of the picture."""
    label_in = max(p.text_width(c) for c in chart.categories) / dpi + 0.2
    value_axis_label = bool(chart.y_label) if not sideways else bool(chart.y_label or chart.x_label)
    left = label_in if sideways else 0.45 + (0.15 if chart.y_label else 0)
    rotated = _rotated_labels(chart) and not sideways
    bottom_in = 0.35 + (0.4 * label_in if rotated else 0) + (0.2 if (chart.x_label and not sideways) or
                                                             (sideways and value_axis_label) else 0)
    top_in = 0.35 if title or (len(chart.series) > 1 and not chart.spans) else 0.15
    width = _WIDTH_IN
    left_frac = min(left / width, 0.5)
    bottom_frac = min(bottom_in / height, 0.6)
    return _Box(left=left_frac * width * dpi, top=top_in * dpi, right=0.98 * width * dpi,
                bottom=(1 - bottom_frac) * height * dpi)


def _rotated_labels(chart: Chart) -> bool:
    return any(len(c) > 10 for c in chart.categories) and len(chart.categories) > 3


def nice_ticks(low: float, high: float, *, max_ticks: int = 8) -> list[float]:
    """Round tick values from `low` to at least `high`: steps of 1, 2, 2.5 or 5 times a power of ten."""
    span = max(high - low, 1e-9)
    raw = span / (max_ticks - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step - 1e-9)
    return [round(first + i * step, 10) for i in range(count + 1)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def _draw_bars(p: _Painter, box: _Box, chart: Chart, *, horizontal: bool) -> None:
    values = [v for _, vs in chart.series for v in vs]
    low = min(0.0, *values)
    top = chart.y_max if chart.y_max is not None else max(0.0, *values) * 1.05 or 1.0
    ticks = nice_ticks(low, top)
    if chart.y_max is None:
        top = ticks[-1] if ticks[-1] >= max(values, default=0) else top
    ticks = [t for t in ticks if low - 1e-9 <= t <= top + 1e-9]
    n = len(chart.categories)
    count = max(1, len(chart.series))
    width = 0.8 / count
    tick_len = 3.5 * p.px

    if horizontal:
        def vx(v: float) -> float:
            return box.left + (v - low) / (top - low) * (box.right - box.left)

        def cy(c: float) -> float:  # category position -0.5 .. n-0.5, first on top
            return box.top + (c + 0.5) / n * (box.bottom - box.top)
        for t in ticks:
            p.line((vx(t), box.top, vx(t), box.bottom), GRID, 0.6)
        for i, (_, vs) in enumerate(chart.series):
            for pos, v in enumerate(vs):
                centre = pos - 0.4 + width * (i + 0.5)
                p.rect(vx(0), cy(centre - width / 2), vx(v), cy(centre + width / 2), PALETTE[i % len(PALETTE)])
        for pos, name in enumerate(chart.categories):
            p.line((box.left - tick_len, cy(pos), box.left, cy(pos)), AXIS, 0.8)
            p.text((box.left - tick_len - 2 * p.px, cy(pos)), name, "rm")
        for t in ticks:
            p.line((vx(t), box.bottom, vx(t), box.bottom + tick_len), AXIS, 0.8)
            p.text((vx(t), box.bottom + tick_len + 2 * p.px), _number(t), "ma")
        _axes(p, box)
        if chart.y_label:
            p.text(((box.left + box.right) / 2, box.bottom + tick_len + 13 * p.px), chart.y_label, "ma")
        if chart.x_label:
            p.rotated((5 * p.px + p.label_font.size / 2, (box.top + box.bottom) / 2), chart.x_label, 90, "centre")
    else:
        def vy(v: float) -> float:
            return box.bottom - (v - low) / (top - low) * (box.bottom - box.top)

        def cx(c: float) -> float:
            return box.left + (c + 0.5) / n * (box.right - box.left)
        for t in ticks:
            p.line((box.left, vy(t), box.right, vy(t)), GRID, 0.6)
        for i, (_, vs) in enumerate(chart.series):
            for pos, v in enumerate(vs):
                centre = pos - 0.4 + width * (i + 0.5)
                p.rect(cx(centre - width / 2), vy(0), cx(centre + width / 2), vy(v), PALETTE[i % len(PALETTE)])
        rotated = _rotated_labels(chart)
        for pos, name in enumerate(chart.categories):
            p.line((cx(pos), box.bottom, cx(pos), box.bottom + tick_len), AXIS, 0.8)
            if rotated:
                p.rotated((cx(pos), box.bottom + tick_len + 2 * p.px), name, 30, "top-right")
            else:
                p.text((cx(pos), box.bottom + tick_len + 2 * p.px), name, "ma")
        for t in ticks:
            p.line((box.left - tick_len, vy(t), box.left, vy(t)), AXIS, 0.8)
            p.text((box.left - tick_len - 2 * p.px, vy(t)), _number(t), "rm")
        _axes(p, box)
        if chart.x_label:
            p.text(((box.left + box.right) / 2, p.image.height - 2 * p.px), chart.x_label, "md")
        if chart.y_label:
            p.rotated((5 * p.px + p.label_font.size / 2, (box.top + box.bottom) / 2), chart.y_label, 90, "centre")
    if len(chart.series) > 1:
        _legend(p, box, [name for name, _ in chart.series])


def _axes(p: _Painter, box: _Box) -> None:
    p.line((box.left, box.top, box.left, box.bottom), AXIS, 0.8)
    p.line((box.left, box.bottom, box.right, box.bottom), AXIS, 0.8)


def _legend(p: _Painter, box: _Box, names: list[str]) -> None:
    """Above the plot, right-aligned, so it never covers a bar; at most three per row."""
    patch, gap = 10 * p.px, 6 * p.px
    rows = [names[i:i + 3] for i in range(0, len(names), 3)]
    line_h = 11 * p.px
    y = box.top - 3 * p.px - line_h * len(rows)
    index = 0
    for row in rows:
        widths = [patch + 4 * p.px + p.text_width(name) for name in row]
        x = box.right - sum(widths) - gap * (len(row) - 1)
        for name, w in zip(row, widths, strict=True):
            p.rect(x, y + line_h / 2 - patch * 0.35, x + patch, y + line_h / 2 + patch * 0.35,
                   PALETTE[index % len(PALETTE)])
            p.text((x + patch + 4 * p.px, y + line_h / 2), name, "lm")
            x += w + gap
            index += 1
        y += line_h


def _draw_spans(p: _Painter, box: _Box, chart: Chart) -> None:
    starts = [start for start, _ in chart.spans]
    first = math.floor(min(starts))
    last = math.ceil(max(s + n for s, n in chart.spans)) - 1
    low, high = first - 1, last + 1
    n = len(chart.categories)
    tick_len = 3.5 * p.px

    def wx(w: float) -> float:
        return box.left + (w - low) / (high - low) * (box.right - box.left)

    def cy(c: float) -> float:
        return box.top + (c + 0.5) / n * (box.bottom - box.top)
    step = max(1, math.ceil((last - first + 1) / 20))
    ticks = list(range(first, last + 1, step))
    for w in ticks:
        p.line((wx(w), box.top, wx(w), box.bottom), GRID, 0.6)
    # A span (36, 2) covers weeks 36 and 37: bars run from half a week before the first week's
    # tick to half a week after the last, so each tick labels the middle of its week.
    for pos, (start, length) in enumerate(chart.spans):
        p.rect(wx(start - 0.5), cy(pos - 0.3), wx(start - 0.5 + length), cy(pos + 0.3), PALETTE[0])
    for pos, name in enumerate(chart.categories):
        p.line((box.left - tick_len, cy(pos), box.left, cy(pos)), AXIS, 0.8)
        p.text((box.left - tick_len - 2 * p.px, cy(pos)), name, "rm")
    for w in ticks:
        p.line((wx(w), box.bottom, wx(w), box.bottom + tick_len), AXIS, 0.8)
        # A plan from week 50 runs on as 53, 54 ... to stay in order; label those as weeks 1, 2 ...
        p.text((wx(w), box.bottom + tick_len + 2 * p.px), str((w - 1) % 52 + 1), "ma")
    _axes(p, box)
    if chart.x_label:
        p.text(((box.left + box.right) / 2, box.bottom + tick_len + 13 * p.px), chart.x_label, "ma")
