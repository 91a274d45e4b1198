from __future__ import annotations

import dataclasses
import io

import pytest
from pypdf import PdfReader

from letters.errors import InvalidFieldError
from letters.model import Heading, Image, Paragraph, Table
from letters.render_pdf import render_pdf


def _fonts(reader: PdfReader) -> dict[str, object]:
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def _text_fonts(page) -> list[tuple[str, str]]:
    """(text, font name) for every piece of text drawn on a page."""
    seen: list[tuple[str, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict:
            seen.append((text.strip(), str(font_dict["/BaseFont"])))

    page.extract_text(visitor_text=visit)
    return seen


def test_first_page_has_the_letterhead_and_date_block(full_doc, pdf_pages):
    first = pdf_pages(render_pdf(full_doc))[0]
    for expected in ("Gemeente Nijmegen", "Maatschappelijke Ondersteuning", "Postbus 9105", "6500 HG Nijmegen",
                     "T 14 024", "E gemeente@nijmegen.nl", "W www.nijmegen.nl", "Aan de gemeenteraad",
                     "Datum", "3 maart 2026", "Kenmerk", "STAP/2026/0042", "Onderwerp",
                     "Evaluatie zorgaanpak straatsekswerkers"):
        assert expected in first
    # The letterhead comes before the body.
    assert first.index("Onderwerp") < first.index("Evaluatie en toelichting")


def test_every_page_is_numbered_and_carries_the_footer_note(full_doc, pdf_pages):
    pages = pdf_pages(render_pdf(full_doc))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in text
        assert "Vertrouwelijkheid: intern" in text


def test_later_pages_have_a_running_header_instead_of_the_letterhead(full_doc, pdf_pages):
    pages = pdf_pages(render_pdf(full_doc))
    header = "Gemeente Nijmegen · Evaluatie zorgaanpak straatsekswerkers"
    assert header not in pages[0]
    for text in pages[1:]:
        assert header in text
        assert "Postbus 9105" not in text


def test_english_labels(full_doc, pdf_pages):
    pages = pdf_pages(render_pdf(dataclasses.replace(full_doc, language="en")))
    assert all(label in pages[0] for label in ("Date", "3 March 2026", "Reference", "Subject"))
    assert "Kenmerk" not in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_markup_typed_by_a_user_is_printed_literally(full_doc, pdf_pages, squash):
    text = squash("".join(pdf_pages(render_pdf(full_doc))))
    assert squash("Typ <b>vet</b> & <font size=40>groot</font>") in text


def test_metadata_names_subject_and_organisation(full_doc):
    meta = PdfReader(io.BytesIO(render_pdf(full_doc))).metadata
    assert meta.title == "Evaluatie zorgaanpak straatsekswerkers"
    assert meta.author == "Gemeente Nijmegen"
    assert meta.subject == "STAP/2026/0042"


def test_only_embedded_dejavu_fonts_are_used(full_doc):
    fonts = _fonts(PdfReader(io.BytesIO(render_pdf(full_doc))))
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        assert "DejaVuSans" in name, name  # no Helvetica or other unembedded base-14 fonts
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"


def test_invariant_output_is_reproducible(full_doc):
    assert render_pdf(full_doc, invariant=True) == render_pdf(full_doc, invariant=True)


def test_table_footer_rows_are_bold_and_body_rows_are_not(full_doc):
    reader = PdfReader(io.BytesIO(render_pdf(full_doc)))
    drawn = [pair for page in reader.pages for pair in _text_fonts(page)]
    fonts_of = dict(drawn)
    assert fonts_of["Totaal"].endswith("DejaVuSans-Bold")
    assert fonts_of["Regel 1"].endswith("DejaVuSans")


def test_long_table_repeats_its_header_on_the_next_page(full_doc, pdf_pages):
    pages = pdf_pages(render_pdf(full_doc))
    with_rows = [text for text in pages if "Regel " in text]
    assert len(with_rows) >= 2
    assert all("Omschrijving" in text for text in with_rows)


def test_page_break_starts_a_new_page(full_doc, pdf_pages):
    pages = pdf_pages(render_pdf(full_doc))
    assert "Bijlage" in pages[-1]
    assert "Bijlage" not in pages[-2]


def test_logo_chart_and_image_are_embedded_pictures(full_doc):
    reader = PdfReader(io.BytesIO(render_pdf(full_doc)))
    assert sum(len(page.images) for page in reader.pages) == 3
    no_logo = dataclasses.replace(full_doc, sender=dataclasses.replace(full_doc.sender, logo_png=None))
    reader = PdfReader(io.BytesIO(render_pdf(no_logo)))
    assert sum(len(page.images) for page in reader.pages) == 2


def test_chart_title_is_text_under_the_picture(full_doc, pdf_pages):
    assert "Figuur 1. Gemiddelde ZRM-score" in "".join(pdf_pages(render_pdf(full_doc)))


def test_minimal_document_renders_one_page(full_doc, pdf_pages):
    doc = dataclasses.replace(full_doc, blocks=(Paragraph("Kort."),), recipient=None, reference=None,
                              dated_on=None, footer_note="")
    pages = pdf_pages(render_pdf(doc))
    assert len(pages) == 1
    assert "Pagina 1 van 1" in pages[0]
    assert "Kenmerk" not in pages[0]
    assert "Datum" not in pages[0]


def test_unreadable_image_is_refused_with_the_field_named(full_doc):
    doc = dataclasses.replace(full_doc, blocks=(Image(b"not a png"),))
    with pytest.raises(InvalidFieldError) as err:
        render_pdf(doc)
    assert err.value.field == "image"


def test_table_with_very_long_words_and_many_columns_renders(full_doc, pdf_pages, squash):
    word = "Zorgverzekeringsmaatschappijbeleidsmedewerkersovereenkomst" * 3
    table = Table(tuple(f"K{i}" for i in range(8)), ((word, *(["1"] * 7)),))
    text = squash("".join(pdf_pages(render_pdf(dataclasses.replace(full_doc, blocks=(table,))))))
    assert word in text


@pytest.mark.parametrize("filler", range(12, 28))
def test_a_heading_is_never_left_alone_at_the_foot_of_a_page(full_doc, pdf_pages, squash, filler):
    blocks = (*(Paragraph(f"Regel {n}") for n in range(filler)), Heading("Risico's en maatregelen"),
              Table(("Risico", "Maatregel"), (("Vertraging", "Afstemmen"),)))
    pages = pdf_pages(render_pdf(dataclasses.replace(full_doc, blocks=blocks, footer_note="")))
    for number, text in enumerate(pages, start=1):
        body = squash(text).replace(squash(f"Pagina {number} van {len(pages)}"), "")
        assert not body.endswith(squash("Risico's en maatregelen")), f"heading alone at the foot of page {number}"
