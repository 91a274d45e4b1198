"""consents, consents/{id}/sign, consents/{id}/revoke, consents/{id}/file (DESIGN §12)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Response, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.api import bp
from portal.api._util import MAX_FILE_JSON, json_body, list_field, str_field
from portal.extensions import db
from portal.models import Client, Consent
from portal.services import consent_signing, consents
from portal.services.errors import ValidationError
from portal.views._common import current_day, parse_date
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.consent_tools import tools
from portal.web.guards import load_for
from portal.web.request_info import where


def consent_json(c: Consent) -> dict[str, Any]:
    links: dict[str, Any] = {"self": {"href": url_for("api.consent_detail", consent_id=c.id)},
                             "client": {"href": url_for("api.client_detail", client_id=c.client_id)}}
    if c.sealed_sha256:
        links["file"] = {"href": url_for("api.consent_file", consent_id=c.id)}
    return {
        "id": c.id, "client-id": c.client_id, "reference": c.reference, "state": c.state.value,
        "status-today": c.status_on(current_day()), "organisations": sorted(o.code for o in c.organisations),
        "categories": list(c.categories), "purpose": c.purpose, "starts-on": c.starts_on.isoformat(),
        "ends-on": c.ends_on.isoformat(), "language": c.language, "form-version": c.form_version,
        "content-sha256": c.content_sha256 or None, "file-sha256": c.sealed_sha256,
        "signed-at": c.signed_at.isoformat() if c.signed_at else None,
        "revoked-at": c.revoked_at.isoformat() if c.revoked_at else None,
        "revocation-reason": c.revocation_reason or None,
        "signatures": [{"role": s.role, "signer-name": s.signer_name, "method": s.input_mode,
                        "identification": s.identification, "signed-at": s.signed_at.isoformat(),
                        "content-sha256": s.content_sha256} for s in c.signatures],
        "_links": links,
    }


def _int_field(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError({name: str(_l("Moet een geheel getal zijn."))})
    return value


@bp.post("/consents")
def consent_create() -> Any:
    data = json_body()
    client = load_for(Action.CREATE_CONSENT, Client, _int_field(data, "client-id"), audit_view=False)
    day = current_day()
    ends_raw = data.get("ends-on")
    ends_on = consents.default_ends_on(day) if ends_raw is None else parse_date(str_field(data, "ends-on"))
    consent_input = consents.ConsentInput(
        organisation_codes=list_field(data, "organisations"), categories=list_field(data, "categories"),
        purpose=str_field(data, "purpose", str(consents.DEFAULT_PURPOSE)), ends_on=ends_on,
        language=str_field(data, "language", "nl"), form_version=str_field(data, "form-version"),
        client_name=str_field(data, "client-name"))
    consent = consents.create_draft(db.session, actor=current_user, client=client, data=consent_input, today=day,
                                    where=where())
    return consent_json(consent), 201, {"Location": url_for("api.consent_detail", consent_id=consent.id)}


@bp.get("/consents/<int:consent_id>")
def consent_detail(consent_id: int) -> Any:
    return consent_json(load_for(Action.VIEW, Consent, consent_id))


def _b64(data: dict[str, Any], name: str, field: str) -> bytes | None:
    value = str_field(data, name)
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: str(_l("Moet base64 zijn."))}) from None


@bp.post("/consents/<int:consent_id>/sign")
def consent_sign(consent_id: int) -> Any:
    """The client's signature (method drawn, typed or paper) and the countersignature (password)."""
    consent = load_for(Action.SIGN, Consent, consent_id, audit_view=False)
    data = json_body(limit=MAX_FILE_JSON)
    sign_input = consent_signing.SignInput(
        method=str_field(data, "method", "drawn"), signer_name=str_field(data, "signer-name"),
        identification=str_field(data, "identification"), password=str_field(data, "password"),
        signature_png=_b64(data, "signature-png", "signature-png"), typed_confirmed=data.get("typed-confirm") is True,
        scan=_b64(data, "scan", "scan"), scan_media_type=str_field(data, "scan-media-type") or None)
    try:
        consent_signing.sign(db.session, actor=current_user, consent=consent, data=sign_input, tools=tools(),
                             today=current_day(), where=where())
    except ValidationError as exc:
        exc.errors = {_API_NAMES.get(k, k): v for k, v in exc.errors.items()}
        raise
    return consent_json(consent)


#: Form field -> API field, where they differ.
_API_NAMES = {"signature": "signature-png", "typed_confirm": "typed-confirm", "signer_name": "signer-name"}


@bp.post("/consents/<int:consent_id>/revoke")
def consent_revoke(consent_id: int) -> Any:
    consent = load_for(Action.REVOKE, Consent, consent_id, audit_view=False)
    require_recent_auth()
    data = json_body()
    consents.revoke(db.session, actor=current_user, consent=consent, reason=str_field(data, "reason"),
                    today=current_day(), where=where())
    return consent_json(consent)


@bp.get("/consents/<int:consent_id>/file")
def consent_file(consent_id: int) -> Any:
    consent = load_for(Action.DOWNLOAD, Consent, consent_id)
    data = consents.sealed_pdf(consent, tools().archive)
    resp = Response(data, mimetype="application/pdf")
    name = consent.reference.replace("/", "-")
    resp.headers["Content-Disposition"] = f'attachment; filename="toestemming-{name}.pdf"'
    return resp
