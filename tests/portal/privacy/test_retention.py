"""Retention: what is due, legal holds, destruction lists, and every refusal on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import config
from portal.audit import AuditAction
from portal.models import (
    AuditEntry,
    CaseNote,
    CaseNoteVersion,
    Consent,
    DestructionList,
    Document,
    DocumentVersion,
    LegalHold,
    StoredFile,
    Tombstone,
)
from portal.models.base import today, utcnow
from portal.models.documents import DocState, DocType
from portal.models.retention import ListState
from portal.services import destruction, retention
from portal.services.errors import StateConflictError, ValidationError
from portal.vocab import Confidentiality
from tests.portal.privacy.helpers import LONG_AGO, YEARS, destroy, index_now, old_consent, old_note

OTHER_ROLES = ["case_manager", "other_cm", "peer_expert", "project_lead", "staff", "admin"]


def _due_keys(session, years=YEARS) -> set[tuple[str, int]]:  # noqa: ANN001
    return {r.key for r in retention.due(session, today=today(), years=years)}


def _count(session, model) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(model))


def old_plan(session, world, app) -> Document:  # noqa: ANN001
    from portal.archive import Archive

    stored = Archive(app.config["PORTAL"].instance_path / "archive").put(b"PK docx upload of an old plan")
    f = StoredFile(sha256=stored.sha256, size=stored.size, media_type="application/zip", filename="plan.docx")
    session.add(f)
    session.flush()
    doc = Document(type=DocType.PLAN_OF_APPROACH, title="Plan", reference="PVA/2004/0001",
                   owner_id=world.users["case_manager"].id, client_id=world.clients["own"].id, state=DocState.AGREED,
                   confidentiality=Confidentiality.ZAAKVERTROUWELIJK, fields={}, text="Doelen van toen.")
    session.add(doc)
    session.flush()
    session.add(DocumentVersion(document_id=doc.id, number=1, title="Plan", text="Doelen van toen.", kind="upload",
                                file_id=f.id, author_id=doc.owner_id))
    doc.created_at = doc.modified_at = utcnow() - LONG_AGO
    session.flush()
    return doc


def test_only_records_past_their_period_are_due(app, world, session):
    note, consent = old_note(session, world), old_consent(session, world, app)
    session.commit()
    assert _due_keys(session) == {("case_note", note.id), ("consent", consent.id)}
    assert _due_keys(session, {**YEARS, "case_note": 30, "consent": 10}) == set()


def test_retention_periods_are_configurable_and_checked():
    assert config.retention_years("") == {"case_note": 20, "plan_of_approach": 20, "consent": 5}
    assert config.retention_years("case_note=15, consent=7")["case_note"] == 15
    for bad in ("gossip=3", "case_note=0", "case_note=x", "consent=101"):
        with pytest.raises(ValueError, match="PORTAL_RETENTION_YEARS"):
            config.retention_years(bad)
    with pytest.raises(ValueError, match="PORTAL_RETENTION_YEARS"):
        config.from_env({"PORTAL_RETENTION_YEARS": "case_note=-1"})


def test_destruction_removes_rows_versions_files_and_keeps_tombstones(app, world, session):
    po = world.users["privacy_officer"]
    note, consent, plan = old_note(session, world), old_consent(session, world, app), old_plan(session, world, app)
    consent_id, plan_id, note_id = consent.id, plan.id, note.id
    index_now(session)
    files_before = _count(session, StoredFile)
    outcome = destroy(session, app, po, None)
    assert (outcome.destroyed, outcome.skipped) == (3, 0)
    assert session.get(CaseNote, note_id) is None and session.get(Consent, consent_id) is None
    assert session.get(Document, plan_id) is None
    assert session.scalar(select(func.count()).select_from(CaseNoteVersion)
                          .where(CaseNoteVersion.note_id == note_id)) == 0
    assert _count(session, StoredFile) == files_before - 2
    stones = {t.kind: t for t in session.scalars(select(Tombstone))}
    assert set(stones) == {"case_note", "consent", "plan_of_approach"}
    assert stones["case_note"].versions_removed == 2 and stones["plan_of_approach"].files_removed == 1
    assert stones["consent"].reference.startswith("OLD/")
    assert stones["case_note"].approved_by_id == po.id and stones["case_note"].client_code == "OWN"
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("retention:%"))).all()
    assert actions.count(AuditAction.DESTROY.value) == 3
    # Other records of the dossier are untouched.
    assert session.get(CaseNote, world.notes["own"].id) is not None


def test_legal_hold_keeps_a_dossier_from_destruction(app, world, session):
    po = world.users["privacy_officer"]
    note = old_note(session, world)
    session.commit()
    with pytest.raises(ValidationError) as short:
        retention.set_hold(session, actor=po, client=world.clients["own"], reason="kort")
    assert "reason" in short.value.errors
    hold = retention.set_hold(session, actor=po, client=world.clients["own"], reason="Klachtprocedure loopt nog")
    session.commit()
    assert [r.on_hold for r in retention.due(session, today=today(), years=YEARS)] == [True]
    with pytest.raises(ValidationError):  # nothing due without a hold
        retention.propose(session, actor=po, today=today(), years=YEARS)
    with pytest.raises(ValidationError):  # and a held record cannot be chosen
        retention.propose(session, actor=po, today=today(), years=YEARS, keys=[("case_note", note.id)])
    with pytest.raises(StateConflictError):
        retention.set_hold(session, actor=po, client=world.clients["own"], reason="Nog een keer erbij")
    retention.lift_hold(session, actor=po, hold=hold, reason="Klacht is afgehandeld")
    session.commit()
    assert not hold.active and _due_keys(session) == {("case_note", note.id)}
    holds = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == AuditAction.LEGAL_HOLD.value)).all()
    assert len(holds) == 2 and '"set": false' in holds[1]


def test_a_hold_set_after_approval_blocks_the_record(app, world, session):
    po = world.users["privacy_officer"]
    note = old_note(session, world)
    dl = retention.propose(session, actor=po, today=today(), years=YEARS)
    retention.approve(session, actor=po, dl=dl)
    retention.set_hold(session, actor=po, client=world.clients["own"], reason="Rechtszaak aangekondigd")
    outcome = destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    session.commit()
    assert (outcome.destroyed, outcome.skipped) == (0, 1)
    assert dl.items[0].outcome_reason == "legal hold" and session.get(CaseNote, note.id) is not None


def test_destroying_without_approval_is_refused_and_nothing_is_done(app, world, session, browser):
    po = world.users["privacy_officer"]
    note = old_note(session, world)
    dl = retention.propose(session, actor=po, today=today(), years=YEARS)
    session.commit()
    with pytest.raises(StateConflictError):
        destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    session.rollback()
    r = browser(po).post(f"/privacy/retention/lists/{dl.id}/execute")
    assert r.status_code == 409 and "goedgekeurde vernietigingslijst" in r.get_data(as_text=True)
    cli = app.test_cli_runner().invoke(args=["retention", "--execute", str(dl.id), "--as", "privacy-officer"])
    assert cli.exit_code == 4 and "goedgekeurde" in cli.output
    assert session.get(CaseNote, note.id) is not None and _count(session, Tombstone) == 0
    assert session.get(DestructionList, dl.id).state == ListState.PROPOSED


def test_an_executed_list_cannot_run_twice_or_be_approved_again(app, world, session):
    po = world.users["privacy_officer"]
    old_note(session, world)
    index_now(session)
    destroy(session, app, po, None)
    dl = session.scalars(select(DestructionList)).one()
    with pytest.raises(StateConflictError):
        destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    with pytest.raises(StateConflictError):
        retention.approve(session, actor=po, dl=dl)


def test_a_failure_halfway_destroys_nothing(app, world, session, monkeypatch):
    po = world.users["privacy_officer"]
    note, consent = old_note(session, world), old_consent(session, world, app)
    dl = retention.propose(session, actor=po, today=today(), years=YEARS)
    retention.approve(session, actor=po, dl=dl)
    session.commit()
    real = destruction._destroy
    calls = []

    def failing(session_, item, obj):  # noqa: ANN001, ANN202
        calls.append(item.object_id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(session_, item, obj)

    monkeypatch.setattr(destruction, "_destroy", failing)
    with pytest.raises(RuntimeError):
        destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    session.rollback()
    assert session.get(CaseNote, note.id) is not None and session.get(Consent, consent.id) is not None
    assert _count(session, Tombstone) == 0 and session.get(DestructionList, dl.id).state == ListState.APPROVED


def test_a_record_that_changed_since_the_list_is_skipped(app, world, session):
    po = world.users["privacy_officer"]
    note = old_note(session, world)
    dl = retention.propose(session, actor=po, today=today(), years=YEARS)
    retention.approve(session, actor=po, dl=dl)
    note.modified_at = utcnow() - timedelta(days=10)
    outcome = destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    assert outcome.skipped == 1 and dl.items[0].outcome_reason == "no longer due"


def test_the_page_flow_for_the_privacy_officer(app, world, session, browser):
    old_note(session, world)
    index_now(session)
    b = browser(world.users["privacy_officer"])
    page = b.get("/privacy/retention").get_data(as_text=True)
    assert "OWN" in page and "20 jaar" in page
    r = b.post("/privacy/retention/lists")
    assert r.status_code == 302
    list_id = session.scalars(select(DestructionList.id)).one()
    listed = b.get(f"/privacy/retention/lists/{list_id}").get_data(as_text=True)
    assert "Goedkeuren" in listed and "Casusnotitie" in listed and "voorgesteld" in listed
    assert b.post(f"/privacy/retention/lists/{list_id}/approve").status_code == 302
    assert b.post(f"/privacy/retention/lists/{list_id}/execute").status_code == 302
    assert "vernietigd" in b.get(f"/privacy/retention/lists/{list_id}").get_data(as_text=True)
    page = b.get("/privacy/retention").get_data(as_text=True)
    assert "Er is niets waarvan de bewaartermijn is verstreken" in page and "20 jaar na laatste wijziging" in page


def test_page_refuses_bad_input_with_a_message(app, world, session, browser):
    b = browser(world.users["privacy_officer"])
    r = b.post("/privacy/retention/lists")
    assert r.status_code == 400 and "niets om te vernietigen" in r.get_data(as_text=True)
    r = b.post("/privacy/retention/lists", data={"item": "case_note:abc"})
    assert r.status_code == 400 and "Onbekend stuk" in r.get_data(as_text=True)
    r = b.post("/privacy/retention/lists", data={"item": f"case_note:{world.notes['own'].id}"})
    assert r.status_code == 400 and "vervallen" in r.get_data(as_text=True)
    r = b.post("/privacy/holds", data={"client_id": world.clients["own"].id, "reason": "te kort"})
    assert r.status_code == 400 and "minstens 10 tekens" in r.get_data(as_text=True)
    assert b.post("/privacy/retention/lists/999/approve").status_code == 404
    assert _count(session, DestructionList) == 0 and _count(session, LegalHold) == 0


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_every_other_role_is_refused(app, world, session, browser, persona):
    note = old_note(session, world)
    dl = retention.propose(session, actor=world.users["privacy_officer"], today=today(), years=YEARS)
    session.commit()
    b = browser(world.users[persona])
    assert b.get("/privacy/retention").status_code == 403
    assert b.post("/privacy/retention/lists").status_code == 403
    assert b.post(f"/privacy/retention/lists/{dl.id}/approve").status_code == 403
    assert b.post(f"/privacy/retention/lists/{dl.id}/execute").status_code == 403
    assert b.post("/privacy/holds", data={"client_id": world.clients["own"].id,
                                          "reason": "Een reden van voldoende lengte"}).status_code == 403
    assert session.get(DestructionList, dl.id).state == ListState.PROPOSED
    assert session.get(CaseNote, note.id) is not None and _count(session, LegalHold) == 0


def test_cli_lists_what_is_due(app, world, session):
    old_note(session, world)
    session.commit()
    out = app.test_cli_runner().invoke(args=["retention"])
    assert out.exit_code == 0 and "case_note" in out.output and "1 record(s) due" in out.output


def test_api_flow_and_refusals(app, world, session):
    from portal.services import accounts

    def auth(persona: str) -> dict[str, str]:
        token = accounts.create_api_token(session, world.users[persona])
        session.commit()
        return {"Authorization": f"Bearer {token}"}

    note = old_note(session, world)
    index_now(session)
    c, po = app.test_client(), auth("privacy_officer")
    assert c.get("/api/v1/retention/due", headers=auth("case_manager")).status_code == 403
    due = c.get("/api/v1/retention/due", headers=po).get_json()
    assert due["total"] == 1 and due["items"][0]["object-id"] == note.id
    bad = c.post("/api/v1/destruction-lists", json={"items": "all"}, headers=po)
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    made = c.post("/api/v1/destruction-lists", json={"items": [{"object-type": "case_note", "object-id": note.id}]},
                  headers=po)
    assert made.status_code == 201
    list_id = made.get_json()["id"]
    assert c.post(f"/api/v1/destruction-lists/{list_id}/execute", headers=po).status_code == 409
    assert c.post(f"/api/v1/destruction-lists/{list_id}/approve", headers=po).status_code == 200
    done = c.post(f"/api/v1/destruction-lists/{list_id}/execute", headers=po)
    assert done.status_code == 200 and done.get_json()["items"][0]["outcome"] == "destroyed"
    assert done.get_json()["scrubbed"] is True
    hold = c.post("/api/v1/legal-holds", json={"client-id": world.clients["own"].id, "reason": "x"}, headers=po)
    assert hold.status_code == 400


def test_a_plan_in_a_woo_request_is_skipped(app, world, session):
    from portal.models import WooDocument, WooRequest

    po = world.users["privacy_officer"]
    plan = old_plan(session, world, app)
    woo = WooRequest(reference="WOO/2026/0001", title="Verzoek", received_on=today(),
                     owner_id=world.users["project_lead"].id, reviewer_id=world.users["admin"].id)
    woo.documents.append(WooDocument(document_id=plan.id, title=plan.title))
    session.add(woo)
    dl = retention.propose(session, actor=po, today=today(), years=YEARS)
    retention.approve(session, actor=po, dl=dl)
    outcome = destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    session.commit()
    assert (outcome.destroyed, outcome.skipped) == (0, 1) and dl.items[0].outcome_reason == "in a Woo request"
    assert session.get(Document, plan.id) is not None


def test_scrub_can_be_run_again_after_a_crash_between_the_phases(app, world, session):
    from portal.archive import Archive

    po = world.users["privacy_officer"]
    consent = old_consent(session, world, app, payload=b"%PDF-1.7 left behind")
    sha = consent.sealed_sha256
    archive = Archive(app.config["PORTAL"].instance_path / "archive")
    dl = retention.propose(session, actor=po, today=today(), years=YEARS)
    retention.approve(session, actor=po, dl=dl)
    destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    session.commit()  # ... and the process dies here, before the scrub
    assert archive.exists(sha)
    out = app.test_cli_runner().invoke(args=["retention", "--scrub"])
    assert out.exit_code == 0 and "1 archive file(s) removed" in out.output
    assert not archive.exists(sha)
    assert "0 archive file(s) removed" in app.test_cli_runner().invoke(args=["retention", "--scrub"]).output


def test_four_eyes_needs_a_second_privacy_officer_when_configured(app, world, session, browser):
    import dataclasses

    from portal.vocab import GlobalRole
    from tests.factories import create_user

    app.config["PORTAL"] = dataclasses.replace(app.config["PORTAL"], destruction_four_eyes=True)
    second = create_user(session, "second-po", GlobalRole.PRIVACY_OFFICER, world.orgs["GEM"])
    old_note(session, world)
    dl = retention.propose(session, actor=world.users["privacy_officer"], today=today(), years=YEARS)
    session.commit()
    r = browser(world.users["privacy_officer"]).post(f"/privacy/retention/lists/{dl.id}/approve")
    assert r.status_code == 409 and "vier ogen" in r.get_data(as_text=True)
    assert session.get(DestructionList, dl.id).state == ListState.PROPOSED
    assert browser(second).post(f"/privacy/retention/lists/{dl.id}/approve").status_code == 302
    session.expire_all()
    assert session.get(DestructionList, dl.id).approved_by_id == second.id


def test_a_busy_database_during_the_scrub_is_reported_not_a_crash(app, world, session, browser, monkeypatch):
    def busy(engine, **_kw):  # noqa: ANN001, ANN003, ANN202
        raise destruction.ScrubError("busy")

    monkeypatch.setattr(destruction, "scrub_database", busy)
    note = old_note(session, world)
    dl = retention.propose(session, actor=world.users["privacy_officer"], today=today(), years=YEARS)
    retention.approve(session, actor=world.users["privacy_officer"], dl=dl)
    session.commit()
    b = browser(world.users["privacy_officer"])
    r = b.post(f"/privacy/retention/lists/{dl.id}/execute", follow_redirects=True)
    assert r.status_code == 200 and "retention --scrub" in r.get_data(as_text=True)
    assert session.get(CaseNote, note.id) is None and _count(session, Tombstone) == 1
