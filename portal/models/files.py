"""Files in the content-addressed archive, and reference counters (kenmerken)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow


class StoredFile(Base):
    """A file whose bytes live in the archive under their SHA-256; the row is written after the file."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    #: Sniffed media type (never the one the browser claimed).
    media_type: Mapped[str] = mapped_column(String(100))
    #: Display name, sanitised; never used as a path.
    filename: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredFile {self.id} {self.sha256[:12]}>"


class ReferenceCounter(Base):
    """The last number handed out per series and year: STAP/2026/0042."""

    __tablename__ = "reference_counters"
    __table_args__ = (UniqueConstraint("series", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
