"""archive-verify finds missing and altered files and reports orphans."""

from __future__ import annotations

from portal.archive import Archive
from portal.models import StoredFile


def _store(session, archive: Archive, data: bytes) -> str:  # noqa: ANN001
    s = archive.put(data)
    session.add(StoredFile(sha256=s.sha256, size=s.size, media_type="application/pdf", filename="x.pdf"))
    session.commit()
    return s.sha256


def test_archive_verify(app, session):
    archive = Archive(app.config["PORTAL"].instance_path / "archive")
    a = _store(session, archive, b"%PDF a")
    b = _store(session, archive, b"%PDF b")
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["archive-verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    orphan = archive.put(b"written, then the process died before the commit")
    out = runner.invoke(args=["archive-verify"])
    assert out.exit_code == 0 and "1 orphan" in out.output and orphan.sha256 in out.output
    path = archive.path_for(a)
    path.chmod(0o600)
    path.write_bytes(b"%PDF A")
    archive.path_for(b).unlink()
    bad = runner.invoke(args=["archive-verify"])
    assert bad.exit_code == 1
    assert f"altered  {a}" in bad.output and f"missing  {b}" in bad.output
