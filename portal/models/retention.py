"""Retention and destruction: legal holds, destruction lists the privacy officer approves, tombstones.

None of these rows holds content of a destroyed record: only what it was (type, id, dossier number,
reference), its dates, and who approved and executed its destruction.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.people import User


class LegalHold(Base):
    """A dossier that must not be destroyed (a court case, a complaint, a Woo request), until lifted."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    reason: Mapped[str] = mapped_column(String(1000))
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lift_reason: Mapped[str] = mapped_column(String(1000), default="")

    set_by: Mapped[User] = relationship(foreign_keys=[set_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class ListState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    EXECUTED = "executed"
    CANCELLED = "cancelled"


class DestructionList(Base):
    """Records due for destruction, fixed when proposed; destroyed only once approved."""

    __tablename__ = "destruction_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[ListState] = mapped_column(Enum(ListState, native_enum=False, length=16),
                                             default=ListState.PROPOSED)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    executed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    executed_by: Mapped[User | None] = relationship(foreign_keys=[executed_by_id])
    items: Mapped[list[DestructionItem]] = relationship(
        back_populates="destruction_list", order_by="DestructionItem.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012


class DestructionItem(Base):
    """One record on a list: what it is and why it is due; after execution, what happened to it."""

    __tablename__ = "destruction_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("destruction_lists.id"), index=True)
    #: 'case_note', 'plan_of_approach' or 'consent' (the retention kinds).
    kind: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(Integer)
    client_id: Mapped[int] = mapped_column(Integer, index=True)
    client_code: Mapped[str] = mapped_column(String(32), default="")
    reference: Mapped[str] = mapped_column(String(32), default="")
    last_changed_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    #: '' until executed; then 'destroyed' or 'skipped'.
    outcome: Mapped[str] = mapped_column(String(16), default="")
    outcome_reason: Mapped[str] = mapped_column(String(200), default="")
    #: Archive files still to unlink after the commit (content hashes; emptied once removed).
    pending_files: Mapped[list[str]] = mapped_column(JSON, default=list)

    destruction_list: Mapped[DestructionList] = relationship(back_populates="items")


class Tombstone(Base):
    """What was destroyed, when, and on whose approval. Never its content."""

    __tablename__ = "tombstones"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(Integer)
    client_id: Mapped[int] = mapped_column(Integer, index=True)
    client_code: Mapped[str] = mapped_column(String(32), default="")
    reference: Mapped[str] = mapped_column(String(32), default="")
    created_on: Mapped[date | None] = mapped_column(Date)
    last_changed_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    #: The rule applied, e.g. 'case_note: 20 jaar na laatste wijziging'.
    rule: Mapped[str] = mapped_column(String(200), default="")
    versions_removed: Mapped[int] = mapped_column(Integer, default=0)
    files_removed: Mapped[int] = mapped_column(Integer, default=0)
    list_id: Mapped[int] = mapped_column(ForeignKey("destruction_lists.id"), index=True)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    destroyed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    destroyed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
