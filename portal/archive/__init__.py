"""Content-addressed archive (DESIGN §7): files named by their SHA-256, written crash-safely.

Write to a temporary file in the same folder, fsync it, rename it into place, fsync the folder,
and only then let the caller record it in the database. A crash at any moment leaves either no
file or a complete one; a half-written file never carries a content name. Paths are confined to
the archive root (securedrop's Storage.path).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class ArchiveError(Exception):
    """Base class."""


class PathOutsideArchiveError(ArchiveError):
    """A computed path would leave the archive root."""


class ArchiveIntegrityError(ArchiveError):
    """A stored file no longer matches its name (hash)."""


class MissingFileError(ArchiveError):
    """No file with this hash is in the archive."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int


def _valid_hash(sha256: str) -> bool:
    return len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256)


def _fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """The confined path of a content hash.

        :raise PathOutsideArchiveError: for anything that is not a lowercase hex SHA-256.
        """
        if not _valid_hash(sha256):
            raise PathOutsideArchiveError(f"not a content hash: {sha256[:80]!r}")
        path = (self.root / sha256[:2] / sha256[2:4] / sha256).resolve()
        if os.path.commonpath([self.root, path]) != str(self.root):
            raise PathOutsideArchiveError(sha256)
        return path

    def put(self, data: bytes) -> Stored:
        """Store `data` durably; idempotent for the same content."""
        digest = hashlib.sha256(data).hexdigest()
        final = self.path_for(digest)
        if final.exists() and final.stat().st_size == len(data):
            return Stored(digest, len(data))
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o440)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(final.parent)
        return Stored(digest, len(data))

    def get(self, sha256: str, *, verify: bool = True) -> bytes:
        """Read a stored file.

        :raise MissingFileError: no such file.
        :raise ArchiveIntegrityError: the bytes no longer match the hash.
        """
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise MissingFileError(sha256) from exc
        if verify and hashlib.sha256(data).hexdigest() != sha256:
            raise ArchiveIntegrityError(sha256)
        return data

    def remove(self, sha256: str) -> bool:
        """Delete a stored file for good (record destruction); True if a file was there.

        The caller first makes sure no database row still names the hash (content addressing
        shares one file between identical uploads).
        """
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_dir(path.parent)
        return True

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def hashes(self) -> Iterator[str]:
        """Every complete file in the archive (temporary files are skipped)."""
        for path in self.root.glob("*/*/*"):
            if path.is_file() and _valid_hash(path.name):
                yield path.name
