from __future__ import annotations

import dataclasses
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from letters.errors import InvalidFieldError
from letters.model import Image, Paragraph
from letters.render_docx import render_docx


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _xml_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def test_letterhead_with_logo_is_in_the_first_page_header(full_doc):
    section = _open(render_docx(full_doc)).sections[0]
    assert section.different_first_page_header_footer
    header = section.first_page_header._element
    text = _xml_text(header)
    for expected in ("Gemeente Nijmegen", "Maatschappelijke Ondersteuning", "Postbus 9105", "T 14 024",
                     "E gemeente@nijmegen.nl"):
        assert expected in text
    assert len(list(header.iter(qn("pic:pic")))) == 1  # the logo
    # The rule under the letterhead is drawn in the house colour.
    assert any(b.get(qn("w:color")) == "C00000" for b in header.iter(qn("w:bottom")))
    # Later pages get a running header with subject, not the letterhead.
    running = _xml_text(section.header._element)
    assert running == "Gemeente Nijmegen · Evaluatie zorgaanpak straatsekswerkers"


@pytest.mark.parametrize(("language", "words"), [("nl", ("Pagina", "van")), ("en", ("Page", "of"))])
def test_footers_hold_page_fields_and_the_note(full_doc, language, words):
    section = _open(render_docx(dataclasses.replace(full_doc, language=language))).sections[0]
    for footer in (section.first_page_footer, section.footer):
        element = footer._element
        instructions = [i.text.strip() for i in element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        text = _xml_text(element)
        assert "Vertrouwelijkheid: intern" in text
        assert all(word in text for word in words)


def test_date_block_labels_follow_the_language(full_doc):
    def labels(data: bytes) -> list[str]:
        table = _open(data).tables[0]
        return [row.cells[0].text for row in table.rows]

    assert labels(render_docx(full_doc)) == ["Datum", "Kenmerk", "Onderwerp"]
    assert labels(render_docx(dataclasses.replace(full_doc, language="en"))) == ["Date", "Reference", "Subject"]
    assert _open(render_docx(full_doc)).tables[0].rows[0].cells[1].text == "3 maart 2026"


def test_core_properties(full_doc):
    props = _open(render_docx(full_doc)).core_properties
    assert props.title == "Evaluatie zorgaanpak straatsekswerkers"
    assert props.author == "Gemeente Nijmegen"
    assert props.subject == "STAP/2026/0042"
    assert props.language == "nl-NL"
    assert props.created.date().isoformat() == "2026-03-03"


def test_blocks_use_word_styles(full_doc):
    document = _open(render_docx(full_doc))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Evaluatie en toelichting"] == "Heading 1"
    assert styles["Vervolgstappen"] == "Heading 2"
    assert styles["Drie vrouwen zijn uitgestapt"] == "List Bullet"
    assert styles["Tabel 1. Begroting"] == "Caption"


def test_table_has_a_repeating_header_bold_footer_and_right_aligned_numbers(full_doc):
    table = next(t for t in _open(render_docx(full_doc)).tables if t.rows[0].cells[0].text == "Omschrijving")
    assert table._tbl.tr_lst[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    footer = table.rows[-1]
    assert footer.cells[0].text == "Totaal"
    assert all(run.bold for cell in footer.cells for run in cell.paragraphs[0].runs)
    body = table.rows[1]
    assert not any(run.bold for run in body.cells[0].paragraphs[0].runs)
    assert body.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert body.cells[0].paragraphs[0].alignment is None


def test_chart_and_image_are_pictures_with_alt_text(full_doc):
    document = _open(render_docx(full_doc))
    assert len(document.inline_shapes) == 2
    descriptions = [p.get("descr") for p in document.element.body.iter(qn("wp:docPr"))]
    assert descriptions == ["Figuur 1. Gemiddelde ZRM-score", "Figuur 2. Logo"]


def test_page_break_is_a_word_page_break(full_doc):
    body = _open(render_docx(full_doc)).element.body
    assert [br.get(qn("w:type")) for br in body.iter(qn("w:br"))].count("page") == 1


def test_markup_and_control_characters_are_kept_literal_or_dropped(full_doc):
    doc = dataclasses.replace(full_doc, blocks=(Paragraph("<b>vet</b> & \x00\x07klaar"),))
    texts = [p.text for p in _open(render_docx(doc)).paragraphs]
    assert "<b>vet</b> & klaar" in texts


def test_invariant_output_is_reproducible(full_doc):
    assert render_docx(full_doc, invariant=True) == render_docx(full_doc, invariant=True)


def test_unreadable_image_is_refused_with_the_field_named(full_doc):
    with pytest.raises(InvalidFieldError) as err:
        render_docx(dataclasses.replace(full_doc, blocks=(Image(b"GIF89a..."),)))
    assert err.value.field == "image"
