"""Letterheads per organisation, for the functional admin: logo, address, contact and house colour.

Each save is a new version; new renders of every letter and plan of that organisation use it,
documents already sent keep their frozen files.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from letters.model import Document as LetterDocument
from letters.model import Paragraph
from letters.render_pdf import render_pdf
from portal import access
from portal.extensions import db
from portal.models import Letterhead, Organisation
from portal.services import letterheads
from portal.services.errors import TooLargeError, ValidationError
from portal.views._common import current_day
from portal.views.documents import archive
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.request_info import where

bp = Blueprint("letterheads", __name__, url_prefix="/admin/letterheads")


def organisation(code: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise access.NotFoundError()
    return org


@bp.get("")
def index() -> Any:
    access.require(current_user, Action.MANAGE)
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/letterheads.html",
                           rows=[(o, letterheads.current(db.session, o.id)) for o in orgs])


def _edit_page(org: Organisation, form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
               status: int = 200) -> Any:
    lh = letterheads.current(db.session, org.id)
    if form is None:
        form = {"address": lh.address if lh else org.address, "phone": lh.phone if lh else "",
                "email": lh.email if lh else "", "website": lh.website if lh else "",
                "colour": lh.colour if lh else letterheads.DEFAULT_COLOUR}
    return render_template("admin/letterhead_edit.html", org=org, current=lh, form=form, errors=errors or {},
                           versions=letterheads.versions(db.session, org.id),
                           max_kb=letterheads.MAX_LOGO_BYTES // 1024), status


@bp.get("/<code>")
def edit(code: str) -> Any:
    access.require(current_user, Action.MANAGE)
    return _edit_page(organisation(code))


@bp.post("/<code>")
def save(code: str) -> Any:
    access.require(current_user, Action.MANAGE)
    require_recent_auth()
    org = organisation(code)
    f = request.form
    upload = request.files.get("logo")
    data = upload.read() if upload is not None and upload.filename else None
    if upload is not None:
        upload.close()  # a large upload is spooled to a temporary file: let it go now
    try:
        row = letterheads.save(
            db.session, actor=current_user, organisation=org, archive=archive(), address=f.get("address", ""),
            phone=f.get("phone", ""), email=f.get("email", ""), website=f.get("website", ""),
            colour=f.get("colour", ""), logo=data, logo_filename=upload.filename if data else "",
            logo_type=upload.mimetype if data else "", remove_logo=bool(f.get("remove_logo")), where=where())
    except ValidationError as exc:
        return _edit_page(org, dict(f), exc.errors, 413 if isinstance(exc, TooLargeError) else 400)
    flash(_("Het briefpapier van %(name)s is opgeslagen als versie %(version)s. Nieuwe brieven gebruiken het; "
            "verzonden documenten houden hun eigen bestanden.", name=org.name, version=row.version), "success")
    return redirect(url_for(".edit", code=org.code))


@bp.get("/<code>/logo/<int:version>")
def logo(code: str, version: int) -> Any:
    access.require(current_user, Action.MANAGE)
    org = organisation(code)
    lh = db.session.scalar(select(Letterhead).where(Letterhead.organisation_id == org.id,
                                                    Letterhead.version == version))
    if lh is None or lh.logo_file is None:
        raise access.NotFoundError()
    return Response(archive().get(lh.logo_file.sha256), mimetype="image/png",
                    headers={"Cache-Control": "private, max-age=3600"})


@bp.get("/<code>/sample.pdf")
def sample(code: str) -> Any:
    """A one-page sample letter with the current letterhead, to check it before anyone sends one."""
    access.require(current_user, Action.MANAGE)
    org = organisation(code)
    sender = letterheads.sender(db.session, org, archive=archive())
    doc = LetterDocument(sender=sender, subject=_("Voorbeeld van het briefpapier"), dated_on=current_day(),
                         blocks=(Paragraph(_("Zo ziet een brief van %(name)s eruit.", name=org.name)),))
    return Response(render_pdf(doc), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="briefpapier-{org.code}.pdf"',
                             "Cache-Control": "no-store"})
