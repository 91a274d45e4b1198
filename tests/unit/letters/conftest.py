"""Fixtures for the letters tests: a sender, a logo, a document with every block type, and
helpers that read rendered PDF and DOCX files back (pypdf, python-docx)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import docx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pypdf import PdfReader

from letters import letterhead
from letters.model import (
    BulletList,
    Chart,
    Document,
    Heading,
    Image,
    KeyValue,
    PageBreak,
    Paragraph,
    Recipient,
    Reference,
    Sender,
    Table,
)

LONG = " ".join(["Het STAP-team biedt zorg aan alle straatsekswerkers in Nijmegen & werkt samen met de GGD."] * 12)


def squash(text: str) -> str:
    """Text without any whitespace: line wrapping differs between formats, the words do not."""
    return "".join(text.split())


def make_png(width: int = 200, height: int = 80, text: str = "Logo") -> bytes:
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.05, 0.3, text, fontsize=20, color="#C00000")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


@pytest.fixture(name="squash")
def squash_fixture() -> Callable[[str], str]:
    return squash


@pytest.fixture(name="make_png")
def make_png_fixture() -> Callable[..., bytes]:
    return make_png


@pytest.fixture(scope="session")
def logo_png() -> bytes:
    return make_png()


@pytest.fixture
def sender(logo_png: bytes) -> Sender:
    return Sender(
        organisation="Gemeente Nijmegen",
        department="Maatschappelijke Ondersteuning",
        address_lines=("Postbus 9105", "6500 HG Nijmegen"),
        phone="14 024",
        email="gemeente@nijmegen.nl",
        website="www.nijmegen.nl",
        logo_png=logo_png,
        colour="#C00000",
    )


@pytest.fixture
def full_doc(sender: Sender, logo_png: bytes) -> Document:
    """A multi-page document with every block type, user text with markup characters included."""
    blocks = (
        Heading("Evaluatie en toelichting"),
        Paragraph(LONG),
        Paragraph("Typ <b>vet</b> & <font size=40>groot</font>\nmet een regeleinde."),
        BulletList(("18 van de 20 vrouwen hebben een vergunning", "Drie vrouwen zijn uitgestapt")),
        KeyValue((("Projectleider", "bureau HHM"), ("Periode", "1 augustus 2021 – 31 juli 2023"))),
        Table(
            columns=("Omschrijving", "Uren", "Bedrag"),
            rows=tuple((f"Regel {n}", str(n), f"€ {n * 100},00") for n in range(1, 41)),
            caption="Tabel 1. Begroting",
            footer_rows=(("Totaal", "820", "€ 82.000,00"),),
        ),
        Chart("Figuur 1. Gemiddelde ZRM-score", ("Financiën", "Huisvesting"),
              (("Eerste meting", (2.0, 1.5)), ("Laatste meting", (3.0, 2.5))), horizontal=True, y_max=5),
        Heading("Vervolgstappen", 2),
        Paragraph(LONG),
        PageBreak(),
        Heading("Bijlage"),
        Image(logo_png, caption="Figuur 2. Logo", width_cm=4),
        Paragraph("Einde van de brief."),
    )
    return Document(
        sender=sender,
        subject="Evaluatie zorgaanpak straatsekswerkers",
        blocks=blocks,
        reference=Reference.parse("STAP/2026/0042"),
        dated_on=date(2026, 3, 3),
        recipient=Recipient("Aan de gemeenteraad", ("Postbus 9105", "6500 HG Nijmegen")),
        footer_note="Vertrouwelijkheid: intern",
    )


def _pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _pdf_body(data: bytes, doc: Document) -> str:
    """The squashed text of all pages with the running header, footer note and page labels removed."""
    pages = _pdf_pages(data)
    chunks = []
    for number, text in enumerate(pages, start=1):
        text = squash(text)
        for furniture in (letterhead.running_header(doc), doc.footer_note,
                          letterhead.page_label(number, len(pages), doc.language)):
            if furniture:
                text = text.replace(squash(furniture), "", 1)
        chunks.append(text)
    return "".join(chunks)


def _docx_body(data: bytes) -> str:
    """Squashed text of the DOCX body: paragraphs and table cells in document order."""
    document = docx.Document(io.BytesIO(data))
    parts = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            parts += [cell.text for row in item.rows for cell in row.cells]
        else:
            prefix = "•" if item.style is not None and item.style.name.startswith("List Bullet") else ""
            parts.append(prefix + item.text)
    return squash("".join(parts))


@pytest.fixture
def pdf_pages() -> Callable[[bytes], list[str]]:
    return _pdf_pages


@pytest.fixture
def pdf_body() -> Callable[[bytes, Document], str]:
    return _pdf_body


@pytest.fixture
def docx_body() -> Callable[[bytes], str]:
    return _docx_body


def _assert_lines_in_order(lines: list[str], haystack: str) -> None:
    position = 0
    for line in lines:
        needle = squash(line)
        if not needle:
            continue
        found = haystack.find(needle, position)
        assert found >= 0, f"line not found in order: {line!r}"
        position = found + len(needle)


@pytest.fixture
def assert_lines_in_order() -> Callable[[list[str], str], None]:
    return _assert_lines_in_order
