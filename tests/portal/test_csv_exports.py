"""Formula injection (CSV injection) in every CSV export: a cell a spreadsheet would run as a formula
(= + - @, tab, CR) is exported as text. The audit-log export and the Woo inventory have their own tests
(tests/portal/audit/test_chain.py, tests/unit/woo/test_pdf_and_leak.py); this covers the access log in
a client's file export."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from portal import audit
from portal.audit import AuditAction

FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_client_export_access_log_neutralises_formulas(app, world, session, formula):
    from portal.archive import Archive
    from portal.services.client_export import export_client

    audit.record(session, world.users["case_manager"], AuditAction.VIEW, world.clients["own"],
                 emergency_reason=formula)
    session.commit()
    spool = export_client(session, actor=world.users["privacy_officer"], client=world.clients["own"],
                          archive=Archive(app.config["PORTAL"].instance_path / "archive"))
    with zipfile.ZipFile(spool) as zf:
        text = zf.read("toegangslog/toegangslog.csv").decode("utf-8-sig")
    spool.close()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + formula in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
