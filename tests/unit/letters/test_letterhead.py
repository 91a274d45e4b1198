from __future__ import annotations

import dataclasses
from datetime import date

from letters import letterhead


def test_dates_are_spelled_out_without_the_process_locale():
    assert letterhead.format_date(date(2026, 3, 3)) == "3 maart 2026"
    assert letterhead.format_date(date(2026, 12, 31), "en") == "31 December 2026"
    assert letterhead.format_short_date(date(2026, 3, 3)) == "03-03-2026"


def test_page_labels():
    assert letterhead.page_label(1, 3) == "Pagina 1 van 3"
    assert letterhead.page_label(2, 3, "en") == "Page 2 of 3"


def test_meta_rows_only_hold_what_is_there(full_doc):
    assert [label for label, _ in letterhead.meta_rows(full_doc)] == ["Datum", "Kenmerk", "Onderwerp"]
    bare = dataclasses.replace(full_doc, reference=None, dated_on=None, language="en")
    assert letterhead.meta_rows(bare) == [("Subject", "Evaluatie zorgaanpak straatsekswerkers")]


def test_sender_and_contact_lines(sender):
    assert letterhead.sender_lines(sender) == ["Maatschappelijke Ondersteuning", "Postbus 9105", "6500 HG Nijmegen"]
    assert letterhead.contact_lines(sender) == ["T 14 024", "E gemeente@nijmegen.nl", "W www.nijmegen.nl"]
    assert letterhead.contact_lines(dataclasses.replace(sender, phone="", website="")) == ["E gemeente@nijmegen.nl"]
