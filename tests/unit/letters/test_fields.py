from __future__ import annotations

import pytest

from letters.errors import InvalidFieldError
from letters.fields import check_line, check_text, make_document, text_blocks
from letters.model import BulletList, Paragraph


def test_text_blocks_split_on_blank_lines_and_find_lists():
    text = "Eerste alinea\nloopt door.\n\n  \n- een\n* twee\n• drie\n\r\n\r\nLaatste."
    assert text_blocks(text) == [
        Paragraph("Eerste alinea\nloopt door."),
        BulletList(("een", "twee", "drie")),
        Paragraph("Laatste."),
    ]
    assert text_blocks("   ") == []
    assert text_blocks("- een\ngeen lijst") == [Paragraph("- een\ngeen lijst")]


def test_check_text_and_line():
    assert check_text("f", "  tekst  ") == "tekst"
    with pytest.raises(InvalidFieldError, match="longer than 5"):
        check_text("f", "123456", max_length=5)
    with pytest.raises(InvalidFieldError):
        check_text("f", 12)
    with pytest.raises(InvalidFieldError) as err:
        check_line("titel", "a\nb")
    assert err.value.field == "titel"


def test_make_document_checks_the_letterhead_fields(sender):
    doc = make_document([Paragraph("x")], sender=sender, subject="  Onderwerp ", footer_note=" intern ")
    assert doc.subject == "Onderwerp"
    assert doc.footer_note == "intern"
    for kwargs, field in (({"subject": "x" * 201}, "subject"), ({"subject": "x", "footer_note": "a\nb"}, "footer_note"),
                          ({"subject": "x", "dated_on": "2026-01-01"}, "dated_on")):
        with pytest.raises(InvalidFieldError) as err:
            make_document([], sender=sender, **kwargs)
        assert err.value.field == field
