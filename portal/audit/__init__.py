"""The audit trail: who did what to which client's data, allowed or not (DESIGN §9, NEN 7513).

`record` appends a row to the hash chain in the caller's transaction. Denials are recorded by
the request boundary after the rollback, so they survive it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from portal.access.targets import target_of
from portal.models import AuditEntry, User
from portal.models.base import utcnow

GENESIS = "0" * 64


class AuditAction(StrEnum):
    LOGIN = "auth:login"
    LOGIN_FAILED = "auth:login_failed"
    LOGOUT = "auth:logout"
    TWO_FACTOR_ENROLLED = "auth:2fa_enrolled"
    PASSWORD_CHANGED = "auth:password_changed"  # noqa: S105 - an audit tag, not a secret
    SESSION_REVOKED = "auth:session_revoked"
    LOCKED = "auth:locked"
    VIEW = "object:view"
    LIST = "object:list"
    CREATE = "object:create"
    UPDATE = "object:update"
    FINALIZE = "object:finalize"
    CORRECT = "object:correct"
    DELETE = "object:delete"
    DOWNLOAD = "object:download"
    EXPORT = "object:export"
    SEARCH = "search:query"
    SHARING_GRANT = "sharing:grant"
    SHARING_REVOKE = "sharing:revoke"
    SHARING_INHERITANCE = "sharing:inheritance"
    LEVEL_CHANGE = "access:level"
    ASSIGNMENT = "access:assignment"
    MEMBERSHIP = "access:membership"
    CONSENT_CHANGE = "access:consent"
    CONSENT_SIGN = "consent:sign"
    CONSENT_REVOKE = "consent:revoke"
    CONSENT_VERIFY = "consent:verify"
    CONSENT_TEMPLATE = "admin:consent_template"
    EMERGENCY = "access:emergency"
    EMERGENCY_REVIEW = "access:emergency_review"
    USER_CHANGE = "admin:user"
    LETTERHEAD = "admin:letterhead"
    DENIED = "access:denied"
    AUDIT_VIEW = "audit:view"
    AUDIT_EXPORT = "audit:export"
    TOKEN_CREATED = "auth:token_created"  # noqa: S105 - an audit tag, not a secret
    UPLOAD = "object:upload"
    ATTACHMENT_REMOVE = "object:attachment_remove"
    TRANSITION = "document:transition"
    REVIEW_REQUEST = "document:review_request"
    REVIEW_DECISION = "document:review"
    COMMENT = "document:comment"
    SEND = "document:send"
    MEASUREMENT = "document:measurement"
    WOO_CREATE = "woo:create"
    WOO_ADD_DOCUMENT = "woo:add_document"
    WOO_REMOVE_DOCUMENT = "woo:remove_document"
    WOO_PROPOSE = "woo:propose"
    WOO_REDACTION = "woo:redaction"
    WOO_DECISION = "woo:decision"
    WOO_EXPORT = "woo:export"
    WOO_EXPORT_REFUSED = "woo:export_refused"
    CLIENT_EXPORT = "privacy:client_export"
    LEGAL_HOLD = "retention:legal_hold"
    DESTRUCTION_LIST = "retention:list"
    DESTROY = "retention:destroy"


@dataclass(frozen=True)
class Where:
    """Where the request came from; the web layer fills it, the CLI passes 'cli'."""

    remote_addr: str = ""


_HASHED = ("seq", "at", "user_id", "username", "role", "organisation", "action", "object_type", "object_id",
           "client_id", "allowed", "emergency_reason", "remote_addr", "detail", "prev_hash")


def entry_digest(row: AuditEntry) -> str:
    values: dict[str, Any] = {k: getattr(row, k) for k in _HASHED}
    values["at"] = row.at.isoformat(timespec="microseconds")
    blob = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise writers of the chain: an advisory lock on PostgreSQL; SQLite's write lock does it there."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7513)"))


def record(session: Session, actor: User | None, action: AuditAction, obj: object = None, *,
           allowed: bool = True, client_id: int | None = None, detail: dict[str, Any] | None = None,
           emergency_reason: str = "", where: Where | None = None, at: datetime | None = None) -> AuditEntry:
    """Append one row to the chain, in the caller's transaction."""
    object_type, object_id = "", None
    if obj is not None:
        t = target_of(obj)
        object_type, object_id = t.object_type, t.object_id
        client_id = client_id if client_id is not None else t.client_id
    _lock_chain(session)
    last = session.execute(select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
                           ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    row = AuditEntry(
        seq=seq, at=at or utcnow(), user_id=actor.id if actor else None,
        username=actor.username if actor else "", role=str(actor.role) if actor else "",
        organisation=actor.organisation.code if actor else "", action=str(action), object_type=object_type,
        object_id=object_id, client_id=client_id, allowed=allowed, emergency_reason=emergency_reason,
        remote_addr=(where or Where()).remote_addr,
        detail=json.dumps(detail, sort_keys=True, default=str) if detail else "", prev_hash=prev)
    row.entry_hash = entry_digest(row)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def verify(session: Session, batch: int = 2000) -> Iterator[ChainProblem]:
    """Walk the chain in order; yield each altered, missing or re-ordered row."""
    expected_seq, prev = 1, GENESIS
    while True:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.seq >= expected_seq)
                               .order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            if row.seq != expected_seq:
                yield ChainProblem(expected_seq, f"rows {expected_seq}..{row.seq - 1} are missing")
            if row.prev_hash != prev:
                yield ChainProblem(row.seq, "link to the previous row is broken")
            if entry_digest(row) != row.entry_hash:
                yield ChainProblem(row.seq, "row content was altered")
            expected_seq, prev = row.seq + 1, row.entry_hash


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
