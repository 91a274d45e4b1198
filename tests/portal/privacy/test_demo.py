"""Both parts end to end from the demo data: petra exports a dossier and destroys what is due."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from portal.models import CaseNote, Client, Consent, Tombstone, User


def test_demo_retention_and_export_end_to_end(app, session, browser):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    listed = runner.invoke(args=["retention"])
    assert listed.exit_code == 0, listed.output
    assert "4 record(s) due, 1 under a legal hold." in listed.output
    petra = session.scalar(select(User).where(User.username == "petra"))
    client = session.scalars(select(Client).order_by(Client.id)).all()[6]
    sealed = session.scalars(select(Consent).where(Consent.sealed_file_id.is_not(None))).first()
    b = browser(petra)
    with b.post("/privacy/export", data={"client_id": sealed.client_id}) as r:
        assert r.status_code == 200
        names = zipfile.ZipFile(io.BytesIO(r.data)).namelist()
    assert "inhoud.pdf" in names and any(n.startswith("toestemmingen/") and n.endswith(".pdf") for n in names)
    notes_before = len(session.scalars(select(CaseNote.id).where(CaseNote.client_id == client.id)).all())
    assert b.post("/privacy/retention/lists").status_code == 302
    assert b.post("/privacy/retention/lists/1/approve").status_code == 302
    assert b.post("/privacy/retention/lists/1/execute").status_code == 302
    assert len(session.scalars(select(Tombstone)).all()) == 3
    assert len(session.scalars(select(CaseNote.id).where(CaseNote.client_id == client.id)).all()) == notes_before - 2
    again = runner.invoke(args=["retention"])
    assert "1 record(s) due, 1 under a legal hold." in again.output
    assert runner.invoke(args=["audit-verify"]).exit_code == 0
