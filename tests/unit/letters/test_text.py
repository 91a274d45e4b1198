from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letters.model import BulletList, Chart, Heading, Image, KeyValue, PageBreak, Paragraph, Table
from letters.render_docx import render_docx
from letters.render_pdf import render_pdf
from letters.text import block_lines, clean_text, document_text


def test_block_lines_follow_the_conventions():
    assert block_lines(Heading("Inleiding")) == ["Inleiding"]
    assert block_lines(Paragraph("a\nb")) == ["a", "b"]
    assert block_lines(BulletList(("een", "twee"))) == ["• een", "• twee"]
    assert block_lines(KeyValue((("Naam", "Cliënt A"),))) == ["Naam\tCliënt A"]
    table = Table(("A", "B"), (("1", "2"),), caption="Tabel 1", footer_rows=(("T", "3"),))
    assert block_lines(table) == ["A\tB", "1\t2", "T\t3", "Tabel 1"]
    assert block_lines(Chart("Figuur", ("x",), (("s", (1.0,)),))) == ["Figuur"]
    assert block_lines(Image(b"", caption="")) == []
    assert block_lines(PageBreak()) == []


def test_document_text_leaves_out_the_letterhead(full_doc):
    text = document_text(full_doc)
    assert text.startswith("Evaluatie en toelichting\n\n")
    assert "Gemeente Nijmegen" not in text
    assert "STAP/2026/0042" not in text
    assert text.rstrip().endswith("Einde van de brief.")


def test_clean_text_removes_characters_xml_cannot_hold():
    assert clean_text("a\x00b\x07c\r\nd\te\ufffe") == "ab" + "c\nd\te"


def test_pdf_and_docx_hold_every_body_line_in_order(full_doc, pdf_body, docx_body, assert_lines_in_order):
    lines = document_text(full_doc).splitlines()
    assert_lines_in_order(lines, pdf_body(render_pdf(full_doc), full_doc))
    assert_lines_in_order(lines, docx_body(render_docx(full_doc)))


def test_english_document_holds_the_same_text(full_doc, pdf_body, docx_body, assert_lines_in_order):
    doc = dataclasses.replace(full_doc, language="en")
    lines = document_text(doc).splitlines()
    assert_lines_in_order(lines, pdf_body(render_pdf(doc), doc))
    assert_lines_in_order(lines, docx_body(render_docx(doc)))


def test_order_check_fails_when_lines_are_swapped(full_doc, docx_body, assert_lines_in_order):
    # The check itself must be able to fail: swapped lines are not "in order".
    lines = document_text(full_doc).splitlines()
    first, last = lines[0], lines[-1]
    with pytest.raises(AssertionError, match="not found in order"):
        assert_lines_in_order([last, first], docx_body(render_docx(full_doc)))


# Text a user might type: letters, digits, punctuation and markup characters, some accents.
_typed = st.lists(
    st.sampled_from([*"abcdeëéïz ABC019<>&;\"'/=-–•€%\n", "<b>", "</b>", "&amp;", "<br/>", "<para>"]),
    min_size=1,
    max_size=40,
).map("".join).filter(lambda s: s.strip())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(heading=_typed, paragraph=_typed, cell=_typed)
def test_any_typed_text_renders_literally_in_both_formats(full_doc, pdf_body, docx_body, assert_lines_in_order,
                                                          heading, paragraph, cell):
    blocks = (Heading(heading), Paragraph(paragraph), Table(("Kolom", "Waarde"), ((cell, "1"),)))
    doc = dataclasses.replace(full_doc, blocks=blocks)
    lines = document_text(doc).splitlines()
    assert_lines_in_order(lines, pdf_body(render_pdf(doc), doc))
    assert_lines_in_order(lines, docx_body(render_docx(doc)))
