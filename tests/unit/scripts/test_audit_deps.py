"""scripts/audit_deps.py: a vulnerable pin fails the run; pins it could not check never pass as "no vulnerabilities"."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[3] / "scripts" / "audit_deps.py"


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_deps", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def with_report(code: int, report: dict | None) -> int:
        monkeypatch.setattr(module, "run_audit", lambda: (code, report, "stderr of pip-audit"))
        return module.main()
    return with_report


CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}
VULN = {"name": "werkzeug", "version": "2.0.0",
        "vulns": [{"id": "PYSEC-2023-58", "fix_versions": ["2.2.3"], "aliases": [], "description": "x"}]}
SKIP = {"name": "flask", "version": "3.1.3", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_clean_report_passes(audit, capsys):
    assert audit(0, {"dependencies": [CLEAN]}) == 0
    assert "no known vulnerabilities" in capsys.readouterr().out


def test_vulnerable_pin_fails_and_is_named(audit, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert audit(1, {"dependencies": [CLEAN, VULN]}) == 1
    assert "werkzeug==2.0.0: PYSEC-2023-58 (fixed in: 2.2.3)" in capsys.readouterr().err


@pytest.mark.parametrize("report", [{"dependencies": [CLEAN, SKIP]}, None])
def test_unchecked_pins_are_reported_and_fail_when_required(audit, capsys, monkeypatch, report):
    monkeypatch.delenv("PORTAL_REQUIRE_DEP_AUDIT", raising=False)
    assert audit(0, report) == 0
    out = capsys.readouterr().out
    assert "INCOMPLETE" in out and "no known vulnerabilities" not in out
    monkeypatch.setenv("PORTAL_REQUIRE_DEP_AUDIT", "1")
    assert audit(0, report) == 1
    assert "FAILED" in capsys.readouterr().err
