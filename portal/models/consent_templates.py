"""Versioned texts of the information letter and the consent form, managed by the functional admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow


class ConsentTemplate(Base):
    """One published version of the texts in one language. Never edited: a change is a new version,
    so a form signed under an older version renders (and hashes) exactly as it was signed."""

    __tablename__ = "consent_templates"
    __table_args__ = (UniqueConstraint("version", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Version label such as '2027-1' (formulierversie).
    version: Mapped[str] = mapped_column(String(32))
    #: 'nl' or 'en'.
    language: Mapped[str] = mapped_column(String(2))
    letter_subject: Mapped[str] = mapped_column(String(300))
    form_title: Mapped[str] = mapped_column(String(300))
    information_letter_text: Mapped[str] = mapped_column(Text)
    consent_text: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ConsentTemplate {self.id} {self.version}/{self.language}>"
