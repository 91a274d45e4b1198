"""Consent records: which organisations may share which data categories about a client, until when."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.clients import Client
from portal.models.files import StoredFile
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
    #: Language of the letter and form: 'nl' or 'en'.
    language: Mapped[str] = mapped_column(String(2), default="nl", server_default="nl")
    #: Version of the letter and form texts used (formulierversie); a signed form keeps it forever.
    form_version: Mapped[str] = mapped_column(String(32), default="2026-1", server_default="2026-1")
    #: The name printed on the form, frozen when the draft is made (the dossier name may change later).
    client_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Date of birth printed on the form, frozen with the draft.
    client_born_on: Mapped[date | None] = mapped_column(Date)
    #: The organisation that issues and seals the form (letterhead); the composer's organisation.
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    #: SHA-256 of exactly what the client reads and signs (consent_forms.content_hash).
    content_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: The sealed final PDF in the archive, and its SHA-256 (looked up when a PDF is verified).
    sealed_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    sealed_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: The consent this one renews (verlenging), if any.
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id"))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    client: Mapped[Client] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    issued_by: Mapped[Organisation | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    sealed_file: Mapped[StoredFile | None] = relationship(foreign_keys=[sealed_file_id])
    organisations: Mapped[list[Organisation]] = relationship(secondary="consent_organisations")
    signatures: Mapped[list[ConsentSignature]] = relationship(
        back_populates="consent", cascade="all, delete-orphan", order_by="ConsentSignature.id")

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


class ConsentSignature(Base):
    """One signature on a consent form: the client's or the case manager's countersignature.

    The time is the server's; the hash is of exactly what was signed (`Consent.content_sha256`).
    """

    __tablename__ = "consent_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), index=True)
    #: 'client' or 'case_manager' (consent_forms.SignerRole).
    role: Mapped[str] = mapped_column(String(16))
    signer_name: Mapped[str] = mapped_column(String(200))
    #: consent_forms.SignatureMethod: 'drawn' (on the tablet) or 'paper_scan'.
    method: Mapped[str] = mapped_column(String(16))
    #: How it was given: 'drawn' (pointer), 'typed' (keyboard alternative), 'scan', 'password'.
    input_mode: Mapped[str] = mapped_column(String(16))
    #: consent_forms.SignerIdentification: id_document, known_to_team, representative, portal_login.
    identification: Mapped[str] = mapped_column(String(32))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The portal user who signed (the case manager); None for the client.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    content_sha256: Mapped[str] = mapped_column(String(64))
    #: The signature image (PNG) or the paper scan, in the archive.
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    file_sha256: Mapped[str | None] = mapped_column(String(64))

    consent: Mapped[Consent] = relationship(back_populates="signatures")
    file: Mapped[StoredFile | None] = relationship()

    def __repr__(self) -> str:
        return f"<ConsentSignature {self.id} {self.role} consent={self.consent_id}>"
