"""Functional administration of the letter and form texts: list the versions, publish a new one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consent_forms.model import Language
from portal import access
from portal.extensions import db
from portal.services import consent_templates
from portal.services.errors import ValidationError
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.request_info import where

bp = Blueprint("consent_templates", __name__, url_prefix="/admin/consent-templates")


@bp.get("/")
def index() -> Any:
    access.require(current_user, Action.MANAGE)
    table = consent_templates.registry(db.session)
    rows = sorted(table.values(), key=lambda t: (t.version, t.language), reverse=True)
    return render_template("consents/templates.html", templates=rows)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    access.require(current_user, Action.MANAGE)
    if request.method == "GET":
        language = request.args.get("language", "nl")
        language = language if language in {"nl", "en"} else "nl"
        base = consent_templates.registry(db.session)[
            (consent_templates.latest_version(db.session, language), Language(language))]
        form = {"language": language, **{f: getattr(base, f) for f in consent_templates.TEXT_FIELDS}}
        return render_template("consents/template_edit.html", form=form, errors={}, base_version=base.version)
    require_recent_auth()
    f = request.form
    data = consent_templates.TemplateInput(version=f.get("version", ""), language=f.get("language", ""),
                                           **{name: f.get(name, "") for name in consent_templates.TEXT_FIELDS})
    try:
        row = consent_templates.publish(db.session, actor=current_user, data=data, where=where())
    except ValidationError as exc:
        return render_template("consents/template_edit.html", form=f, errors=exc.errors, base_version=None), 400
    flash(_("Versie %(v)s (%(lang)s) is gepubliceerd. Nieuwe formulieren gebruiken deze tekst; "
            "ondertekende formulieren houden hun eigen versie.", v=row.version, lang=row.language), "success")
    return redirect(url_for(".index"))
