"""Render a `Document` to PDF with reportlab's platypus.

The first page carries the letterhead (logo, organisation, department, address, contact, a rule
in the house colour), the recipient and the date-and-subject block; later pages a small running
header. Every page has the footer note and 'Pagina 1 van 3'. Only the DejaVu Sans fonts that
matplotlib ships are used, embedded as subsets, so the file is self-contained (ready for PDF/A).

User text is escaped before it reaches reportlab's paragraph mini-markup: a typed ``<b>`` or
``&`` is printed literally.
"""

from __future__ import annotations

import io
import threading
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from letters import letterhead
from letters.charts import chart_png
from letters.fonts import font_file
from letters.images import picture_size
from letters.layout import column_widths, numeric_columns
from letters.model import (
    Block,
    BulletList,
    Chart,
    Document,
    Heading,
    Image,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
)
from letters.text import BULLET, clean_text

FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
_font_lock = threading.Lock()

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 25 * mm, 22 * mm, 25 * mm
TEXT_W = PAGE_W - 2 * MARGIN_X
GREY = colors.HexColor("#555555")


def register_fonts() -> None:
    """Register the DejaVu fonts with reportlab once per process (reportlab's registry is global)."""
    with _font_lock:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        for name in (FONT, FONT_BOLD, FONT_ITALIC):
            pdfmetrics.registerFont(TTFont(name, font_file(name)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


def render_pdf(doc: Document, *, invariant: bool = False) -> bytes:
    """Render `doc` as PDF bytes.

    With ``invariant=True`` the output is byte-for-byte reproducible (fixed creation date and
    document id), so the same document gives the same archive hash.

    :raise InvalidFieldError: for an unreadable or oversized picture or an invalid chart.
    """
    register_fonts()
    styles = _Styles(colors.HexColor(doc.sender.colour))
    story: list[Flowable] = [*_letterhead(doc, styles)]
    for block in doc.blocks:
        story.extend(_block(block, styles))
    buf = io.BytesIO()
    template = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=clean_text(doc.subject),
        author=clean_text(doc.sender.organisation),
        subject=str(doc.reference) if doc.reference else "",
        creator="care-portal letters",
        invariant=1 if invariant else 0,
        lang="nl-NL" if doc.language == "nl" else "en-GB",
        displayDocTitle=1,
        # Without this reportlab starts every page in (unembedded) Helvetica, which PDF/A forbids.
        initialFontName=FONT,
        initialFontSize=10,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    template.build(story, canvasmaker=_canvas_class(doc))
    return buf.getvalue()


# --- styles and text ----------------------------------------------------------------------------


class _Styles:
    def __init__(self, colour: colors.Color) -> None:
        self.colour = colour
        base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=6)
        self.body = base
        self.h1 = ParagraphStyle("h1", base, fontName=FONT_BOLD, fontSize=13, leading=17, textColor=colour,
                                 spaceBefore=10, spaceAfter=6, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=11, leading=15, textColor=colour,
                                 spaceBefore=8, spaceAfter=4, keepWithNext=1)
        self.bullet = ParagraphStyle("bullet", base, leftIndent=14, bulletIndent=3, spaceAfter=2, bulletFontName=FONT)
        self.cell = ParagraphStyle("cell", base, fontSize=9, leading=12, spaceAfter=0)
        self.cell_right = ParagraphStyle("cell_right", self.cell, alignment=TA_RIGHT)
        self.cell_bold = ParagraphStyle("cell_bold", self.cell, fontName=FONT_BOLD)
        self.cell_bold_right = ParagraphStyle("cell_bold_right", self.cell_bold, alignment=TA_RIGHT)
        self.header_cell = ParagraphStyle("header_cell", self.cell_bold, textColor=colors.white)
        self.header_cell_right = ParagraphStyle("header_cell_right", self.header_cell, alignment=TA_RIGHT)
        self.caption = ParagraphStyle("caption", base, fontName=FONT_ITALIC, fontSize=8, leading=11,
                                      textColor=GREY, spaceBefore=3, spaceAfter=10)
        self.org = ParagraphStyle("org", base, fontName=FONT_BOLD, fontSize=14, leading=18, textColor=colour,
                                  spaceAfter=2)
        self.small = ParagraphStyle("small", base, fontSize=8.5, leading=11.5, textColor=GREY, spaceAfter=0)
        self.label = ParagraphStyle("label", self.small, fontSize=8.5)
        self.value = ParagraphStyle("value", base, fontSize=9.5, leading=13, spaceAfter=0)


def markup(text: str) -> str:
    """User text made safe for reportlab's paragraph mini-markup (escaped, newlines as breaks)."""
    return escape(clean_text(text)).replace("\n", "<br/>")


def _p(text: str, style: ParagraphStyle, **kwargs: Any) -> RLParagraph:
    return RLParagraph(markup(text), style, **kwargs)


# --- letterhead ---------------------------------------------------------------------------------


def _letterhead(doc: Document, s: _Styles) -> list[Flowable]:
    sender = doc.sender
    details: list[Flowable] = [_p(sender.organisation, s.org)]
    details += [_p(line, s.small) for line in letterhead.sender_lines(sender)]
    contact = letterhead.contact_lines(sender, doc.language)
    if contact:
        details += [Spacer(1, 3), *[_p(line, s.small) for line in contact]]
    if sender.logo_png:
        logo = _picture(sender.logo_png, max_w=55 * mm, max_h=20 * mm, field="logo_png")
        head: Flowable = RLTable([[logo, details]], colWidths=[70 * mm, TEXT_W - 70 * mm])
        head.setStyle(_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    else:
        head = KeepTogether(details)
    out: list[Flowable] = [head, Spacer(1, 4 * mm),
                           HRFlowable(width="100%", thickness=2, color=s.colour, spaceAfter=8 * mm)]
    if doc.recipient is not None:
        lines = [doc.recipient.name, *doc.recipient.address_lines]
        out += [_p(line, s.value) for line in lines if line.strip()] + [Spacer(1, 10 * mm)]
    rows = [[_p(lab, s.label), _p(val, s.value)] for lab, val in letterhead.meta_rows(doc)]
    meta = RLTable(rows, colWidths=[30 * mm, TEXT_W - 30 * mm], hAlign="LEFT")
    meta.setStyle(_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [*out, meta, Spacer(1, 10 * mm)]


def _canvas_class(doc: Document) -> type[Canvas]:
    """A canvas that holds back its pages until the end, so each can say 'Pagina 1 van N'."""
    header = letterhead.running_header(doc)
    note = clean_text(doc.footer_note)
    colour = colors.HexColor(doc.sender.colour)

    def decorate(canv: Canvas, page: int, pages: int) -> None:
        canv.saveState()
        canv.setFillColor(GREY)
        if page > 1:
            canv.setFont(FONT, 8)
            canv.drawString(MARGIN_X, PAGE_H - 13 * mm, _fit(header, TEXT_W, 8))
            canv.setStrokeColor(colour)
            canv.setLineWidth(0.8)
            canv.line(MARGIN_X, PAGE_H - 15 * mm, PAGE_W - MARGIN_X, PAGE_H - 15 * mm)
        canv.setFont(FONT, 8)
        canv.drawRightString(PAGE_W - MARGIN_X, 13 * mm, letterhead.page_label(page, pages, doc.language))
        if note:
            canv.drawString(MARGIN_X, 13 * mm, _fit(note.replace("\n", " "), TEXT_W - 40 * mm, 8))
        canv.restoreState()

    class _NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, len(self._pages))
                super().showPage()
            super().save()

    return _NumberedCanvas


def _fit(text: str, width: float, size: float) -> str:
    """Shorten `text` with an ellipsis until it fits `width` points."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


# --- blocks -------------------------------------------------------------------------------------


def _block(block: Block, s: _Styles) -> list[Flowable]:
    match block:
        case Heading(text=text, level=level):
            # Never leave a heading alone at the foot of a page.
            return [CondPageBreak(30 * mm), _p(text.replace("\n", " "), s.h1 if level <= 1 else s.h2)]
        case Paragraph(text=text):
            return [_p(text, s.body)]
        case BulletList(items=items):
            return [RLParagraph(markup(item), s.bullet, bulletText=BULLET) for item in items] + [Spacer(1, 4)]
        case KeyValue(pairs=pairs):
            return [_key_value(pairs, s)]
        case Table():
            return _table(block, s)
        case Chart():
            png = chart_png(block, title=False)
            items = [_picture(png, max_w=TEXT_W, max_h=200 * mm, field="chart")]
            return [KeepTogether([*items, _p(block.title, s.caption)] if block.title else items)]
        case Image(png=png, caption=caption, width_cm=width_cm):
            picture = _picture(png, max_w=min(TEXT_W, width_cm * 10 * mm), max_h=200 * mm, field="image")
            return [KeepTogether([picture, _p(caption, s.caption)] if caption else [picture, Spacer(1, 6)])]
        case PageBreak():
            return [RLPageBreak()]
    raise TypeError(f"unknown block type: {type(block).__name__}")


def _style(commands: list[tuple[Any, ...]]) -> TableStyle:
    # Tables set their default font (Helvetica) on every cell, even for paragraph cells; that
    # would put an unembedded font in the PDF.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _picture(data: bytes, *, max_w: float, max_h: float, field: str) -> RLImage:
    width_px, height_px = picture_size(data, field)
    scale = min(max_w / width_px, max_h / height_px)
    image = RLImage(io.BytesIO(data), width=width_px * scale, height=height_px * scale)
    image.hAlign = "LEFT"
    return image


def _key_value(pairs: tuple[tuple[str, str], ...], s: _Styles) -> Flowable:
    rows = [[_p(key, s.cell_bold), _p(value, s.cell)] for key, value in pairs]
    table = RLTable(rows, colWidths=[45 * mm, TEXT_W - 45 * mm], hAlign="LEFT")
    table.setStyle(_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return KeepTogether([table, Spacer(1, 6)])


def _table(table: Table, s: _Styles) -> list[Flowable]:
    numeric = numeric_columns(table)

    def cells(row: tuple[str, ...], bold: bool) -> list[RLParagraph]:
        styles = [(s.cell_bold_right if bold else s.cell_right) if num else (s.cell_bold if bold else s.cell)
                  for num in numeric]
        return [_p(cell, style) for cell, style in zip(row, styles, strict=True)]

    heads = zip(table.columns, numeric, strict=True)
    data = [[_p(c, s.header_cell_right if num else s.header_cell) for c, num in heads]]
    data += [cells(row, False) for row in table.rows]
    data += [cells(row, True) for row in table.footer_rows]
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), s.colour),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("ROWBACKGROUNDS", (0, 1), (-1, len(table.rows)), [colors.white, colors.HexColor("#F3F5F8")]),
    ]
    if table.footer_rows:
        commands.append(("LINEABOVE", (0, len(table.rows) + 1), (-1, len(table.rows) + 1), 1, s.colour))
    rl_table = RLTable(data, colWidths=column_widths(table, TEXT_W), repeatRows=1, hAlign="LEFT")
    rl_table.setStyle(_style(commands))
    out: list[Flowable] = [rl_table]
    out.append(_p(table.caption, s.caption) if table.caption else Spacer(1, 8))
    return out

