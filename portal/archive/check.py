"""archive-verify: every recorded file is present and matches its hash; no file is unaccounted for."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.archive import Archive, ArchiveIntegrityError, MissingFileError
from portal.models import StoredFile


@dataclass(frozen=True)
class ArchiveProblem:
    sha256: str
    problem: str  # 'missing' | 'altered' | 'size' | 'orphan'


def verify(session: Session, archive: Archive) -> Iterator[ArchiveProblem]:
    """Yield each problem. An orphan (file without row) is what a crash between the archive write
    and the commit leaves behind: harmless, reported so it can be cleaned up."""
    recorded: set[str] = set()
    for sha, size in session.execute(select(StoredFile.sha256, StoredFile.size).order_by(StoredFile.id)):
        if sha in recorded:
            continue
        recorded.add(sha)
        try:
            data = archive.get(sha)
        except MissingFileError:
            yield ArchiveProblem(sha, "missing")
            continue
        except ArchiveIntegrityError:
            yield ArchiveProblem(sha, "altered")
            continue
        if len(data) != size:
            yield ArchiveProblem(sha, "size")
    for sha in archive.hashes():
        if sha not in recorded:
            yield ArchiveProblem(sha, "orphan")
