"""Client dossiers (cliëntdossiers), assignments and case notes (casusnotities)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.files import StoredFile
from portal.models.people import User
from portal.models.workspaces import Workspace
from portal.vocab import Confidentiality, DataCategory


class PermitStatus(StrEnum):
    NONE = "none"
    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"
    EXPIRED = "expired"


class Housing(StrEnum):
    """Housing situation, after the categories of the 2023 evaluation (seed 004)."""

    NIGHT_SHELTER = "night_shelter"
    SHELTERED_HOUSING = "sheltered_housing"
    INDEPENDENT = "independent"
    HOMELESS = "homeless"
    SOCIAL_SHELTER = "social_shelter"
    OTHER = "other"


class FinancialAdministration(StrEnum):
    NONE = "none"
    PROTECTIVE = "protective"  # bewindvoering
    BUDGET_MANAGEMENT = "budget_management"  # budgetbeheer
    DEBT_RELIEF = "debt_relief"  # schuldhulpverlening


class ContactFrequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    LESS = "less"


class NoteState(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Client(Base):
    """A person supported by the team, and the folder of everything about her."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Dossier number shown in lists, e.g. 'C-2026-007'.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: Pseudonymous display name; never the legal name.
    display_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    permit_status: Mapped[PermitStatus] = mapped_column(Enum(PermitStatus, native_enum=False, length=32))
    housing: Mapped[Housing] = mapped_column(Enum(Housing, native_enum=False, length=32))
    financial_administration: Mapped[FinancialAdministration] = mapped_column(
        Enum(FinancialAdministration, native_enum=False, length=32))
    contact_frequency: Mapped[ContactFrequency] = mapped_column(Enum(ContactFrequency, native_enum=False, length=32))
    #: The team workspace that holds the dossier (STAP-team); its local roles are inherited unless blocked.
    workspace_id: Mapped[int | None] = mapped_column(ForeignKey("workspaces.id"))
    #: Block inheritance of local roles from the workspace (Plone's "inherit permissions" unchecked).
    block_inheritance: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    workspace: Mapped[Workspace | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="client", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012

    @property
    def data_category(self) -> DataCategory:
        return DataCategory.GENERAL

    @property
    def confidentiality(self) -> Confidentiality:
        return Confidentiality.ZAAKVERTROUWELIJK

    def __repr__(self) -> str:
        return f"<Client {self.id} {self.code}>"


class Assignment(Base):
    """A case manager or peer expert assigned to a client (rule 3)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("client_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    client: Mapped[Client] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()


class CaseNote(Base):
    """A dated progress note; after final its text is never overwritten, corrections are versions."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The date the contact or event took place.
    noted_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    #: ZRM life domains (levensdomeinen) the note is about.
    life_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    data_category: Mapped[DataCategory] = mapped_column(Enum(DataCategory, native_enum=False, length=32))
    confidentiality: Mapped[Confidentiality] = mapped_column(
        Enum(Confidentiality, native_enum=False, length=32, values_callable=lambda e: [m.name for m in e]))
    state: Mapped[NoteState] = mapped_column(Enum(NoteState, native_enum=False, length=16), default=NoteState.DRAFT)
    #: Number of the current version (1 = as first written).
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship()
    author: Mapped[User] = relationship()
    versions: Mapped[list[CaseNoteVersion]] = relationship(
        back_populates="note", order_by="CaseNoteVersion.number", cascade="all, delete-orphan")
    attachments: Mapped[list[NoteAttachment]] = relationship(
        back_populates="note", order_by="NoteAttachment.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<CaseNote {self.id} {self.state}>"


class CaseNoteVersion(Base):
    """A frozen earlier text of a final note, kept when a correction is made."""

    __tablename__ = "case_note_versions"
    __table_args__ = (UniqueConstraint("note_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("case_notes.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    life_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Why the next version replaced this one.
    correction_reason: Mapped[str] = mapped_column(String(500), default="")

    note: Mapped[CaseNote] = relationship(back_populates="versions")
    author: Mapped[User] = relationship()


class NoteAttachment(Base):
    """A file attached to a case note (bijlage): its bytes in the archive, its text for search.

    Access is the note's, exactly: there is no separate sharing, level or category.
    """

    __tablename__ = "note_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("case_notes.id"), index=True)
    #: The archived bytes (content-addressed); written before this row.
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), index=True)
    #: Display name, sanitised (no path, no control characters); never used as a path.
    filename: Mapped[str] = mapped_column(String(200))
    #: Sniffed media type: application/pdf, the DOCX type, image/png or image/jpeg.
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    #: Text extracted from a PDF or DOCX for search; empty for an image or an unreadable text layer.
    text: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    note: Mapped[CaseNote] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship()
    uploaded_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<NoteAttachment {self.id} note={self.note_id} {self.media_type}>"
