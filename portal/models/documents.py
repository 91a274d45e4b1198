"""Letters and plans (DESIGN §4): council briefings, project plans, agendas, minutes, client plans of approach.

A `Document` keeps its structured fields as JSON (the raw values the author typed, per type; see
`portal.doctypes`) and the canonical text the renderers draw (`letters.text.document_text`), which
the search index stores and the version history diffs. Frozen files live in the archive.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.clients import Client
from portal.models.files import StoredFile
from portal.models.people import User
from portal.models.workspaces import Workspace
from portal.vocab import Confidentiality


class DocType(StrEnum):
    """Content types; the values are also the search index's document types."""

    COUNCIL_BRIEFING = "council_briefing"
    PROJECT_PLAN = "project_plan"
    AGENDA = "agenda"
    MINUTES = "minutes"
    PLAN_OF_APPROACH = "plan_of_approach"  # a client's plan, kept in her dossier
    MEMO = "memo"


class DocState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SENT = "sent"
    AGREED = "agreed"
    EVALUATED = "evaluated"


class ReviewDecision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    WITHDRAWN = "withdrawn"


def _enum(cls: type[StrEnum], length: int = 32) -> Enum:
    return Enum(cls, native_enum=False, length=length)


class Document(Base):
    """A letter or plan: structured fields, a workflow state, versions and (once sent) frozen files."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[DocType] = mapped_column(_enum(DocType))
    title: Mapped[str] = mapped_column(String(200))
    #: Kenmerk, unique per series and year, e.g. 'RIB/2026/0003'.
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    #: The author (eigenaar): the only one who sees a draft.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Project documents belong to a workspace; client plans to a dossier. Exactly one is set.
    workspace_id: Mapped[int | None] = mapped_column(ForeignKey("workspaces.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    state: Mapped[DocState] = mapped_column(_enum(DocState, 16), default=DocState.DRAFT)
    confidentiality: Mapped[Confidentiality] = mapped_column(
        Enum(Confidentiality, native_enum=False, length=32, values_callable=lambda e: [m.name for m in e]))
    #: The raw structured fields as typed (per type, see portal.doctypes).
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Canonical body text of the current version (letters.text.document_text).
    text: Mapped[str] = mapped_column(Text, default="")
    #: Text of the latest uploaded DOCX (edited in Word), indexed beside the structured text.
    upload_text: Mapped[str] = mapped_column(Text, default="")
    #: Minutes: the agenda they were started from.
    agenda_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The frozen files of a sent document (archive first, then these rows).
    pdf_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    docx_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    workspace: Mapped[Workspace | None] = relationship()
    client: Mapped[Client | None] = relationship()
    pdf_file: Mapped[StoredFile | None] = relationship(foreign_keys=[pdf_file_id])
    docx_file: Mapped[StoredFile | None] = relationship(foreign_keys=[docx_file_id])
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number", cascade="all, delete-orphan")
    reviews: Mapped[list[ReviewRequest]] = relationship(
        back_populates="document", order_by="ReviewRequest.id", cascade="all, delete-orphan")
    comments: Mapped[list[ReviewComment]] = relationship(
        back_populates="document", order_by="ReviewComment.id", cascade="all, delete-orphan")
    measurements: Mapped[list[ZrmMeasurement]] = relationship(
        back_populates="document", order_by="(ZrmMeasurement.measured_on, ZrmMeasurement.id)",
        cascade="all, delete-orphan")
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="document", order_by="ActionItem.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.type} {self.state}>"


class DocumentVersion(Base):
    """A snapshot of the fields and text, with who made it and why (edit, evaluation, upload)."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    #: The workflow state when the version was made.
    state: Mapped[str] = mapped_column(String(16), default="draft")
    #: 'edit', 'evaluation', 'upload' ... and an optional remark.
    kind: Mapped[str] = mapped_column(String(16), default="edit")
    remark: Mapped[str] = mapped_column(String(2000), default="")
    #: An uploaded DOCX, for kind 'upload'.
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")
    author: Mapped[User] = relationship()
    file: Mapped[StoredFile | None] = relationship()


class ReviewRequest(Base):
    """The author asked this reviewer to review; the reviewer approves or sends back with a comment."""

    __tablename__ = "review_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The document version under review.
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    decision: Mapped[ReviewDecision] = mapped_column(_enum(ReviewDecision, 24), default=ReviewDecision.PENDING)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])


class ReviewComment(Base):
    """A reviewer's remark on one section of the document."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The field (section) commented on, e.g. 'legal_background'; '' for the whole document.
    section: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text)
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


class ZrmMeasurement(Base):
    """ZRM scores (zelfredzaamheidsmatrix, 1-5) per life domain on one day, in a client's plan."""

    __tablename__ = "zrm_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    #: Denormalised from the plan, so aggregate figures need no join through documents.
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    measured_on: Mapped[date] = mapped_column(Date)
    #: {life domain code: score 1-5}
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="measurements")


class ActionItem(Base):
    """An action from minutes: what, who (a user, so it shows on her start page), by when."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(String(2000))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    is_done: Mapped[bool] = mapped_column(Boolean, default=False)

    document: Mapped[Document] = relationship(back_populates="action_items")
    owner: Mapped[User] = relationship()
