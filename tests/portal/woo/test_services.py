"""The Woo use cases end to end on the services: propose, review, export, leak check, stale check."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from portal.models import AuditEntry
from portal.services import woo, woo_export
from portal.services.errors import StateConflictError, ValidationError
from tests.portal.woo.conftest import SECRETS
from woo import leak
from woo.model import Status


def _all_text(zip_bytes: bytes) -> dict[str, str]:
    out = {}
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        for name in z.namelist():
            data = z.read(name)
            out[name] = leak.extract(name, data)[0]
    return out


def _accept_all(session, req, reviewer, archive):  # noqa: ANN001
    for wdoc in req.documents:
        for r in list(wdoc.redactions):
            if r.status == Status.PROPOSED:
                woo.set_redaction(session, actor=reviewer, req=req, redaction=r, status="accepted", ground=None,
                                  archive=archive)


def test_propose_finds_every_kind_of_secret(woo_request, woo_world, session, archive):
    officer = woo_world.users["privacy_officer"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    n = woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    segs = woo.segments(wdoc, archive)
    found = {(segs[r.segment][r.start:r.end], r.ground, r.kind) for r in wdoc.redactions}
    assert n == len(found) == 8
    assert ("123456782", "5.1.1e", "bsn") in found
    assert ("cliënte gebruikt sinds maart dagelijks methadon via de verslavingszorg.", "5.1.1d", "category") in found
    assert ("€ 1.234,56", "5.1.2f", "money") in found
    assert {text for text, _, _ in found} == set(SECRETS)


def test_export_of_council_briefing_contains_no_redacted_string(woo_request, woo_world, session, archive):
    """Done-when: the Woo export of a council briefing contains none of the redacted strings."""
    officer, lead = woo_world.users["privacy_officer"], woo_world.users["project_lead"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    _accept_all(session, woo_request, lead, archive)
    data = woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5)
    texts = _all_text(data)
    assert sorted(texts) == ["01-RIB-" + woo_world.briefing.reference.split("/", 1)[1].replace("/", "-") + ".pdf",
                             "inventarislijst.csv", "inventarislijst.pdf"]
    squashed = {name: "".join(t.split()).casefold() for name, t in texts.items()}
    for secret in SECRETS:
        for name, text in squashed.items():
            assert "".join(secret.split()).casefold() not in text, (secret, name)
    pdf_text = texts[next(n for n in texts if n.startswith("01-"))]
    assert "[5.1.1e]" in pdf_text and "[5.1.2e]" in pdf_text and "Werkbezoek van de raad." in pdf_text
    assert "Deels openbaar" in texts["inventarislijst.csv"]
    assert woo_request.state == "exported" and woo_request.export_file is not None
    pdf_name = next(n for n in texts if n.startswith("01-"))
    reader = PdfReader(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read(pdf_name)))
    assert "/Annots" not in reader.pages[0] and "/Metadata" not in reader.trailer["/Root"]
    actions = [a.action for a in session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert {"woo:create", "woo:add_document", "woo:propose", "woo:redaction", "woo:export"} <= set(actions)


def test_export_refused_while_proposals_are_open(woo_request, woo_world, session, archive):
    officer = woo_world.users["privacy_officer"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    with pytest.raises(StateConflictError) as exc:
        woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5)
    assert "nog geen lakvoorstellen" in str(exc.value)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    with pytest.raises(StateConflictError) as exc:
        woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5)
    assert "8 lakvoorstel(len) nog niet beoordeeld" in str(exc.value)
    assert woo_request.state == "open" and woo_request.export_file is None


def test_removed_redaction_is_caught_by_leak_check(woo_request, woo_world, session, archive):
    """Removing one of two redactions of the same name leaves it in the file: the leak check refuses."""
    officer, lead = woo_world.users["privacy_officer"], woo_world.users["project_lead"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    # The reviewer adds 'raad' in one section by hand ...
    woo.add_redaction(session, actor=lead, req=woo_request, wdoc=wdoc, segment="next_steps", text="raad",
                      occurrence=1, ground="5.1.2i", archive=archive)
    _accept_all(session, woo_request, lead, archive)
    # 'raad' also appears un-redacted in the salutation of every briefing ('leden van de raad'): fail closed.
    with pytest.raises(StateConflictError) as exc:
        woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5)
    message = exc.value.errors["export"]
    assert "lekcontrole" in message and "01-RIB-" in message and "raad" not in message  # never the withheld text
    assert woo_request.state == "open"


def test_stale_document_refused_until_reproposed(woo_request, woo_world, session, archive):
    officer, lead = woo_world.users["privacy_officer"], woo_world.users["project_lead"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    _accept_all(session, woo_request, lead, archive)
    doc = woo_world.briefing
    doc.fields = {**doc.fields, "next_steps": "Werkbezoek van de raad met Case-Manager."}
    session.flush()
    assert woo.is_stale(wdoc, archive)
    with pytest.raises(StateConflictError) as exc:
        woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5)
    assert "gewijzigd nadat de lakvoorstellen" in str(exc.value)
    with pytest.raises(StateConflictError):
        woo.add_redaction(session, actor=lead, req=woo_request, wdoc=wdoc, segment="next_steps", text="raad",
                          occurrence=1, ground="5.1.2e", archive=archive)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    _accept_all(session, woo_request, lead, archive)
    data = woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5)
    assert all("Case-Manager" not in t for t in _all_text(data).values())


def test_overlapping_redaction_refused_with_clear_message(woo_request, woo_world, session, archive):
    officer, lead = woo_world.users["privacy_officer"], woo_world.users["project_lead"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    before = len(wdoc.redactions)
    with pytest.raises(ValidationError) as exc:
        woo.add_redaction(session, actor=lead, req=woo_request, wdoc=wdoc, segment="legal_background",
                          text="12a, 6511", occurrence=1, ground="5.1.2e", archive=archive)
    assert "overlapt een bestaande lakking" in exc.value.errors["text"]
    with pytest.raises(ValidationError) as exc:
        woo.add_redaction(session, actor=lead, req=woo_request, wdoc=wdoc, segment="legal_background",
                          text="bestaat niet", occurrence=1, ground="5.1.2e", archive=archive)
    assert "text" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        woo.add_redaction(session, actor=lead, req=woo_request, wdoc=wdoc, segment="legal_background",
                          text="woning", occurrence=1, ground="9.9.9", archive=archive)
    assert "ground" in exc.value.errors
    assert len(wdoc.redactions) == before


def test_not_public_document_gets_no_file(woo_request, woo_world, session, archive):
    officer, lead = woo_world.users["privacy_officer"], woo_world.users["project_lead"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    _accept_all(session, woo_request, lead, archive)
    with pytest.raises(ValidationError):
        woo.set_decision(session, actor=lead, req=woo_request, wdoc=wdoc, decision="not_public", ground="", remark="")
    woo.set_decision(session, actor=lead, req=woo_request, wdoc=wdoc, decision="not_public", ground="5.1.2i",
                     remark="Intern beraad")
    texts = _all_text(woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5))
    assert sorted(texts) == ["inventarislijst.csv", "inventarislijst.pdf"]
    assert "Niet openbaar" in texts["inventarislijst.csv"] and "5.1.2i" in texts["inventarislijst.csv"]


def test_create_request_bad_input(woo_world, session):
    officer = woo_world.users["privacy_officer"]
    with pytest.raises(ValidationError) as exc:
        woo.create_request(session, actor=officer, title="", requester_reference="x" * 101,
                           received_on=date(2999, 1, 1), reviewer_id=officer.id, today=date.today())
    assert set(exc.value.errors) == {"title", "requester_reference", "received_on", "reviewer"}


def test_export_refused_when_handler_lost_access(woo_request, woo_world, session, archive):
    from portal.models import WorkspaceMember

    officer, lead = woo_world.users["privacy_officer"], woo_world.users["project_lead"]
    wdoc = woo.add_document(session, actor=officer, req=woo_request, doc_id=woo_world.briefing.id)
    woo.propose(session, actor=officer, req=woo_request, wdoc=wdoc, archive=archive)
    _accept_all(session, woo_request, lead, archive)
    session.query(WorkspaceMember).filter_by(user_id=officer.id).delete()
    session.flush()
    session.expire_all()
    with pytest.raises(StateConflictError) as exc:
        woo_export.export(session, actor=officer, req=woo_request, archive=archive, threshold=5)
    assert "niet meer inzien" in str(exc.value)


def test_word_edited_letter_is_refused(woo_request, woo_world, session):
    woo_world.briefing.upload_text = "Tekst uit Word"
    session.flush()
    with pytest.raises(ValidationError) as exc:
        woo.add_document(session, actor=woo_world.users["privacy_officer"], req=woo_request,
                         doc_id=woo_world.briefing.id)
    assert "in Word bewerkt" in exc.value.errors["document"]


def test_sexual_health_note_quoted_in_a_letter_is_proposed_as_special_data(woo_world, session, archive):
    """Sexual life is special personal data (5.1.1d) like health, addiction and justice."""
    from portal.models.documents import DocState
    from portal.services import documents
    from portal.vocab import DataCategory
    from tests.factories import create_note

    quote = "Cliënte liet zich op het soa-spreekuur testen en krijgt een behandeling."
    create_note(session, woo_world.clients["own"], woo_world.users["case_manager"],
                category=DataCategory.SEXUAL_HEALTH, text=quote)
    lead, officer = woo_world.users["project_lead"], woo_world.users["privacy_officer"]
    doc = documents.create(session, actor=lead, doc_type="council_briefing", title="Tweede evaluatie",
                           fields={"recipient": "Aan de gemeenteraad", "figures": [], "signed_by": "College",
                                   "evaluation_and_explanation": f"Uit de rapportage: {quote.lower()}"},
                           workspace=woo_world.workspaces["PG"], threshold=5, today=date.today())
    doc.state = DocState.APPROVED
    req = woo.create_request(session, actor=officer, title="Woo-verzoek soa", requester_reference="VZ-18",
                             received_on=date.today(), reviewer_id=lead.id, today=date.today())
    session.commit()
    wdoc = woo.add_document(session, actor=officer, req=req, doc_id=doc.id)
    woo.propose(session, actor=officer, req=req, wdoc=wdoc, archive=archive)
    segs = woo.segments(wdoc, archive)
    found = {(segs[r.segment][r.start:r.end], r.ground) for r in wdoc.redactions}
    assert (quote.lower(), "5.1.1d") in found
