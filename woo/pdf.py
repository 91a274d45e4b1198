"""Uploaded PDFs: read their text per page, and rebuild redacted pages from the kept text only.

We never edit the uploaded file. Its pages' text becomes segments ('page-1', ...); the output is a
fresh PDF drawn with reportlab from the redacted text, so text under a redaction is really gone:
no earlier revision, no hidden text layer, no metadata, annotations, attachments or JavaScript
survive, because nothing of the original file is copied. Pages whose text cannot be checked
(images that may hold text, glyphs without a Unicode mapping, no text layer) are withheld whole,
and the inventory says why. Rasterising would keep the layout but needs poppler/mupdf (mupdf is AGPL).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from letters.render_pdf import FONT, register_fonts
from woo.errors import MalformedPdfError
from woo.grounds import GROUNDS

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300

#: Why a page is withheld whole (codes; the portal shows a Dutch text for each).
PAGE_PROBLEMS = ("images", "no_text", "unknown_font", "unreadable")


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    #: None if the page can be redacted safely, else one of PAGE_PROBLEMS.
    problem: str | None = None

    @property
    def segment(self) -> str:
        return f"page-{self.number}"


def _page_problem(page: object, text: str) -> str | None:
    try:
        if len(page.images) > 0:  # type: ignore[attr-defined]
            return "images"
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError):
        return "unreadable"
    if "\ufffd" in text or re.search(r"[\x00-\x08\x0e-\x1f]", text):
        return "unknown_font"
    try:
        has_content = bool(page.get_contents() and page.get_contents().get_data().strip())  # type: ignore[attr-defined]
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError):
        return "unreadable"
    if not text.strip() and has_content:
        return "no_text"  # drawn but no text: a scan or outlined glyphs we cannot read
    return None


def read_pages(data: bytes) -> list[PageText]:
    """The text of each page and whether it can be redacted safely.

    :raise MalformedPdfError: reason 'too_large', 'not_pdf', 'encrypted', 'too_many_pages' or 'malformed'.
    """
    if len(data) > MAX_BYTES:
        raise MalformedPdfError("file too large", reason="too_large")
    if not data.lstrip()[:5] == b"%PDF-":
        raise MalformedPdfError("not a PDF", reason="not_pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise MalformedPdfError("encrypted PDF", reason="encrypted")
        if len(reader.pages) > MAX_PAGES:
            raise MalformedPdfError("too many pages", reason="too_many_pages")
        pages = []
        for i, page in enumerate(reader.pages, start=1):
            try:
                text = page.extract_text() or ""
            except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError):
                pages.append(PageText(i, "", "unreadable"))
                continue
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            problem = _page_problem(page, text)
            pages.append(PageText(i, "" if problem else text, problem))
    except MalformedPdfError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise MalformedPdfError(f"unreadable PDF: {type(exc).__name__}", reason="malformed") from exc
    if not pages:
        raise MalformedPdfError("PDF without pages", reason="malformed")
    return pages


# --- writing -------------------------------------------------------------------------------------

MARKER = re.compile(r"\[(" + "|".join(re.escape(code) for code in GROUNDS) + r")\]")
PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
SIZE, LEADING = 10, 13.5


@dataclass(frozen=True)
class OutPage:
    """One output page: the redacted text, or None with the ground and reason for withholding it whole."""

    text: str | None
    ground: str = "5.1.2e"
    reason: str = ""


def _wrap(line: str, width: float) -> list[str]:
    words, lines, cur = line.split(" "), [], ""
    for word in words:
        trial = f"{cur} {word}" if cur else word
        if stringWidth(trial, FONT, SIZE) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    lines.append(cur)
    return lines


def _draw_line(c: Canvas, x: float, y: float, line: str) -> None:
    """Plain text, with each '[ground]' marker drawn as a labelled grey box."""
    pos = 0
    for m in MARKER.finditer(line):
        c.setFillColor(colors.black)
        c.drawString(x, y, line[pos:m.start()])
        x += stringWidth(line[pos:m.start()], FONT, SIZE)
        w = stringWidth(m.group(1), FONT, SIZE) + 4
        c.setFillColor(colors.HexColor("#cccccc"))
        c.rect(x, y - 3, w, SIZE + 2, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.drawString(x + 2, y, m.group(1))
        x += w
        pos = m.end()
    c.setFillColor(colors.black)
    c.drawString(x, y, line[pos:])


def write_pdf(pages: Sequence[OutPage], *, heading: str = "") -> bytes:
    """A fresh PDF with one or more output pages per input page, no metadata beyond the producer."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    c.setTitle("")
    c.setAuthor("")
    c.setSubject("")
    c.setCreator("")
    width = PAGE_W - 2 * MARGIN
    for number, page in enumerate(pages, start=1):
        lines: list[str] = []
        if page.text is None:
            lines = [f"Pagina {number} is niet openbaar gemaakt [{page.ground}].",
                     *([f"Reden: {page.reason}"] if page.reason else [])]
        else:
            for raw in page.text.split("\n"):
                lines += _wrap(raw.replace("\t", " "), width)
        y = PAGE_H - MARGIN
        c.setFont(FONT, 8)
        c.drawString(MARGIN, y + 8, f"{heading} - pagina {number}" if heading else f"Pagina {number}")
        c.setFont(FONT, SIZE)
        for line in lines:
            if y < MARGIN:
                c.showPage()
                c.setFont(FONT, SIZE)
                y = PAGE_H - MARGIN
            _draw_line(c, MARGIN, y, line)
            y -= LEADING
        c.showPage()
    c.save()
    return buf.getvalue()
