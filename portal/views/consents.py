"""Consent forms: compose with preview, download, sign on the tablet or on paper, revoke, renew, verify."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import access
from portal.extensions import db
from portal.models import Client, Consent
from portal.services import consent_signing, consent_templates, consents
from portal.services.errors import StateConflictError, ValidationError
from portal.views._common import current_day, parse_date
from portal.views.documents import archive
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.consent_tools import tools, trusted_cert_pem
from portal.web.guards import load_for
from portal.web.request_info import where

bp = Blueprint("consents", __name__)

PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(data: bytes, mimetype: str, name: str, *, inline: bool = True) -> Response:
    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return resp


def _compose_input() -> consents.ConsentInput:
    f = request.form
    return consents.ConsentInput(
        organisation_codes=tuple(f.getlist("organisations")), categories=tuple(f.getlist("categories")),
        purpose=f.get("purpose", ""), ends_on=parse_date(f.get("ends_on")), language=f.get("language", "nl"),
        form_version=f.get("form_version", ""), client_name=f.get("client_name", ""))


def _compose_page(client: Client, form: Any, status: int = 200, **ctx: Any) -> Any:
    return render_template("consents/new.html", client=client, form=form,
                           organisations=consents.party_organisations(db.session), categories=consents.CATEGORIES,
                           versions=consent_templates.versions(db.session), errors=ctx.pop("errors", {}),
                           **ctx), status


@bp.route("/clients/<int:client_id>/consents/new", methods=["GET", "POST"])
def new(client_id: int) -> Any:
    client = load_for(Action.CREATE_CONSENT, Client, client_id, audit_view=False)
    if request.method == "GET":
        day = current_day()
        return _compose_page(client, {
            "ends_on": consents.default_ends_on(day).isoformat(), "language": "nl", "purpose": consents.DEFAULT_PURPOSE,
            "client_name": client.display_name, "form_version": consent_templates.latest_version(db.session, "nl")},
            selected_orgs=[current_user.organisation.code], selected_categories=["general"])
    selected = {"selected_orgs": request.form.getlist("organisations"),
                "selected_categories": request.form.getlist("categories")}
    try:
        if request.form.get("action") == "preview":
            composed = consents.preview(db.session, actor=current_user, client=client, data=_compose_input(),
                                        today=current_day())
            return _compose_page(client, request.form, preview=composed.texts, **selected)
        consent = consents.create_draft(db.session, actor=current_user, client=client, data=_compose_input(),
                                        today=current_day(), where=where())
    except ValidationError as exc:
        return _compose_page(client, request.form, 400, errors=exc.errors, **selected)
    flash(_("Het concept %(ref)s is opgeslagen. Druk de brief en het formulier af of laat direct tekenen.",
            ref=consent.reference), "success")
    return redirect(url_for(".detail", consent_id=consent.id))


@bp.get("/consents/<int:consent_id>")
def detail(consent_id: int) -> Any:
    return _detail_page(load_for(Action.VIEW, Consent, consent_id))


def _detail_page(consent: Consent, status: int = 200, errors: dict[str, str] | None = None, **ctx: Any) -> Any:
    return render_template("consents/detail.html", consent=consent, client=consent.client, today=current_day(),
                           can_sign=access.can(current_user, Action.SIGN, consent),
                           can_revoke=access.can(current_user, Action.REVOKE, consent),
                           can_renew=access.can(current_user, Action.CREATE_CONSENT, consent.client),
                           errors=errors or {}, **ctx), status


@bp.get("/consents/<int:consent_id>/letter.pdf", defaults={"which": "letter", "fmt": "pdf"})
@bp.get("/consents/<int:consent_id>/letter.docx", defaults={"which": "letter", "fmt": "docx"})
@bp.get("/consents/<int:consent_id>/form.pdf", defaults={"which": "form", "fmt": "pdf"})
@bp.get("/consents/<int:consent_id>/form.docx", defaults={"which": "form", "fmt": "docx"})
def document(consent_id: int, which: str, fmt: str) -> Any:
    consent = load_for(Action.DOWNLOAD, Consent, consent_id)
    data = consents.render(db.session, consent, which, fmt, archive=archive())
    name = f"{'informatiebrief' if which == 'letter' else 'toestemmingsformulier'}-" \
           f"{consent.reference.replace('/', '-')}.{fmt}"
    return _file(data, PDF if fmt == "pdf" else DOCX, name, inline=fmt == "pdf")


@bp.get("/consents/<int:consent_id>/file")
def sealed_file(consent_id: int) -> Any:
    consent = load_for(Action.DOWNLOAD, Consent, consent_id)
    data = consents.sealed_pdf(consent, tools().archive)
    return _file(data, PDF, f"toestemming-{consent.reference.replace('/', '-')}-verzegeld.pdf")


def _sign_input() -> consent_signing.SignInput:
    f = request.form
    scan = request.files.get("scan")
    scan_bytes = scan.read() if scan is not None and scan.filename else None
    return consent_signing.SignInput(
        method=f.get("method", ""), signer_name=f.get("signer_name", ""), identification=f.get("identification", ""),
        password=f.get("password", ""), signature_png=consent_signing.decode_data_url(f.get("signature", "")),
        typed_confirmed=bool(f.get("typed_confirm")), scan=scan_bytes,
        scan_media_type=scan.mimetype if scan is not None and scan.filename else None)


def _sign_page(consent: Consent, form: Any, status: int = 200, errors: dict[str, str] | None = None) -> Any:
    texts = consents.texts_of(db.session, consent)
    return render_template("consents/sign.html", consent=consent, client=consent.client, texts=texts, form=form,
                           errors=errors or {}, identifications=consent_signing.CLIENT_IDENTIFICATIONS), status


@bp.route("/consents/<int:consent_id>/sign", methods=["GET", "POST"])
def sign(consent_id: int) -> Any:
    consent = load_for(Action.SIGN, Consent, consent_id, audit_view=False)
    if request.method == "GET" and consent.state != "draft":
        return _detail_page(consent, 409, {"consent": _("Dit formulier is niet (meer) te ondertekenen.")})
    if request.method == "GET":
        return _sign_page(consent, {"method": "drawn", "signer_name": consent.client_name,
                                    "identification": "known_to_team"})
    try:
        consent_signing.sign(db.session, actor=current_user, consent=consent, data=_sign_input(), tools=tools(),
                             today=current_day(), where=where())
    except StateConflictError as exc:
        return _detail_page(consent, 409, exc.errors)
    except ValidationError as exc:
        form = request.form.to_dict()
        form.pop("password", None)  # never echo a password back into the page
        return _sign_page(consent, form, 400, exc.errors)
    flash(_("Het formulier %(ref)s is ondertekend, verzegeld en gearchiveerd. De toestemming geldt vanaf nu.",
            ref=consent.reference), "success")
    return redirect(url_for(".detail", consent_id=consent_id))


@bp.post("/consents/<int:consent_id>/revoke")
def revoke(consent_id: int) -> Any:
    consent = load_for(Action.REVOKE, Consent, consent_id, audit_view=False)
    require_recent_auth()
    try:
        consents.revoke(db.session, actor=current_user, consent=consent, reason=request.form.get("reason", ""),
                        today=current_day(), where=where())
    except ValidationError as exc:
        status = 409 if isinstance(exc, StateConflictError) else 400
        return _detail_page(consent, status, exc.errors, reason=request.form.get("reason", ""))
    flash(_("De toestemming is ingetrokken. De organisaties hebben vanaf nu geen toegang meer op grond hiervan."),
          "success")
    return redirect(url_for(".detail", consent_id=consent_id))


@bp.get("/consents/<int:consent_id>/revocation-letter.pdf")
def revocation_letter(consent_id: int) -> Any:
    consent = load_for(Action.DOWNLOAD, Consent, consent_id)
    return _file(consents.revocation_letter_pdf(db.session, consent, archive=archive()), PDF,
                 f"intrekking-{consent.reference.replace('/', '-')}.pdf")


@bp.post("/consents/<int:consent_id>/renew")
def renew(consent_id: int) -> Any:
    old = load_for(Action.VIEW, Consent, consent_id, audit_view=False)
    draft = consents.renew(db.session, actor=current_user, consent=old, today=current_day(), where=where())
    flash(_("Nieuw concept %(ref)s opgesteld vanuit %(old)s. Controleer het en laat het ondertekenen.",
            ref=draft.reference, old=old.reference), "success")
    return redirect(url_for(".detail", consent_id=draft.id))


@bp.route("/consents/verify", methods=["GET", "POST"])
def verify() -> Any:
    """Any logged-in user may check a consent PDF she was handed: seal, archive, validity today."""
    if request.method == "GET":
        return render_template("consents/verify.html", result=None, errors={})
    upload = request.files.get("file")
    data = upload.read() if upload is not None else b""
    try:
        result, consent = consents.verify_pdf(db.session, actor=current_user, data=data, cert_pem=trusted_cert_pem(),
                                              today=current_day(), where=where())
    except ValidationError as exc:
        return render_template("consents/verify.html", result=None, errors=exc.errors), 400
    return render_template("consents/verify.html", result=result, consent=consent, errors={},
                           filename=upload.filename if upload is not None else "")
