"""Consistent backups while the portal runs, and restore into an empty instance.

A backup is a folder (or .tar.gz) with: the database (SQLite's online backup API gives a
consistent snapshot even while requests write), the archive files, the certificates and the secret
key. The search index is not copied: `restore` rebuilds it from the database. For PostgreSQL the
database part is `pg_dump --format=custom` and `pg_restore`.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from config import Config

MANIFEST = "manifest.json"
KEEP = ("archive", "certs", "secret_key")


class BackupError(Exception):
    """The backup or restore could not be made; nothing was changed."""


def _copy_sqlite(src: Path, dest: Path, progress: Callable[[int, int], None] | None) -> None:
    """SQLite's online backup: a consistent snapshot while other connections keep writing."""
    source, target = sqlite3.connect(src), sqlite3.connect(dest)
    try:
        source.backup(target, pages=256, progress=(lambda _s, rem, total: progress(total - rem, total))
                      if progress else None)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the copied database failed its integrity check")
    finally:
        source.close()
        target.close()


def backup(cfg: Config, out: Path, *, progress: Callable[[int, int], None] | None = None) -> Path:
    """Write a backup of the instance to `out` (a .tar.gz path or a folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "backup"
        stage.mkdir()
        if cfg.is_sqlite:
            _copy_sqlite(cfg.instance_path / "portal.sqlite3", stage / "portal.sqlite3", progress)
            db_kind = "sqlite"
        else:
            url = cfg.sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://")
            result = subprocess.run(["pg_dump", "--format=custom", "--file", str(stage / "portal.pgdump"), url],
                                    capture_output=True, text=True, check=False)
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
            db_kind = "postgresql"
        for name in KEEP:
            src = cfg.instance_path / name
            if src.is_dir():
                shutil.copytree(src, stage / name, ignore=shutil.ignore_patterns(".tmp-*"))
            elif src.is_file():
                shutil.copy2(src, stage / name)
        (stage / MANIFEST).write_text(json.dumps({"made_at": datetime.now(UTC).isoformat(), "database": db_kind,
                                                  "format": 1}))
        out = Path(out)
        if out.name.endswith(".tar.gz"):
            out.parent.mkdir(parents=True, exist_ok=True)
            with tarfile.open(out, "w:gz") as tar:
                tar.add(stage, arcname="backup")
        else:
            shutil.copytree(stage, out)
    return out


def _unpack(src: Path, into: Path) -> Path:
    if src.is_dir():
        return src
    with tarfile.open(src, "r:gz") as tar:
        tar.extractall(into, filter="data")  # refuses absolute paths, links out and device files
    return into / "backup"


def restore(cfg: Config, src: Path) -> dict[str, str]:
    """Restore a backup into an EMPTY instance; the index must then be rebuilt (`reindex`)."""
    target = cfg.instance_path
    if cfg.is_sqlite and (target / "portal.sqlite3").exists():
        raise BackupError(f"{target} already holds a database; restore only into an empty instance")
    with tempfile.TemporaryDirectory() as tmp:
        stage = _unpack(Path(src), Path(tmp))
        manifest_path = stage / MANIFEST
        if not manifest_path.exists():
            raise BackupError("not a portal backup (no manifest.json)")
        manifest = json.loads(manifest_path.read_text())
        target.mkdir(parents=True, exist_ok=True)
        if manifest["database"] == "sqlite":
            if not cfg.is_sqlite:
                raise BackupError("this backup holds a SQLite database; configure no DATABASE_URL to restore it")
            shutil.copy2(stage / "portal.sqlite3", target / "portal.sqlite3")
        else:
            url = cfg.sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://")
            result = subprocess.run(["pg_restore", "--no-owner", "--dbname", url, str(stage / "portal.pgdump")],
                                    capture_output=True, text=True, check=False)
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        for name in KEEP:
            src_item = stage / name
            if src_item.is_dir():
                shutil.copytree(src_item, target / name, dirs_exist_ok=True)
            elif src_item.is_file():
                shutil.copy2(src_item, target / name)
    return manifest
