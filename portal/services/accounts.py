"""Passwords (argon2), TOTP two-factor codes (accepted once), server-side sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import ApiToken, User, UserSession
from portal.models.base import utcnow

_hasher = PasswordHasher()
#: Cheap parameters for the test suite only (PORTAL_TESTING); never in production.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 12
ISSUER = "Zorgportaal"


def hash_password(password: str, *, fast: bool = False) -> str:
    return (_fast_hasher if fast else _hasher).hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Constant-ish time: an unknown user still costs one hash verification."""
    try:
        if user is None:
            _hasher.verify(_DUMMY_HASH, password + "x")
            return False
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, username: str) -> str | None:
    """A reason the password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if username.lower() in password.lower():
        return "contains_username"
    return None


# --- lockout ---------------------------------------------------------------------------------


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def register_failure(user: User, *, max_failures: int, lockout_minutes: int) -> bool:
    """Count a failed attempt; return True if the account is now locked."""
    user.failed_logins += 1
    if user.failed_logins >= max_failures:
        user.locked_until = utcnow() + timedelta(minutes=lockout_minutes)
        user.failed_logins = 0
        return True
    return False


def register_success(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


# --- TOTP ------------------------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def verify_totp(user: User, code: str, *, secret: str | None = None, now: datetime | None = None) -> bool:
    """Accept a code from the current or an adjacent 30 s step, and each step only once."""
    secret = secret or user.totp_secret
    code = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    ts = (now or utcnow()).timestamp()
    step_now = int(ts // totp.interval)
    for step in (step_now - 1, step_now, step_now + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if step <= user.totp_last_step:
                return False  # replay of a code already used
            user.totp_last_step = step
            return True
    return False


def current_code(secret: str, now: datetime | None = None) -> str:
    """The code an authenticator app would show now (demo accounts and tests)."""
    return pyotp.TOTP(secret).at(now or utcnow())


# --- sessions ----------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, *, remote_addr: str, user_agent: str) -> tuple[str, UserSession]:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now, reauth_at=now,
                      remote_addr=remote_addr[:64], user_agent=user_agent[:200])
    session.add(row)
    session.flush()
    return token, row


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    max_age: timedelta


def find_session(session: Session, token: str, limits: SessionLimits) -> UserSession | None:
    """The live session for `token`; ends it (and returns None) when idle or too old."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > limits.idle:
        end_session(row, "idle")
        return None
    if now - row.created_at > limits.max_age:
        end_session(row, "expired")
        return None
    if not row.user.is_active or row.user.password_changed_at > row.created_at:
        end_session(row, "invalidated")
        return None
    return row


def end_session(row: UserSession, reason: str) -> None:
    if row.ended_at is None:
        row.ended_at = utcnow()
        row.ended_reason = reason


def end_all_sessions(session: Session, user: User, reason: str, *, except_id: int | None = None) -> int:
    stmt = (update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .values(ended_at=utcnow(), ended_reason=reason))
    if except_id is not None:
        stmt = stmt.where(UserSession.id != except_id)
    return session.execute(stmt).rowcount or 0


def live_sessions(session: Session, user: User) -> list[UserSession]:
    return list(session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)).order_by(UserSession.last_seen_at.desc())))


# --- API tokens ----------------------------------------------------------------------------------


def create_api_token(session: Session, user: User, label: str = "") -> str:
    token = "pt_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token), label=label[:100]))
    session.flush()
    return token


def user_for_api_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None)))
    if row is None or not row.user.is_active:
        return None
    row.last_used_at = utcnow()
    return row.user
