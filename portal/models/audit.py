"""The audit trail (NEN 7513): append-only, each row chained to the previous by a hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """One logged event. Rows are never updated or deleted; ``entry_hash`` chains them."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Monotonic sequence number within the chain (1, 2, 3 ...).
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(32), default="")
    organisation: Mapped[str] = mapped_column(String(32), default="")
    #: e.g. 'case_note:view', 'sharing:grant', 'auth:login'.
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    emergency_reason: Mapped[str] = mapped_column(String(1000), default="")
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    #: Small JSON text with extra facts (never note text).
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEntry {self.seq} {self.action}>"
