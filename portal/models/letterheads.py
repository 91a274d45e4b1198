"""Letterheads: per organisation, versioned; each save by the functional admin is a new version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.files import StoredFile
from portal.models.people import Organisation


class Letterhead(Base):
    """One version of an organisation's letterhead. Rows are never changed: a new save adds a version.

    New renders use the highest version; documents already sent keep their archived files.
    """

    __tablename__ = "letterheads"
    __table_args__ = (UniqueConstraint("organisation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    #: The logo as a flattened RGB PNG in the archive; None for a text-only letterhead.
    logo_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    #: Address lines, one per line.
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    #: House colour as #rrggbb (headings, rules, table headers).
    colour: Mapped[str] = mapped_column(String(7), default="#1F4E79")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    logo_file: Mapped[StoredFile | None] = relationship()

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(x.strip() for x in self.address.splitlines() if x.strip())

    def __repr__(self) -> str:
        return f"<Letterhead org={self.organisation_id} v{self.version}>"
