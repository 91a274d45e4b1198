from __future__ import annotations

from datetime import date, time

import pytest

from letters.errors import InvalidFieldError
from letters.minutes import ActionItem, Agenda, AgendaItem, Minutes, MinutesItem, Purpose, build_agenda, build_minutes
from letters.model import BulletList, Heading, KeyValue, Paragraph, Table
from letters.render_docx import render_docx
from letters.render_pdf import render_pdf
from letters.text import document_text


def _agenda() -> Agenda:
    return Agenda(
        meeting="projectgroep zorgaanpak straatsekswerkers",
        held_on=date(2023, 1, 26),
        starts_at=time(14, 0),
        ends_at=time(15, 30),
        location="MS Teams",
        invitees=("Beschermd wonen", "IrisZorg", "GGD bijzondere zorg"),
        items=(
            AgendaItem("Vaststellen agenda en mededelingen", Purpose.INFORM),
            AgendaItem("Evaluatie zorgaanpak", Purpose.DECIDE, presenter="bureau HHM",
                       attachments=("Evaluatie zorgaanpak.pdf",), description="Evaluatie aangevuld o.b.v. feedback"),
            AgendaItem("Notitie systeemfactoren", Purpose.DISCUSS, attachments=("Notitie.docx", "Bijlage.pdf")),
        ),
    )


def test_agenda_lists_items_with_purpose_presenter_and_attachments(sender):
    doc = build_agenda(_agenda(), sender=sender)
    assert doc.subject == "Agenda projectgroep zorgaanpak straatsekswerkers 26-01-2023"
    assert doc.blocks[0] == KeyValue((("Datum", "26 januari 2023"), ("Tijd", "14.00 – 15.30"),
                                      ("Locatie", "MS Teams")))
    assert BulletList(("Beschermd wonen", "IrisZorg", "GGD bijzondere zorg")) in doc.blocks
    at = doc.blocks.index(Heading("2. Evaluatie zorgaanpak", 2))
    assert doc.blocks[at + 1] == Paragraph("Evaluatie aangevuld o.b.v. feedback")
    assert doc.blocks[at + 2] == KeyValue((("Doel", "vaststellen"), ("Inbreng", "bureau HHM"),
                                           ("Bijlagen", "Evaluatie zorgaanpak.pdf")))
    assert KeyValue((("Doel", "bespreken"), ("Bijlagen", "Notitie.docx, Bijlage.pdf"))) in doc.blocks


def test_agenda_in_english(sender):
    doc = build_agenda(_agenda(), sender=sender, language="en")
    assert doc.blocks[0].pairs[0] == ("Date", "26 January 2023")
    assert KeyValue((("Purpose", "for information"),)) in doc.blocks


def _minutes() -> Minutes:
    return Minutes(
        meeting="stuurgroep",
        held_on=date(2023, 2, 9),
        attendees=("A. Jansen", "B. Pietersen"),
        absent=("C. de Boer",),
        chair="A. Jansen",
        secretary="bureau HHM",
        items=(
            MinutesItem("Evaluatie", "De evaluatie is besproken.\n\nFeedback verwerkt.",
                        decisions=("De evaluatie is vastgesteld.",)),
            MinutesItem("Rondvraag"),
        ),
        actions=(ActionItem("Raadsinformatiebrief opstellen", "projectleider", date(2023, 3, 1)),
                 ActionItem("Budget afstemmen", "gemeente")),
    )


def test_minutes_hold_decisions_and_a_numbered_action_list(sender):
    doc = build_minutes(_minutes(), sender=sender)
    facts = dict(doc.blocks[0].pairs)
    assert facts["Aanwezig"] == "A. Jansen, B. Pietersen"
    assert facts["Afwezig"] == "C. de Boer"
    assert facts["Voorzitter"] == "A. Jansen"
    at = doc.blocks.index(Heading("1. Evaluatie", 2))
    assert doc.blocks[at + 1: at + 5] == (
        Paragraph("De evaluatie is besproken."), Paragraph("Feedback verwerkt."), Paragraph("Besluiten:"),
        BulletList(("De evaluatie is vastgesteld.",)))
    actions = doc.blocks[-1]
    assert isinstance(actions, Table)
    assert actions.rows == (("1", "Raadsinformatiebrief opstellen", "projectleider", "01-03-2023"),
                            ("2", "Budget afstemmen", "gemeente", ""))


def test_agenda_and_minutes_render_in_both_formats(sender, pdf_body, docx_body, assert_lines_in_order):
    for doc in (build_agenda(_agenda(), sender=sender), build_minutes(_minutes(), sender=sender)):
        lines = document_text(doc).splitlines()
        assert_lines_in_order(lines, pdf_body(render_pdf(doc), doc))
        assert_lines_in_order(lines, docx_body(render_docx(doc)))


@pytest.mark.parametrize(("make", "field"), [
    (lambda: AgendaItem(""), "items"),
    (lambda: AgendaItem("x", "besluiten"), "items"),
    (lambda: Agenda("pg", date(2023, 1, 1), ()), "items"),
    (lambda: Agenda("pg", date(2023, 1, 1), (AgendaItem("x"),), starts_at=time(15), ends_at=time(14)), "ends_at"),
    (lambda: Agenda("", date(2023, 1, 1), (AgendaItem("x"),)), "meeting"),
    (lambda: Agenda("pg", "2023-01-01", (AgendaItem("x"),)), "held_on"),
    (lambda: Minutes("pg", date(2023, 1, 1), (MinutesItem("x"),), attendees=("",)), "attendees"),
    (lambda: MinutesItem("x", decisions=("",)), "items"),
    (lambda: ActionItem("x", ""), "actions"),
])
def test_invalid_fields_are_named(make, field):
    with pytest.raises(InvalidFieldError) as err:
        make()
    assert err.value.field == field
