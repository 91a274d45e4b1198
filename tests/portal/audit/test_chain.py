"""The audit trail is a hash chain: any altered or deleted row is found by audit-verify."""

from __future__ import annotations

from sqlalchemy import text

from portal import audit
from portal.audit import AuditAction


def _fill(session, world, n: int = 5) -> None:  # noqa: ANN001
    for _ in range(n):
        audit.record(session, world.users["case_manager"], AuditAction.VIEW, world.notes["own"])
    session.commit()


def test_intact_chain_verifies(world, session):
    _fill(session, world)
    assert list(audit.verify(session)) == []


def test_changed_row_is_found(world, session, app):
    _fill(session, world)
    session.execute(text("UPDATE audit_log SET username = 'someone-else' WHERE seq = 3"))
    session.commit()
    problems = list(audit.verify(session))
    assert problems and problems[0].seq == 3 and "altered" in problems[0].problem


def test_deleted_row_is_found(world, session):
    _fill(session, world)
    session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    session.commit()
    problems = list(audit.verify(session))
    assert problems[0].seq == 2 and "missing" in problems[0].problem


def test_rehashed_row_still_breaks_the_link(world, session):
    """An attacker who recomputes a row's own hash still breaks the next row's link."""
    _fill(session, world)
    row = session.scalar(audit.select(audit.AuditEntry).where(audit.AuditEntry.seq == 2))
    row.username = "forged"
    row.entry_hash = audit.entry_digest(row)
    session.commit()
    problems = list(audit.verify(session))
    assert problems and problems[0].seq == 3 and "link" in problems[0].problem


def test_cli_audit_verify(world, session, app):
    _fill(session, world)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit-verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    session.execute(text("UPDATE audit_log SET action = 'x' WHERE seq = 4"))
    session.commit()
    bad = runner.invoke(args=["audit-verify"])
    assert bad.exit_code == 1 and "row 4" in bad.output


def test_csv_export_neutralises_formulas(world, browser, session):
    audit.record(session, world.users["case_manager"], AuditAction.VIEW, world.notes["own"],
                 emergency_reason="=HYPERLINK(\"http://x\")")
    session.commit()
    b = browser(world.users["privacy_officer"])
    body = b.get("/audit/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_audit_page_only_for_privacy_officer(world, browser):
    assert browser(world.users["privacy_officer"]).get("/audit/").status_code == 200
    assert browser(world.users["admin"]).get("/audit/").status_code == 403


def test_audit_filters(world, browser, session):
    _fill(session, world, 2)
    audit.record(session, world.users["staff"], AuditAction.DENIED, world.notes["own"], allowed=False)
    session.commit()
    b = browser(world.users["privacy_officer"])
    page = b.get("/audit/?user=staff&denied=1").get_data(as_text=True)
    assert "access:denied" in page and "case-manager</td>" not in page
