"""Signing a consent: the client's signature (tablet or paper), the countersignature, seal, archive.

One call does the whole round in one transaction, so nothing half-done is ever stored: the
client's signature and the case manager's countersignature (after her password) are checked
first; then the final PDF is rendered, sealed and written to the archive; only then are the rows
added. Every time is the server's clock, never one the browser sent.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from consent_forms import (
    Signature,
    SignatureMethod,
    SignerIdentification,
    SignerRole,
    SigningRecord,
    check_drawn_signature,
    check_scan,
    content_hash,
    render_final,
    seal,
)
from consent_forms import lifecycle as consent_lifecycle
from consent_forms.errors import ConsentError
from consent_forms.model import MAX_NAME_LENGTH
from portal import access
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import Consent, ConsentSignature, StoredFile, User
from portal.models.base import utcnow
from portal.models.consents import ConsentState as RowState
from portal.sealing import LOCATION, SealMaterial, off_event_loop
from portal.services import accounts
from portal.services.consent_messages import to_validation_error
from portal.services.consents import reference_of, sender_of, spec_of, texts_of
from portal.services.errors import StateConflictError, ValidationError
from portal.vocab import Action

#: How the client signs: drawn with finger, pen or mouse; typed (the keyboard alternative); on paper.
METHODS = ("drawn", "typed", "paper")
#: How the case manager established who signed (a portal login is for staff only).
CLIENT_IDENTIFICATIONS = (SignerIdentification.ID_DOCUMENT, SignerIdentification.KNOWN_TO_TEAM,
                          SignerIdentification.REPRESENTATIVE)


@dataclass(frozen=True)
class SignInput:
    """The signing form. `signature_png` holds the drawn PNG; `scan` the uploaded paper scan."""

    method: str
    signer_name: str
    identification: str
    password: str
    signature_png: bytes | None = None
    typed_confirmed: bool = False
    scan: bytes | None = None
    scan_media_type: str | None = None


@dataclass(frozen=True)
class Tools:
    """Where sealed files go and what seals them; the web layer and the CLI build this from the config."""

    archive: Archive
    seal: SealMaterial


def decode_data_url(value: str) -> bytes | None:
    """The bytes of a ``data:image/png;base64,...`` URL (what the signature pad writes), or None if empty.

    :raise ValidationError: (field 'signature') not a base64 PNG data URL.
    """
    value = (value or "").strip()
    if not value:
        return None
    prefix = "data:image/png;base64,"
    if not value.startswith(prefix):
        raise ValidationError({"signature": str(_l("De handtekening is geen PNG-afbeelding. Teken opnieuw."))})
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"signature": str(_l("De handtekening kon niet worden gelezen. Teken opnieuw."))}
                              ) from None


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Oblique.ttf"
        return ImageFont.truetype(str(path), size)
    except (ImportError, OSError):
        return ImageFont.load_default(size=size)


def name_signature_png(name: str, note: str = "") -> bytes:
    """A signature image of a typed name (the keyboard alternative, and the countersignature stamp)."""
    img = Image.new("RGBA", (800, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.text((30, 40), name[:60], fill=(20, 30, 90, 255), font=_font(54))
    draw.line((30, 130, 770, 130), fill=(20, 30, 90, 255), width=3)
    if note:
        draw.text((30, 145), note[:100], fill=(60, 60, 60, 255), font=_font(22))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class _ClientPart:
    method: SignatureMethod
    input_mode: str
    identification: SignerIdentification
    name: str
    png: bytes | None
    scan: bytes | None
    scan_media_type: str | None
    scan_sha256: str | None


def _check_client(data: SignInput, errors: dict[str, str]) -> _ClientPart | None:
    """The client's part of the form; adds a message per bad field to `errors`."""
    name = data.signer_name.strip()
    if not name:
        errors["signer_name"] = str(_l("Vul de naam in van wie tekent."))
    elif len(name) > MAX_NAME_LENGTH:
        errors["signer_name"] = str(_l("De naam mag hoogstens %(n)s tekens hebben.", n=MAX_NAME_LENGTH))
    ident = next((i for i in CLIENT_IDENTIFICATIONS if i.value == data.identification), None)
    if ident is None:
        errors["identification"] = str(_l("Kies hoe u heeft vastgesteld wie tekent."))
    if data.method not in METHODS:
        errors["method"] = str(_l("Kies hoe de cliënt tekent: op het scherm, door haar naam te typen of op papier."))
        return None
    png = scan = None
    media_type = scan_sha = None
    try:
        if data.method == "drawn":
            if not data.signature_png:
                errors["signature"] = str(_l("De handtekening is leeg. Laat de cliënt tekenen in het vak."))
            else:
                png = check_drawn_signature(data.signature_png)
        elif data.method == "typed":
            if not data.typed_confirmed:
                errors["typed_confirm"] = str(_l("Vink aan dat de cliënt met haar getypte naam ondertekent."))
            elif name:
                png = check_drawn_signature(name_signature_png(name))
        else:
            if not data.scan:
                errors["scan"] = str(_l("Kies de scan van het getekende formulier (PDF, JPEG of PNG)."))
            else:
                checked = check_scan(data.scan, data.scan_media_type)
                scan, media_type, scan_sha = data.scan, checked.media_type, checked.sha256
    except ConsentError as exc:
        field = "scan" if data.method == "paper" else "signature"
        errors.update(to_validation_error(exc, default_field=field).errors)
        return None
    if ident is None or not name:
        return None
    method = SignatureMethod.PAPER_SCAN if data.method == "paper" else SignatureMethod.DRAWN
    return _ClientPart(method, data.method, ident, name, png, scan, media_type, scan_sha)


def _check_state(consent: Consent, today: date) -> None:
    if consent.state == RowState.REVOKED:
        raise StateConflictError({"consent": str(_l(
            "Deze toestemming is ingetrokken en kan niet meer worden ondertekend. Stel zo nodig een nieuwe op."))})
    if consent.state == RowState.SIGNED:
        raise StateConflictError({"consent": str(_l("Dit formulier is al ondertekend."))})
    if today > consent.ends_on:
        raise StateConflictError({"consent": str(_l(
            "De einddatum van dit formulier is verstreken. Stel een nieuw formulier op."))})


def _store(session: Session, archive: Archive, data: bytes, media_type: str, filename: str, actor: User) -> StoredFile:
    """Archive first (tmp, fsync, rename), then the row (DESIGN §7)."""
    stored = archive.put(data)
    row = StoredFile(sha256=stored.sha256, size=stored.size, media_type=media_type, filename=filename[:200],
                     created_by_id=actor.id)
    session.add(row)
    return row


def sign(session: Session, *, actor: User, consent: Consent, data: SignInput, tools: Tools, today: date,
         where: Where | None = None, now: datetime | None = None) -> Consent:
    """The client signs and the case manager countersigns; the form is sealed and archived.

    :raise NotFoundError / AccessDeniedError: she is not the client's case manager.
    :raise StateConflictError: the consent is revoked, already signed, or past its end date.
    :raise ValidationError: a field is wrong (named): signature, scan, name, identification, password.
    """
    access.require(actor, Action.SIGN, consent, today=today)
    _check_state(consent, today)
    errors: dict[str, str] = {}
    client = _check_client(data, errors)
    if not data.password:
        errors["password"] = str(_l("Vul uw wachtwoord in om mede te ondertekenen."))
    elif not accounts.check_password(actor, data.password):
        errors["password"] = str(_l("Dit wachtwoord klopt niet."))
    if errors or client is None:
        raise ValidationError(errors or {"signature": str(_l("Er is geen handtekening gegeven."))})
    now = now or utcnow()
    try:
        spec = spec_of(consent)
        texts = texts_of(session, consent, spec)
        digest = content_hash(spec, texts)
        if consent.content_sha256 and digest != consent.content_sha256:
            raise StateConflictError({"consent": str(_l(
                "De tekst van het formulier is veranderd sinds het werd opgesteld. Stel het opnieuw op."))})
        client_sig = Signature(role=SignerRole.CLIENT, signer_name=client.name, method=client.method,
                               signed_at=now, identification=client.identification, content_sha256=digest,
                               image_png=client.png, scan_sha256=client.scan_sha256)
        stamp = name_signature_png(actor.full_name, str(_l("mede-ondertekend met wachtwoord")))
        cm_sig = Signature(role=SignerRole.CASE_MANAGER, signer_name=actor.full_name, method=SignatureMethod.DRAWN,
                           signed_at=now, identification=SignerIdentification.PORTAL_LOGIN, content_sha256=digest,
                           user_id=actor.username, image_png=stamp)
        state = consent_lifecycle.sign(consent_lifecycle.draft(spec, digest), [client_sig, cm_sig], now)
        sender = sender_of(session, consent, archive=tools.archive)
        signing_record = SigningRecord(reference=consent.reference, form_version=consent.form_version,
                                       content_sha256=digest, signatures=state.signatures,
                                       issued_by=sender.organisation)
        reference = reference_of(consent)
        if reference is None:
            raise StateConflictError({"consent": str(_l("Dit formulier heeft geen geldig kenmerk."))})
        pdf = render_final(spec, texts, state.signatures, signing_record, sender, reference)
        sealed = off_event_loop(seal, pdf, tools.seal.sealer(), reason=f"Toestemming {consent.reference}",
                                location=LOCATION, signed_at=now)
    except ConsentError as exc:
        raise to_validation_error(exc) from None
    name = consent.reference.replace("/", "-")
    sealed_file = _store(session, tools.archive, sealed, "application/pdf", f"{name}.pdf", actor)
    client_file = (_store(session, tools.archive, client.scan, client.scan_media_type or "", f"{name}-scan", actor)
                   if client.scan is not None else
                   _store(session, tools.archive, client.png or b"", "image/png", f"{name}-client.png", actor))
    cm_file = _store(session, tools.archive, stamp, "image/png", f"{name}-case-manager.png", actor)
    session.flush()
    consent.signatures.append(ConsentSignature(
        role=SignerRole.CLIENT.value, signer_name=client.name, method=client.method.value,
        input_mode=client.input_mode, identification=client.identification.value, signed_at=now,
        content_sha256=digest, file_id=client_file.id, file_sha256=client_file.sha256))
    consent.signatures.append(ConsentSignature(
        role=SignerRole.CASE_MANAGER.value, signer_name=actor.full_name, method=SignatureMethod.DRAWN.value,
        input_mode="password", identification=SignerIdentification.PORTAL_LOGIN.value, signed_at=now,
        user_id=actor.id, content_sha256=digest, file_id=cm_file.id, file_sha256=cm_file.sha256))
    consent.state = RowState.SIGNED
    consent.signed_at = now
    consent.content_sha256 = digest
    consent.sealed_file_id = sealed_file.id
    consent.sealed_sha256 = sealed_file.sha256
    session.flush()
    record(session, actor, AuditAction.CONSENT_SIGN, consent, where=where,
           detail={"reference": consent.reference, "method": client.input_mode, "content_sha256": digest,
                   "file_sha256": sealed_file.sha256, "form_version": consent.form_version})
    return consent
