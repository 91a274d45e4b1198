"""Render a `Document` to DOCX with python-docx, for whoever must edit it in Word.

Same content as the PDF: the letterhead (logo and sender) sits in the first-page header, later
pages get a running header, every footer holds the footer note and a 'Pagina {PAGE} van
{NUMPAGES}' field pair that Word fills in. Charts are PNG pictures with their title as alt text
and as a caption, so `letters.text.document_text` holds for both formats.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from letters import letterhead
from letters.charts import chart_png
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
from letters.text import clean_text

FONT = "Arial"  # present wherever Word runs; LibreOffice maps it to Liberation Sans
TEXT_W_CM = 16.0  # A4 with 2.5 cm margins
GREY = RGBColor(0x55, 0x55, 0x55)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

DocxDocument = docx.document.Document


def render_docx(doc: Document, *, invariant: bool = False) -> bytes:
    """Render `doc` as DOCX bytes.

    With ``invariant=True`` the zip entries get a fixed timestamp, so the same document gives
    the same bytes (and archive hash).

    :raise InvalidFieldError: for an unreadable or oversized picture or an invalid chart.
    """
    out = docx.Document()
    colour = RGBColor.from_string(doc.sender.colour[1:].upper())
    _setup(out, doc, colour)
    _headers_and_footers(out, doc, colour)
    _address_and_meta(out, doc)
    for block in doc.blocks:
        _block(out, block, colour)
    buf = io.BytesIO()
    out.save(buf)
    return _fix_zip_times(buf.getvalue()) if invariant else buf.getvalue()


# --- document set-up ----------------------------------------------------------------------------


def _setup(out: DocxDocument, doc: Document, colour: RGBColor) -> None:
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.5)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    normal = out.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nl-NL" if doc.language == "nl" else "en-GB")
    normal.element.get_or_add_rPr().append(lang)
    for name, size in (("Heading 1", 13), ("Heading 2", 11)):
        style = out.styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = colour
    caption = out.styles["Caption"]
    caption.font.name, caption.font.size, caption.font.italic, caption.font.bold = FONT, Pt(8), True, False
    caption.font.color.rgb = GREY
    props = out.core_properties
    props.title = clean_text(doc.subject)
    props.author = props.last_modified_by = clean_text(doc.sender.organisation)
    props.subject = str(doc.reference) if doc.reference else ""
    props.language = "nl-NL" if doc.language == "nl" else "en-GB"
    props.revision = 1
    props.comments = ""
    # Dates come from the document, never from the clock (domain code takes 'today' as input).
    stamp = datetime(doc.dated_on.year, doc.dated_on.month, doc.dated_on.day, tzinfo=UTC) if doc.dated_on else None
    props.created = props.modified = stamp or datetime(2000, 1, 1, tzinfo=UTC)


def _headers_and_footers(out: DocxDocument, doc: Document, colour: RGBColor) -> None:
    section = out.sections[0]
    section.different_first_page_header_footer = True
    _letterhead(section.first_page_header, doc, colour)
    running = section.header.paragraphs[0]
    _run(running, letterhead.running_header(doc), size=8, colour=GREY)
    _border(running, "bottom", doc.sender.colour, size=6)
    for footer in (section.first_page_footer, section.footer):
        _page_footer(footer.paragraphs[0], doc)


def _letterhead(header: docx.section._Header, doc: Document, colour: RGBColor) -> None:
    sender = doc.sender
    table = header.add_table(1, 2, Cm(TEXT_W_CM))
    logo_cell, details = table.rows[0].cells
    logo_cell.width, details.width = Cm(7.0), Cm(TEXT_W_CM - 7.0)
    if sender.logo_png:
        width_px, height_px = picture_size(sender.logo_png, "logo_png")
        scale = min(5.5 / width_px, 2.0 / height_px)  # at most 5.5 x 2 cm, as in the PDF
        logo_cell.paragraphs[0].add_run().add_picture(io.BytesIO(sender.logo_png), width=Cm(width_px * scale))
    first = details.paragraphs[0]
    _run(first, sender.organisation, size=14, bold=True, colour=colour)
    for line in letterhead.sender_lines(sender):
        _run(details.add_paragraph(), line, size=8.5, colour=GREY)
    for line in letterhead.contact_lines(sender, doc.language):
        _run(details.add_paragraph(), line, size=8.5, colour=GREY)
    for paragraph in details.paragraphs:
        paragraph.paragraph_format.space_after = Pt(0)
    # A header starts with one empty paragraph; move the table above it and use that paragraph
    # as the rule in the house colour (Word wants a paragraph after a table anyway).
    rule = header.paragraphs[0]
    rule._p.addprevious(table._tbl)
    rule.paragraph_format.space_after = Pt(12)
    _border(rule, "bottom", doc.sender.colour, size=16)


def _page_footer(paragraph: DocxParagraph, doc: Document) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_W_CM), WD_TAB_ALIGNMENT.RIGHT)
    note = clean_text(doc.footer_note).replace("\n", " ")
    _run(paragraph, f"{note}\t" if note else "\t", size=8, colour=GREY)
    template = letterhead.LABELS[doc.language]["page"]
    for part in re.split(r"(\{page\}|\{pages\})", template):
        if part == "{page}":
            _field(paragraph, "PAGE")
        elif part == "{pages}":
            _field(paragraph, "NUMPAGES")
        elif part:
            _run(paragraph, part, size=8, colour=GREY)


def _address_and_meta(out: DocxDocument, doc: Document) -> None:
    if doc.recipient is not None:
        for line in (doc.recipient.name, *doc.recipient.address_lines):
            if line.strip():
                out.add_paragraph(clean_text(line)).paragraph_format.space_after = Pt(0)
        out.add_paragraph()
    rows = letterhead.meta_rows(doc)
    table = out.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        label_cell, value_cell = row.cells
        label_cell.width, value_cell.width = Cm(3.0), Cm(TEXT_W_CM - 3.0)
        _run(label_cell.paragraphs[0], label, size=8.5, colour=GREY)
        _run(value_cell.paragraphs[0], value, size=9.5)
    out.add_paragraph()


# --- blocks -------------------------------------------------------------------------------------


def _block(out: DocxDocument, block: Block, colour: RGBColor) -> None:
    match block:
        case Heading(text=text, level=level):
            out.add_heading(clean_text(text).replace("\n", " "), level=1 if level <= 1 else 2)
        case Paragraph(text=text):
            out.add_paragraph(clean_text(text))
        case BulletList(items=items):
            for item in items:
                out.add_paragraph(clean_text(item), style="List Bullet").paragraph_format.space_after = Pt(2)
        case KeyValue(pairs=pairs):
            table = out.add_table(rows=len(pairs), cols=2)
            for row, (key, value) in zip(table.rows, pairs, strict=True):
                row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(TEXT_W_CM - 4.5)
                _run(row.cells[0].paragraphs[0], key, bold=True)
                _run(row.cells[1].paragraphs[0], value)
            out.add_paragraph()
        case Table():
            _table(out, block, colour)
        case Chart(title=title):
            _picture(out, chart_png(block, title=False), TEXT_W_CM, title, "chart")
        case Image(png=png, caption=caption, width_cm=width_cm):
            _picture(out, png, min(width_cm, TEXT_W_CM), caption, "image")
        case PageBreak():
            out.add_page_break()
        case _:
            raise TypeError(f"unknown block type: {type(block).__name__}")


def _picture(out: DocxDocument, png: bytes, width_cm: float, caption: str, field: str) -> None:
    picture_size(png, field)
    out.add_picture(io.BytesIO(png), width=Cm(width_cm))
    # Alt text for screen readers (WCAG): Word reads it from the drawing's docPr 'descr'.
    for doc_pr in out.paragraphs[-1]._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", clean_text(caption))
    if caption:
        out.add_paragraph(clean_text(caption), style="Caption")


def _table(out: DocxDocument, table: Table, colour: RGBColor) -> None:
    numeric = numeric_columns(table)
    widths = column_widths(table, TEXT_W_CM)
    result: DocxTable = out.add_table(rows=1, cols=len(table.columns))
    result.style = out.styles["Table Grid"]
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = result.rows[0]
    header_tr_pr = header._tr.get_or_add_trPr()
    header_tr_pr.append(OxmlElement("w:tblHeader"))  # repeat the header row on every page
    _fill_row(header.cells, table.columns, numeric, widths, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))
    for cell in header.cells:
        _shade(cell, str(colour))
    for row in table.rows:
        _fill_row(result.add_row().cells, row, numeric, widths, bold=False)
    for row in table.footer_rows:
        _fill_row(result.add_row().cells, row, numeric, widths, bold=True)
    if table.caption:
        out.add_paragraph(clean_text(table.caption), style="Caption")
    else:
        out.add_paragraph()


def _fill_row(cells: list[_Cell], values: tuple[str, ...], numeric: list[bool], widths: list[float], *,
              bold: bool, colour: RGBColor | None = None) -> None:
    for cell, value, num, width in zip(cells, values, numeric, widths, strict=True):
        cell.width = Cm(width)
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        if num:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, value, size=9, bold=bold, colour=colour)


# --- low-level helpers --------------------------------------------------------------------------


def _run(paragraph: DocxParagraph, text: str, *, size: float | None = None, bold: bool = False,
         colour: RGBColor | None = None) -> None:
    run = paragraph.add_run(clean_text(text))
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if colour is not None:
        run.font.color.rgb = colour


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) as begin / instruction / separate / '1' / end runs."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "1":
            run.text = text
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _border(paragraph: DocxParagraph, side: str, colour: str, *, size: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "4"), ("color", colour[1:].upper())):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)
    p_pr.append(borders)


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _fix_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with a fixed timestamp on every entry (python-docx stamps 'now')."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
