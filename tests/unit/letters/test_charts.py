from __future__ import annotations

import io
import threading

import pytest
from PIL import Image as PILImage

from letters.charts import chart_png
from letters.errors import InvalidFieldError
from letters.model import Chart


def _open(png: bytes) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(png))
    image.load()
    return image


GROUPED = Chart("ZRM", ("Financiën", "Huisvesting", "Justitie"),
                (("Eerste meting", (1.0, 2.0, 3.0)), ("Laatste meting", (2.0, 3.0, 4.0))), y_max=5)


def test_chart_is_an_rgb_png_sized_by_dpi():
    small, large = _open(chart_png(GROUPED, dpi=75)), _open(chart_png(GROUPED, dpi=150))
    assert small.format == "PNG"
    assert small.mode == "RGB"
    assert large.size[0] == pytest.approx(2 * small.size[0], abs=2)


def test_series_are_drawn_in_their_own_colours():
    colours = {c for _, c in _open(chart_png(GROUPED)).getcolors(maxcolors=100_000)}
    assert (0x1F, 0x4E, 0x79) in colours  # first series
    assert (0xE6, 0x9F, 0x00) in colours  # second series


def test_horizontal_and_planning_charts_are_taller_with_more_rows():
    few = Chart("Planning", ("a", "b"), (), spans=((1, 2), (3, 1)), x_label="Week")
    many = Chart("Planning", tuple("abcdefghij"), (), spans=tuple((n, 2) for n in range(1, 11)))
    assert _open(chart_png(many)).size[1] > _open(chart_png(few)).size[1]
    horizontal = Chart("h", ("a", "b", "c"), (("s", (1.0, 2.0, 3.0)),), horizontal=True)
    assert _open(chart_png(horizontal)).size[0] > 0


def test_planning_chart_over_new_year_renders():
    chart = Chart("Planning", ("Afronding",), (), spans=((50, 6),), x_label="Week")
    assert _open(chart_png(chart)).size[0] > 0


def test_title_can_be_left_out_of_the_picture():
    assert chart_png(GROUPED, title=False) != chart_png(GROUPED, title=True)


@pytest.mark.parametrize(
    "chart",
    [
        Chart("leeg", (), ()),
        Chart("geen reeks", ("a",), ()),
        Chart("spans", ("a", "b"), (), spans=((1, 2),)),
        Chart("nan", ("a",), (("s", (float("nan"),)),)),
    ],
)
def test_bad_charts_are_refused(chart):
    with pytest.raises(InvalidFieldError) as err:
        chart_png(chart)
    assert err.value.field == "chart"


def test_dpi_is_bounded():
    with pytest.raises(InvalidFieldError):
        chart_png(GROUPED, dpi=5000)


def test_charts_can_be_drawn_from_several_threads():
    results: list[bytes] = []
    charts = [Chart(f"t{n}", ("a", "b"), (("s", (float(n), 1.0)),)) for n in range(6)]
    threads = [threading.Thread(target=lambda c=c: results.append(chart_png(c))) for c in charts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6
    assert all(_open(png).format == "PNG" for png in results)


def test_value_ticks_are_round_numbers_covering_the_range():
    from letters.charts import nice_ticks

    assert nice_ticks(0, 5) == [0, 1, 2, 3, 4, 5]
    assert nice_ticks(0, 11.55) == [0, 2, 4, 6, 8, 10, 12]
    assert nice_ticks(0, 0.9)[-1] >= 0.9
    assert nice_ticks(-3, 7)[0] <= -3


def test_charts_draw_with_the_font_the_pdf_embeds():
    # One typeface in picture and text: the chart labels use the DejaVu Sans that render_pdf registers.
    from reportlab.pdfbase import pdfmetrics

    from letters.fonts import font_file
    from letters.render_pdf import FONT, register_fonts

    register_fonts()
    assert pdfmetrics.getFont(FONT).face.filename == font_file("DejaVuSans")
