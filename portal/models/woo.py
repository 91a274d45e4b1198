"""Woo disclosure requests (Wet open overheid): the documents in a request, their redactions, the decision.

The withheld text itself is never stored here: a redaction is a span (segment, start, end) over
the document's text as it was when the redactions were proposed (`WooDocument.fingerprint`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.documents import Document
from portal.models.files import StoredFile
from portal.models.people import User


class WooRequest(Base):
    """A Woo request (Woo-verzoek): which documents were asked for, who handles and who reviews."""

    __tablename__ = "woo_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Kenmerk, e.g. 'WOO/2026/0001'.
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: The requester's own reference (kenmerk verzoeker); never the requester's name.
    requester_reference: Mapped[str] = mapped_column(String(100), default="")
    #: The date the request was received (datum ontvangst).
    received_on: Mapped[date] = mapped_column(Date)
    #: The handler (behandelaar): selects documents, proposes, exports.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The reviewer (beoordelaar): accepts, removes or adds redactions and decides per document.
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: 'open' or 'exported'.
    state: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The released ZIP, kept in the archive.
    export_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    export_file: Mapped[StoredFile | None] = relationship()
    documents: Mapped[list[WooDocument]] = relationship(
        back_populates="request", order_by="WooDocument.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<WooRequest {self.id} {self.state}>"


class WooDocument(Base):
    """One document in a request: a generated letter (re-rendered) or an uploaded PDF (rebuilt)."""

    __tablename__ = "woo_documents"
    __table_args__ = (UniqueConstraint("request_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("woo_requests.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    #: A letter or plan of the portal, re-rendered from its fields; or None for an upload.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: An uploaded PDF in the archive; None for a generated document.
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    #: Title for the inventory list as the handler typed it (uploads) or the document's own title.
    title: Mapped[str] = mapped_column(String(200))
    dated_on: Mapped[date | None] = mapped_column(Date)
    #: SHA-256 of the segments when redactions were proposed; '' until then.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The reviewer's decision ('public', 'partly_public', 'not_public'); '' = follows from the redactions.
    decision: Mapped[str] = mapped_column(String(16), default="")
    #: Ground for a document withheld whole.
    decision_ground: Mapped[str] = mapped_column(String(16), default="")
    remark: Mapped[str] = mapped_column(String(1000), default="")

    request: Mapped[WooRequest] = relationship(back_populates="documents")
    document: Mapped[Document | None] = relationship()
    file: Mapped[StoredFile | None] = relationship()
    redactions: Mapped[list[WooRedaction]] = relationship(
        back_populates="woo_document", order_by="(WooRedaction.segment, WooRedaction.start)",
        cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<WooDocument {self.id} of request {self.request_id}>"


class WooRedaction(Base):
    """A proposed or reviewer-added redaction: a span with its legal ground and status."""

    __tablename__ = "woo_redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    woo_document_id: Mapped[int] = mapped_column(ForeignKey("woo_documents.id"), index=True)
    #: 'title', a field name, or 'page-N' for uploads.
    segment: Mapped[str] = mapped_column(String(60))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    #: Woo ground, e.g. '5.1.2e'.
    ground: Mapped[str] = mapped_column(String(16))
    #: 'proposed', 'accepted', 'removed' (woo.model.Status).
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    #: Detector that proposed it (name, email, phone, bsn, address, money, category) or 'manual'.
    kind: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")

    woo_document: Mapped[WooDocument] = relationship(back_populates="redactions")

    def __repr__(self) -> str:
        return f"<WooRedaction {self.id} {self.ground} {self.status}>"
