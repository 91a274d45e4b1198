"""Consent forms (DESIGN §6): compose and preview, the letter and form as PDF/DOCX, renew, revoke, verify.

Signing, sealing and archiving live in `consent_signing`. Everything here takes the session, the
actor and the objects, checks `portal.access`, writes the audit trail and never commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from consent_forms import (
    ArchivedConsent,
    ConsentSpec,
    ConsentState,
    FilledTexts,
    Party,
    VerificationResult,
    check_pdf,
    consent_form,
    content_hash,
    fill,
    get_template,
    information_letter,
    to_docx,
    to_pdf,
)
from consent_forms import lifecycle as consent_lifecycle
from consent_forms.errors import ConsentError
from consent_forms.model import DEFAULT_MAX_YEARS, MAX_NAME_LENGTH, MAX_PURPOSE_LENGTH, add_years
from consent_forms.revocation import Revocation, revocation_letter
from letters.errors import LettersError
from letters.model import Reference, Sender
from portal import access
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import Client, Consent, Organisation, User
from portal.models.base import utcnow
from portal.models.consents import ConsentState as RowState
from portal.sealing import off_event_loop
from portal.services import consent_templates, letterheads
from portal.services.consent_messages import to_validation_error
from portal.services.errors import StateConflictError, ValidationError
from portal.services.references import next_reference
from portal.vocab import Action, DataCategory

#: Reference series of consent forms: STAP/2026/0042.
SERIES = "STAP"
#: Longest a consent may run (DESIGN §6 leaves the policy to us; the domain default is two years).
MAX_YEARS = DEFAULT_MAX_YEARS
#: Organisation kinds that may be named on a consent (the consultancy is no party to client data).
PARTY_KINDS = ("care", "municipality")
#: The portal's data categories that a consent can open, in the order the form shows them.
CATEGORIES = tuple(DataCategory)
#: Portal category -> consent_forms category where the names differ.
_DOMAIN_CATEGORY = {DataCategory.SOCIAL: "social_network"}
DEFAULT_PURPOSE = _l("Samenwerken in de zorgaanpak straatsekswerk: hulp bij wonen, gezondheid, geld en veiligheid, "
                     "zonder dat de cliënt haar verhaal steeds opnieuw hoeft te vertellen.")


@dataclass(frozen=True)
class ConsentInput:
    """What the case manager chooses. `ends_on` None means the field did not hold a date."""

    organisation_codes: tuple[str, ...]
    categories: tuple[str, ...]
    purpose: str
    ends_on: date | None
    language: str = "nl"
    form_version: str = ""
    client_name: str = ""


@dataclass(frozen=True)
class Composed:
    """A checked consent: the spec, the filled texts the client reads, and the organisations it names."""

    spec: ConsentSpec
    texts: FilledTexts
    organisations: list[Organisation]
    categories: list[str]


def party_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).where(Organisation.kind.in_(PARTY_KINDS))
                                .order_by(Organisation.name)))


def default_ends_on(today: date) -> date:
    return add_years(today, 1)


def _domain_category(value: str) -> str:
    return _DOMAIN_CATEGORY.get(DataCategory(value), value)


def _parties(orgs: list[Organisation]) -> tuple[Party, ...]:
    # Sorted by code: the order is part of what is hashed, and a relationship list has none of its own.
    return tuple(Party(o.code.lower(), o.name) for o in sorted(orgs, key=lambda o: o.code))


def validate(session: Session, client: Client, data: ConsentInput, *, today: date) -> Composed:
    """Check every field; raise ValidationError naming each bad one, or return the composed consent."""
    errors: dict[str, str] = {}
    offered = {o.code: o for o in party_organisations(session)}
    codes = list(dict.fromkeys(data.organisation_codes))
    if not codes:
        errors["organisations"] = str(_l("Kies ten minste één organisatie."))
    elif any(c not in offered for c in codes):
        errors["organisations"] = str(_l("Onbekende organisatie: %(c)s",
                                         c=", ".join(c for c in codes if c not in offered)))
    categories = list(dict.fromkeys(data.categories))
    if not categories:
        errors["categories"] = str(_l("Kies ten minste één soort gegevens."))
    elif any(c not in {k.value for k in CATEGORIES} for c in categories):
        errors["categories"] = str(_l("Onbekende soort gegevens."))
    purpose = data.purpose.strip()
    if not purpose:
        errors["purpose"] = str(_l("Beschrijf het doel van het delen."))
    elif len(purpose) > MAX_PURPOSE_LENGTH:
        errors["purpose"] = str(_l("Het doel mag hoogstens %(n)s tekens hebben.", n=MAX_PURPOSE_LENGTH))
    if data.ends_on is None:
        errors["ends_on"] = str(_l("Vul een geldige einddatum in."))
    elif data.ends_on < today:
        errors["ends_on"] = str(_l("De einddatum ligt in het verleden."))
    elif data.ends_on == today:
        errors["ends_on"] = str(_l("De einddatum moet na vandaag liggen."))
    elif data.ends_on > add_years(today, MAX_YEARS):
        errors["ends_on"] = str(_l("De toestemming mag hoogstens %(n)s jaar gelden (tot en met %(d)s).",
                                   n=MAX_YEARS, d=add_years(today, MAX_YEARS).isoformat()))
    name = data.client_name.strip() or client.display_name
    if len(name) > MAX_NAME_LENGTH:
        errors["client_name"] = str(_l("De naam mag hoogstens %(n)s tekens hebben.", n=MAX_NAME_LENGTH))
    language = data.language
    if language not in {"nl", "en"}:
        errors["language"] = str(_l("Kies Nederlands of Engels."))
        language = "nl"
    templates = consent_templates.registry(session)
    version = data.form_version or consent_templates.latest_version(session, language)
    if not any(v == version and lang == language for v, lang in templates):
        errors["form_version"] = str(_l("Deze formulierversie bestaat niet in de gekozen taal."))
    if errors:
        raise ValidationError(errors)
    try:
        spec = ConsentSpec(client_name=name, parties=_parties([offered[c] for c in codes]),
                           categories=tuple(_domain_category(c) for c in categories), purpose=purpose,
                           starts_on=today, ends_on=data.ends_on, client_born_on=_born_on(client, today),
                           language=language, form_version=version, max_years=MAX_YEARS)
        texts = fill(get_template(version, language, templates), spec)
    except ConsentError as exc:
        raise to_validation_error(exc) from None
    return Composed(spec, texts, [offered[c] for c in codes], categories)


def _born_on(client: Client, today: date) -> date | None:
    born = client.date_of_birth
    return born if born is not None and date(1900, 1, 1) <= born <= today else None


def preview(session: Session, *, actor: User, client: Client, data: ConsentInput, today: date) -> Composed:
    """The letter and form as the client will read them; nothing is stored."""
    access.require(actor, Action.CREATE_CONSENT, client, today=today)
    return validate(session, client, data, today=today)


def create_draft(session: Session, *, actor: User, client: Client, data: ConsentInput, today: date,
                 where: Where | None = None, renewed_from: Consent | None = None) -> Consent:
    """Store a new draft with its own reference and the hash of exactly what the client will sign.

    :raise NotFoundError / AccessDeniedError: she is not the client's case manager.
    :raise ValidationError: a field is wrong (named).
    """
    access.require(actor, Action.CREATE_CONSENT, client, today=today)
    composed = validate(session, client, data, today=today)
    spec = composed.spec
    reference = next_reference(session, SERIES, today.year)
    consent = Consent(client=client, created_by=actor, reference=str(reference), categories=composed.categories,
                      purpose=spec.purpose, starts_on=spec.starts_on, ends_on=spec.valid_until_on,
                      state=RowState.DRAFT, language=str(spec.language), form_version=spec.form_version,
                      client_name=spec.client_name, client_born_on=spec.client_born_on,
                      issued_by_id=actor.organisation_id, content_sha256=content_hash(spec, composed.texts),
                      renewed_from_id=renewed_from.id if renewed_from else None)
    consent.organisations = composed.organisations
    session.add(consent)
    session.flush()
    record(session, actor, AuditAction.CREATE, consent, where=where,
           detail={"reference": consent.reference, "form_version": consent.form_version,
                   "organisations": [o.code for o in composed.organisations], "categories": composed.categories,
                   **({"renews": renewed_from.reference} if renewed_from else {})})
    return consent


def renew(session: Session, *, actor: User, consent: Consent, today: date, where: Where | None = None) -> Consent:
    """A new draft from an old consent: same organisations, categories and purpose, the newest form
    version, one more year. An open draft renewing the same consent is returned instead of a second one."""
    access.require(actor, Action.CREATE_CONSENT, consent.client, today=today)
    pending = session.scalar(select(Consent).where(Consent.renewed_from_id == consent.id,
                                                   Consent.state == RowState.DRAFT))
    if pending is not None:
        return pending
    data = ConsentInput(organisation_codes=tuple(o.code for o in consent.organisations),
                        categories=tuple(consent.categories), purpose=consent.purpose,
                        ends_on=default_ends_on(today), language=consent.language,
                        form_version=consent_templates.latest_version(session, consent.language),
                        client_name=consent.client_name)
    return create_draft(session, actor=actor, client=consent.client, data=data, today=today, where=where,
                        renewed_from=consent)


# --- reading a stored consent back -------------------------------------------------------------


def spec_of(consent: Consent) -> ConsentSpec:
    """The spec exactly as it was composed (and, once signed, signed).

    :raise ConsentError: a row from before consent forms existed lacks what a form needs.
    """
    return ConsentSpec(
        client_name=consent.client_name or consent.client.display_name, parties=_parties(consent.organisations),
        categories=tuple(_domain_category(c) for c in consent.categories), purpose=consent.purpose,
        starts_on=consent.starts_on, ends_on=consent.ends_on, client_born_on=consent.client_born_on,
        language=consent.language, form_version=consent.form_version,
        max_years=max(MAX_YEARS, consent.ends_on.year - consent.starts_on.year + 1))


def texts_of(session: Session, consent: Consent, spec: ConsentSpec | None = None) -> FilledTexts:
    spec = spec or spec_of(consent)
    return fill(get_template(consent.form_version, consent.language, consent_templates.registry(session)), spec)


def sender_of(session: Session, consent: Consent, *, archive: Archive | None = None) -> Sender:
    """The issuing organisation's letterhead: the newest version the admin set (with its logo when
    ``archive`` is given), else its name and address. Not part of the content hash: a new
    letterhead changes how an unsigned form looks, never what is signed; a signed form's PDF is
    sealed and archived with the letterhead of the moment of signing."""
    org = consent.issued_by or consent.created_by.organisation
    return letterheads.sender(session, org, archive=archive, department="STAP-team")


def reference_of(consent: Consent) -> Reference | None:
    try:
        return Reference.parse(consent.reference)
    except LettersError:
        return None


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


def state_of(consent: Consent) -> ConsentState:
    """The lifecycle's view of a stored consent (validity on any day follows from it)."""
    spec = spec_of(consent)
    signed_at = None if consent.state == RowState.DRAFT else (consent.signed_at or _at_noon(consent.starts_on))
    revoked_at = None
    if consent.state == RowState.REVOKED:
        revoked_at = consent.revoked_at or _at_noon(consent.revoked_on or consent.starts_on)
    return ConsentState(spec=spec, content_sha256=consent.content_sha256, signed_at=signed_at,
                        revoked_at=revoked_at, revocation_reason=consent.revocation_reason or None)


def render(session: Session, consent: Consent, which: str, fmt: str, *, archive: Archive | None = None) -> bytes:
    """The information letter ('letter') or the form to sign ('form') as 'pdf' or 'docx'.

    The caller has checked DOWNLOAD. Same words as hashed: the form version is the stored one.
    With ``archive`` the letterhead carries the organisation's logo.
    """
    try:
        spec = spec_of(consent)
        texts = texts_of(session, consent, spec)
    except ConsentError as exc:
        raise to_validation_error(exc) from None
    build = information_letter if which == "letter" else consent_form
    reference = reference_of(consent) or Reference(SERIES, consent.starts_on.year, 1)
    doc = build(spec, texts, sender_of(session, consent, archive=archive), reference,
                dated_on=consent.created_at.date())
    return to_docx(doc) if fmt == "docx" else to_pdf(doc)


# --- revoke ------------------------------------------------------------------------------------


def revoke(session: Session, *, actor: User, consent: Consent, reason: str, today: date,
           where: Where | None = None, now: datetime | None = None) -> Consent:
    """Revoke a signed consent. The access it gave ends on the very next request and search: the
    access facts read the `consents` row, and their cache is dropped on flush.

    :raise ValidationError: no reason, or a reason that is too long.
    :raise StateConflictError: not signed, revoked already, or expired.
    """
    access.require(actor, Action.REVOKE, consent, today=today)
    now = now or utcnow()
    try:
        consent_lifecycle.revoke(state_of(consent), reason, now)
    except ConsentError as exc:
        raise to_validation_error(exc, default_field="reason") from None
    consent.state = RowState.REVOKED
    consent.revoked_at = now
    consent.revoked_on = consent_lifecycle.local_date(now)
    consent.revocation_reason = reason.strip()
    consent.revoked_by_id = actor.id
    session.flush()
    record(session, actor, AuditAction.CONSENT_REVOKE, consent, where=where,
           detail={"reference": consent.reference, "organisations": [o.code for o in consent.organisations]})
    return consent


def revocation_letter_pdf(session: Session, consent: Consent, *, archive: Archive | None = None) -> bytes:
    """The confirmation letter of a revocation. The caller has checked DOWNLOAD.

    :raise StateConflictError: the consent is not revoked.
    """
    if consent.state != RowState.REVOKED or consent.revoked_at is None:
        raise StateConflictError({"consent": str(_l("Deze toestemming is niet ingetrokken."))})
    facts = Revocation(client_name=consent.client_name or consent.client.display_name,
                       consent_reference=consent.reference,
                       organisations=[o.name for o in sorted(consent.organisations, key=lambda o: o.code)],
                       revoked_at=consent.revoked_at, reason=consent.revocation_reason, language=consent.language)
    return to_pdf(revocation_letter(facts, sender_of(session, consent, archive=archive), reference_of(consent)))


# --- the archived file and verification --------------------------------------------------------


def sealed_pdf(consent: Consent, archive: Archive) -> bytes:
    """The sealed PDF as archived (integrity-checked on read).

    :raise StateConflictError: the consent has no sealed file (a draft, or a record from before).
    """
    if not consent.sealed_sha256:
        raise StateConflictError({"consent": str(_l("Van deze toestemming is geen verzegeld formulier bewaard."))})
    return archive.get(consent.sealed_sha256)


def find_by_file(session: Session, sha256: str) -> Consent | None:
    return session.scalar(select(Consent).where(Consent.sealed_sha256 == sha256))


def verify_pdf(session: Session, *, actor: User | None, data: bytes, cert_pem: bytes, today: date,
               where: Where | None = None) -> tuple[VerificationResult, Consent | None]:
    """Is the seal intact, is this the very file we archived, and is that consent valid today?

    :raise ValidationError: no file, or not a PDF at all (field 'file').
    """
    if not data:
        raise ValidationError({"file": str(_l("Kies een PDF-bestand om te controleren."))})
    if not data.startswith(b"%PDF-"):
        raise ValidationError({"file": str(_l("Dit bestand is geen PDF. Alleen PDF-bestanden hebben een zegel."))})
    # Look the file up here, not inside the check: the check may run on a worker thread (off_event_loop).
    consent = find_by_file(session, hashlib.sha256(data).hexdigest())
    archived = ArchivedConsent(consent.reference, state_of(consent)) if consent is not None else None
    result = off_event_loop(check_pdf, data, cert_pem, lambda _sha256: archived, today)
    if actor is not None:
        record(session, actor, AuditAction.CONSENT_VERIFY, consent, where=where,
               detail={"sha256": result.file_sha256, "seal_ok": result.seal.ok, "in_archive": result.in_archive,
                       "status": str(result.status) if result.status else None})
    return result, consent
