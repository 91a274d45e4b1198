"""Organisations, users, their sessions and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.vocab import GlobalRole


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short code used in principal tokens and references, e.g. 'GGD'.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: 'care' (zorgpartner), 'municipality' (gemeente), 'consultancy'.
    kind: Mapped[str] = mapped_column(String(32), default="care")
    address: Mapped[str] = mapped_column(String(400), default="")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.code}>"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    role: Mapped[GlobalRole] = mapped_column(Enum(GlobalRole, native_enum=False, length=32))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Base32 TOTP secret; None until two-factor enrolment is confirmed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: Secret shown during enrolment, confirmed by a first code.
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    #: Last accepted TOTP time step: a code is accepted once only.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    is_active_flag: Mapped[bool] = mapped_column("is_active", Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    # flask-login protocol, kept here so the model needs no Flask import.
    @property
    def is_active(self) -> bool:
        return self.is_active_flag

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserSession(Base):
    """A server-side login session; the cookie carries only its random id."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the random token kept in the signed cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Set when the password was re-entered; covers sensitive actions for a few minutes.
    reauth_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: True once the second factor was given in this session.
    two_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str] = mapped_column(String(32), default="")
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"


class ApiToken(Base):
    """A personal API token (``Authorization: Bearer``); only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
