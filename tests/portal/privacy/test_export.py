"""A client's own file (AVG art. 15): the privacy officer's ZIP through the page, the API and the CLI."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal import audit
from portal.audit import AuditAction
from portal.models import AuditEntry
from portal.services import accounts
from tests.portal.privacy.helpers import old_consent, old_note

OTHER_ROLES = ["case_manager", "other_cm", "peer_expert", "project_lead", "staff", "admin"]


def _exports(session) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == AuditAction.CLIENT_EXPORT.value))


def _token(session, user) -> dict[str, str]:  # noqa: ANN001
    token = accounts.create_api_token(session, user)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def dossier(app, world, session):  # noqa: ANN001, ANN201
    """The `own` dossier with a corrected note, a sealed consent, and log rows of who looked at it."""
    note = old_note(session, world, title="Huisbezoek", text="Gesprek over de woning.")
    consent = old_consent(session, world, app)
    audit.record(session, world.users["case_manager"], AuditAction.VIEW, world.notes["own"])
    audit.record(session, world.users["peer_expert"], AuditAction.VIEW, note)
    session.commit()
    return {"client": world.clients["own"], "note": note, "consent": consent}


def test_privacy_officer_downloads_everything_about_her(world, browser, session, dossier):
    client = dossier["client"]
    with browser(world.users["privacy_officer"]).post("/privacy/export", data={"client_id": client.id}) as r:
        assert r.status_code == 200 and r.mimetype == "application/zip"
        assert f"inzage-{client.code}.zip" in r.headers["Content-Disposition"]
        zf = zipfile.ZipFile(io.BytesIO(r.data))
    names = set(zf.namelist())
    for note in (dossier["note"], *[world.notes[k] for k in ("own", "own_health", "own_confidential", "own_draft")]):
        assert f"notities/notitie-{note.id}.json" in names
    assert {"inhoud.pdf", "dossier.json", "toegangslog/toegangslog.csv", "toegangslog/toegangslog.pdf",
            f"toestemmingen/toestemming-{dossier['consent'].id}.json"} <= names
    assert any(n.startswith("toestemmingen/") and n.endswith("sealed.pdf") for n in names)
    note = json.loads(zf.read(f"notities/notitie-{dossier['note'].id}.json"))
    assert [v["number"] for v in note["versions"]] == [1, 2] and note["text"] == "Gesprek over de woning."
    assert json.loads(zf.read("dossier.json"))["code"] == client.code
    log = list(csv.DictReader(io.StringIO(zf.read("toegangslog/toegangslog.csv").decode("utf-8-sig"))))
    seen = {(row["gebruiker"], row["handeling"]) for row in log}
    assert {("case-manager", "bekeken"), ("peer-expert", "bekeken"),
            ("privacy-officer", "inzageverzoek geëxporteerd")} <= seen
    index = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(zf.read("inhoud.pdf"))).pages)
    assert "Inzage in uw dossier" in index and "Casusnotitie" in index and "Toegangslog" in index
    assert f"notitie-{dossier['note'].id}.json" in index
    # Nobody else's data: the other dossiers' notes are not in it.
    assert f"notities/notitie-{world.notes['other'].id}.json" not in names


def test_export_is_audited(world, browser, session, dossier):
    browser(world.users["privacy_officer"]).post("/privacy/export", data={"client_id": dossier["client"].id}).close()
    row = session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.CLIENT_EXPORT.value))
    assert row.client_id == dossier["client"].id and row.username == "privacy-officer"


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_every_other_role_gets_403_and_nothing(world, browser, session, app, dossier, persona):
    user = world.users[persona]
    b = browser(user)
    assert b.get("/privacy/").status_code == 403
    assert b.post("/privacy/export", data={"client_id": dossier["client"].id}).status_code == 403
    r = app.test_client().get(f"/api/v1/clients/{dossier['client'].id}/export", headers=_token(session, user))
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert _exports(session) == 0
    denied = session.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.DENIED.value,
                                                      AuditEntry.username == user.username)).all()
    assert len(denied) >= 3


def test_api_export_for_the_privacy_officer(world, session, app, dossier):
    with app.test_client().get(f"/api/v1/clients/{dossier['client'].id}/export",
                               headers=_token(session, world.users["privacy_officer"])) as r:
        assert r.status_code == 200 and "inhoud.pdf" in zipfile.ZipFile(io.BytesIO(r.data)).namelist()
    assert _exports(session) == 1


@pytest.mark.parametrize("client_id", ["", "abc", "999999"])
def test_export_without_a_valid_client_is_refused(world, browser, session, client_id):
    r = browser(world.users["privacy_officer"]).post("/privacy/export", data={"client_id": client_id})
    assert r.status_code == 400 and "Kies een cliënt" in r.get_data(as_text=True)
    assert _exports(session) == 0


def test_api_export_of_unknown_client_is_404(world, session, app):
    r = app.test_client().get("/api/v1/clients/999999/export", headers=_token(session, world.users["privacy_officer"]))
    assert r.status_code == 404


def test_cli_client_export(world, session, app, dossier, tmp_path):
    out = tmp_path / "export.zip"
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["client-export", dossier["client"].code, "--as", "case-manager", "--out", str(out)])
    assert refused.exit_code == 3 and "not the privacy officer" in refused.output and not out.exists()
    unknown = runner.invoke(args=["client-export", "NOPE", "--as", "privacy-officer", "--out", str(out)])
    assert unknown.exit_code == 2 and not out.exists()
    ok = runner.invoke(args=["client-export", dossier["client"].code, "--as", "privacy-officer", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert "dossier.json" in zipfile.ZipFile(out).namelist()
    assert _exports(session) == 1


def test_a_letter_naming_her_is_in_her_file(world, browser, session, dossier):
    from portal.models import Document
    from portal.models.documents import DocType
    from portal.vocab import Confidentiality

    client = dossier["client"]
    letter = Document(type=DocType.COUNCIL_BRIEFING, title="Raadsbrief", reference="RIB/2026/0099",
                      owner_id=world.users["project_lead"].id, workspace_id=world.workspaces["PG"].id,
                      confidentiality=Confidentiality.INTERN, fields={},
                      text=f"Casus {client.display_name} besproken.")
    other = Document(type=DocType.COUNCIL_BRIEFING, title="Andere brief", reference="RIB/2026/0100",
                     owner_id=world.users["project_lead"].id, workspace_id=world.workspaces["PG"].id,
                     confidentiality=Confidentiality.INTERN, fields={}, text="Alleen totalen.")
    session.add_all([letter, other])
    session.commit()
    with browser(world.users["privacy_officer"]).post("/privacy/export", data={"client_id": client.id}) as r:
        names = zipfile.ZipFile(io.BytesIO(r.data)).namelist()
    assert f"brieven/brief-{letter.id}.json" in names and f"brieven/brief-{other.id}.json" not in names


@pytest.mark.parametrize("page", ["/privacy/", "/privacy/retention"])
def test_pages_that_name_clients_are_audited(world, browser, session, dossier, page):
    r = browser(world.users["privacy_officer"]).get(page)
    assert r.status_code == 200
    rows = session.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.LIST.value)).all()
    assert any('"clients": [' in row.detail and str(dossier["client"].id) in row.detail for row in rows)
