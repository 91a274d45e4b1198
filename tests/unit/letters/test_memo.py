from __future__ import annotations

from datetime import date

import pytest

from letters.errors import InvalidFieldError
from letters.memo import Memo, build
from letters.model import BulletList, Heading, KeyValue, Paragraph, Reference
from letters.render_docx import render_docx
from letters.render_pdf import render_pdf
from letters.text import document_text


def test_heads_text_and_action_points(sender):
    memo = Memo(body="De stuurgroep vergadert voortaan maandelijks.\n\nHet verslag volgt binnen een week.",
                to="Stuurgroep zorgaanpak", author="Projectleider", cc="",
                action_points="- Agenda rondsturen\n- Zaal reserveren")
    doc = build(memo, sender=sender, subject="Vergaderritme stuurgroep", reference=Reference.parse("MEMO/2026/0001"),
                dated_on=date(2026, 11, 2))
    # no empty 'Kopie aan'
    assert doc.blocks[0] == KeyValue((("Aan", "Stuurgroep zorgaanpak"), ("Van", "Projectleider")))
    assert doc.blocks[1:3] == (Paragraph("De stuurgroep vergadert voortaan maandelijks."),
                               Paragraph("Het verslag volgt binnen een week."))
    assert doc.blocks[3:] == (Heading("Actiepunten"), BulletList(("Agenda rondsturen", "Zaal reserveren")))
    assert render_pdf(doc).startswith(b"%PDF") and render_docx(doc).startswith(b"PK")


def test_english_heads_and_only_the_text(sender):
    doc = build(Memo(body="Short note.", cc="Team"), sender=sender, subject="Note", language="en")
    assert doc.blocks == (KeyValue((("Copy to", "Team"),)), Paragraph("Short note."))
    assert "Short note." in document_text(doc)


@pytest.mark.parametrize(("fields", "field"), [
    ({"body": "   "}, "body"),
    ({"body": "Tekst", "to": "twee\nregels"}, "to"),
    ({"body": "Tekst", "author": "x" * 500}, "author"),
])
def test_bad_fields_are_named(fields, field):
    with pytest.raises(InvalidFieldError) as err:
        Memo(**fields)
    assert err.value.field == field
