"""The consent's lifecycle as pure functions: draft -> signed -> revoked / expired.

Nothing here stores anything or reads a clock; the caller passes `now` (aware UTC) or the date
asked about. Expiry needs no background job: it is computed for the date in question. Dates are
taken in Europe/Amsterdam, where the team works, so a revocation at 00:30 local time counts
for that local day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from consent_forms import errors
from consent_forms.model import ConsentSpec, Signature, SignerRole

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
MAX_REASON_LENGTH = 1000


class ConsentStatus(StrEnum):
    """What the consent is on a given date."""

    DRAFT = "draft"
    SIGNED = "signed"  # signed and in force: the only status that grants access
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


@dataclass(frozen=True)
class ConsentState:
    """A consent as the lifecycle knows it. The portal persists these fields and rebuilds it.

    `signatures` collects the client's signature and then the countersignature; `signed_at`
    is set when the countersignature completes it.
    """

    spec: ConsentSpec
    content_sha256: str
    signatures: tuple[Signature, ...] = ()
    signed_at: datetime | None = None
    revoked_at: datetime | None = None
    revocation_reason: str | None = None

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def signature_of(self, role: SignerRole) -> Signature | None:
        return next((s for s in self.signatures if s.role is role), None)


def local_date(moment: datetime) -> date:
    """The Europe/Amsterdam calendar date of an aware timestamp."""
    return moment.astimezone(LOCAL_TZ).date()


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise errors.NaiveDatetimeError(field="now")


def draft(spec: ConsentSpec, content_sha256: str) -> ConsentState:
    """A new, unsigned consent over the content with hash `content_sha256`."""
    return ConsentState(spec=spec, content_sha256=content_sha256)


def sign(state: ConsentState, signatures: Sequence[Signature], now: datetime) -> ConsentState:
    """Add signatures: first the client's, then the case manager's countersignature.

    Signatures may come one call at a time or together (client first). The consent is signed
    once both are there; `signed_at` is then `now`.

    :raise ConsentRevokedError: the consent was revoked.
    :raise AlreadySignedError: both signatures are already there.
    :raise ConsentExpiredError: today (local) is after the end date; the form must be reissued.
    :raise MissingSignatureError: no signatures given.
    :raise ContentHashMismatchError: a signature was made over other content.
    :raise DuplicateSignatureError: a second signature for the same role.
    :raise MissingClientSignatureError: a countersignature before the client's signature.
    """
    _require_aware(now)
    if state.is_revoked:
        raise errors.ConsentRevokedError()
    if state.is_signed:
        raise errors.AlreadySignedError()
    if local_date(now) > state.spec.valid_until_on:
        raise errors.ConsentExpiredError("the consent's end date has passed; issue a new form")
    if not signatures:
        raise errors.MissingSignatureError(field="signatures")
    collected = list(state.signatures)
    for sig in signatures:
        if sig.content_sha256 != state.content_sha256:
            raise errors.ContentHashMismatchError(field="signatures")
        if any(s.role is sig.role for s in collected):
            raise errors.DuplicateSignatureError(f"the {sig.role} has already signed", field="signatures")
        if sig.role is SignerRole.CASE_MANAGER and not any(s.role is SignerRole.CLIENT for s in collected):
            raise errors.MissingClientSignatureError(field="signatures")
        collected.append(sig)
    complete = {s.role for s in collected} == set(SignerRole)
    return replace(state, signatures=tuple(collected), signed_at=now if complete else None)


def revoke(state: ConsentState, reason: str, now: datetime) -> ConsentState:
    """Revoke a signed consent; it stops granting access at once.

    :raise RevocationReasonRequiredError: `reason` is empty.
    :raise NotSignedError: the consent was never signed (discard the draft instead).
    :raise ConsentRevokedError: it was revoked already.
    :raise ConsentExpiredError: it had already expired; there is nothing left to revoke.
    """
    _require_aware(now)
    reason = (reason or "").strip()
    if not reason:
        raise errors.RevocationReasonRequiredError(field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise errors.FieldTooLongError(field="reason")
    if state.is_revoked:
        raise errors.ConsentRevokedError()
    if not state.is_signed:
        raise errors.NotSignedError()
    if local_date(now) > state.spec.valid_until_on:
        raise errors.ConsentExpiredError()
    return replace(state, revoked_at=now, revocation_reason=reason)


def status_on(consent: ConsentState, today: date) -> ConsentStatus:
    """The consent's status on `today` (a local date). Asking about a past date answers as of then."""
    if consent.signed_at is None or today < local_date(consent.signed_at):
        return ConsentStatus.DRAFT
    if consent.revoked_at is not None and today >= local_date(consent.revoked_at):
        return ConsentStatus.REVOKED
    if today > consent.spec.valid_until_on:
        return ConsentStatus.EXPIRED
    if today < consent.spec.starts_on:
        return ConsentStatus.NOT_YET_VALID
    return ConsentStatus.SIGNED


def is_valid(consent: ConsentState, on: date) -> bool:
    """Signed, not revoked, and `starts_on <= on <= ends_on` (DESIGN §5 rule 3)."""
    return status_on(consent, on) is ConsentStatus.SIGNED


def expiring_within(consents: Iterable[ConsentState], today: date, days: int = 30) -> list[ConsentState]:
    """Consents valid today whose end date falls within `days` days, soonest first."""
    horizon = today + timedelta(days=days)
    due = [c for c in consents if is_valid(c, today) and c.spec.valid_until_on <= horizon]
    return sorted(due, key=lambda c: c.spec.valid_until_on)
