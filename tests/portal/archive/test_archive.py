"""The content-addressed archive: confinement, idempotence, integrity, no half-written files."""

from __future__ import annotations

import hashlib

import pytest

from portal.archive import Archive, ArchiveIntegrityError, MissingFileError, PathOutsideArchiveError


def test_put_and_get_round_trip(tmp_path):
    a = Archive(tmp_path)
    stored = a.put(b"hello")
    assert stored.sha256 == hashlib.sha256(b"hello").hexdigest() and stored.size == 5
    assert a.get(stored.sha256) == b"hello"
    assert a.put(b"hello") == stored
    assert list(a.hashes()) == [stored.sha256]


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "0" * 63, "/abs", "0" * 62 + "/x"])
def test_paths_are_confined(tmp_path, bad):
    with pytest.raises(PathOutsideArchiveError):
        Archive(tmp_path).path_for(bad)


def test_tampered_file_is_detected(tmp_path):
    a = Archive(tmp_path)
    s = a.put(b"original")
    p = a.path_for(s.sha256)
    p.chmod(0o600)
    p.write_bytes(b"tampered")
    with pytest.raises(ArchiveIntegrityError):
        a.get(s.sha256)


def test_missing_file(tmp_path):
    with pytest.raises(MissingFileError):
        Archive(tmp_path).get("0" * 64)


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    import os

    a = Archive(tmp_path)

    def boom(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        a.put(b"data")
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
