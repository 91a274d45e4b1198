"""Consent records: which organisations may share which data categories about a client, until when."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.clients import Client
from portal.models.people import Organisation, User


class ConsentState(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    REVOKED = "revoked"


class Consent(Base):
    """A consent form's persisted state. Expiry is not a stored state: it is computed for the day asked."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    #: Data categories (DataCategory values) the consent opens.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    state: Mapped[ConsentState] = mapped_column(Enum(ConsentState, native_enum=False, length=16),
                                                default=ConsentState.DRAFT)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revocation_reason: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship()
    created_by: Mapped[User] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(secondary="consent_organisations")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012

    def is_valid_on(self, day: date) -> bool:
        """Valid = signed, not revoked, and ``day`` within [starts_on, ends_on] (DESIGN §5 rule 3)."""
        return self.state == ConsentState.SIGNED and self.starts_on <= day <= self.ends_on

    def status_on(self, day: date) -> str:
        if self.state != ConsentState.SIGNED:
            return self.state.value
        if day > self.ends_on:
            return "expired"
        if day < self.starts_on:
            return "not_yet_valid"
        return "valid"

    def __repr__(self) -> str:
        return f"<Consent {self.id} {self.state}>"


class ConsentOrganisation(Base):
    __tablename__ = "consent_organisations"

    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
