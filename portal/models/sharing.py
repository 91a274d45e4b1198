"""Local roles: the sharing page's grants of reader/editor/reviewer on one object."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.people import User
from portal.vocab import LocalRoleName


class LocalRole(Base):
    """``principal_kind`` is 'user', 'organisation' or 'workspace'; the grant applies to one object."""

    __tablename__ = "local_roles"
    __table_args__ = (
        UniqueConstraint("object_type", "object_id", "principal_kind", "principal_id", "role"),
        Index("ix_local_roles_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 'client', 'case_note', 'workspace', 'document' ...
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(Integer)
    principal_kind: Mapped[str] = mapped_column(String(16))
    principal_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[LocalRoleName] = mapped_column(Enum(LocalRoleName, native_enum=False, length=16))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    granted_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LocalRole {self.object_type}:{self.object_id} {self.principal_kind}:{self.principal_id} {self.role}>"
