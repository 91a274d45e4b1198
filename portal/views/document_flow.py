"""Workflow steps of letters and plans: review, comment, approve or send back, send, agree, evaluate, ZRM."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.models import Document
from portal.services import client_plans, reviews
from portal.services.errors import ValidationError
from portal.views._common import current_day, parse_date, version_arg
from portal.views.documents import archive, show, threshold
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.guards import load_for
from portal.web.request_info import where

bp = Blueprint("document_flow", __name__)


def _back(doc_id: int, message: str) -> Any:
    flash(message, "success")
    return redirect(url_for("documents.show", doc_id=doc_id))


def _refused(doc_id: int, exc: ValidationError) -> Any:
    """Show the document again with the field-named messages; nothing of the step was saved."""
    db.session.rollback()
    for message in exc.errors.values():
        flash(message, "error")
    return show(doc_id), 400


@bp.post("/documents/<int:doc_id>/review-request")
def request_review(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    try:
        reviews.request_review(db.session, actor=current_user, doc=doc, reviewer_ids=request.form.getlist("reviewers"),
                               expected_version=version_arg(), today=current_day(), where=where())
    except ValidationError as exc:
        return _refused(doc_id, exc)
    return _back(doc_id, _("Het document is ter beoordeling voorgelegd."))


@bp.post("/documents/<int:doc_id>/comments")
def comment(doc_id: int) -> Any:
    doc = load_for(Action.REVIEW, Document, doc_id, audit_view=False)
    try:
        reviews.comment(db.session, actor=current_user, doc=doc, section=request.form.get("section", ""),
                        text=request.form.get("text", ""), today=current_day(), where=where())
    except ValidationError as exc:
        return _refused(doc_id, exc)
    return _back(doc_id, _("Uw opmerking is toegevoegd."))


@bp.post("/documents/<int:doc_id>/decision")
def decide(doc_id: int) -> Any:
    doc = load_for(Action.REVIEW, Document, doc_id, audit_view=False)
    approve = request.form.get("decision") == "approve"
    try:
        reviews.decide(db.session, actor=current_user, doc=doc, approve=approve,
                       comment_text=request.form.get("comment", ""), today=current_day(), where=where())
    except ValidationError as exc:
        return _refused(doc_id, exc)
    return _back(doc_id, _("U heeft het document goedgekeurd.") if approve else _("Het document is teruggestuurd."))


@bp.post("/documents/<int:doc_id>/withdraw")
def withdraw(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    reviews.withdraw(db.session, actor=current_user, doc=doc, today=current_day(), where=where())
    return _back(doc_id, _("Het document is teruggenomen uit de beoordeling."))


@bp.post("/documents/<int:doc_id>/reopen")
def reopen(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    reviews.reopen(db.session, actor=current_user, doc=doc, today=current_day(), where=where())
    return _back(doc_id, _("Het document is weer een concept; het moet opnieuw worden beoordeeld."))


@bp.post("/documents/<int:doc_id>/send")
def send(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    require_recent_auth()
    reviews.send(db.session, actor=current_user, doc=doc, archive=archive(), threshold=threshold(),
                 expected_version=version_arg(), today=current_day(), where=where())
    return _back(doc_id, _("Het document is verzonden; PDF en DOCX staan vast in het archief."))


@bp.post("/documents/<int:doc_id>/agree")
def agree(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    client_plans.agree(db.session, actor=current_user, doc=doc, expected_version=version_arg(),
                       threshold=threshold(), today=current_day(), where=where())
    return _back(doc_id, _("Het plan is afgesproken."))


@bp.post("/documents/<int:doc_id>/evaluate")
def evaluate(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    try:
        client_plans.evaluate(db.session, actor=current_user, doc=doc, remark=request.form.get("remark", ""),
                              expected_version=version_arg(), threshold=threshold(), today=current_day(),
                              where=where())
    except ValidationError as exc:
        return _refused(doc_id, exc)
    return _back(doc_id, _("De evaluatie is vastgelegd als nieuwe versie."))


@bp.post("/documents/<int:doc_id>/measurements")
def measurement(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    scores = {k.removeprefix("zrm-"): v for k, v in request.form.items() if k.startswith("zrm-")}
    try:
        client_plans.add_measurement(db.session, actor=current_user, doc=doc,
                                     measured_on=parse_date(request.form.get("measured_on")), scores=scores,
                                     threshold=threshold(), today=current_day(), where=where())
    except ValidationError as exc:
        return _refused(doc_id, exc)
    return _back(doc_id, _("De ZRM-meting is opgeslagen."))
