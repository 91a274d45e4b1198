"""A client's plan of approach: agree it with her, record ZRM measurements, evaluate (a new version each time)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from letters.vocab import LIFE_DOMAINS
from portal import access, indexing
from portal.audit import AuditAction, Where, record
from portal.models import Document, User, ZrmMeasurement
from portal.models.base import utcnow
from portal.models.documents import DocType
from portal.services.documents import _snapshot, check_version, refresh_text, require_editable
from portal.services.errors import InvalidStateError, ValidationError
from portal.services.reviews import _step
from portal.vocab import Action

DOMAIN_CODES = tuple(code for code, _nl, _en in LIFE_DOMAINS)
MAX_REMARK = 2000


def _require_plan(doc: Document) -> None:
    if doc.type != DocType.PLAN_OF_APPROACH:
        raise InvalidStateError()


def agree(session: Session, *, actor: User, doc: Document, expected_version: int | None = None, threshold: int,
          today: date, where: Where | None = None) -> Document:
    """The client and her case manager agreed the plan: it is no longer a draft."""
    _require_plan(doc)
    check_version(doc, expected_version)
    _step(session, actor=actor, doc=doc, name="agree", today=today, where=where)
    doc.fields = {**doc.fields, "agreed_on": today.isoformat()}
    refresh_text(session, doc, threshold=threshold, today=today)
    doc.version_number += 1
    _snapshot(session, doc, actor, "agreed")
    return doc


def evaluate(session: Session, *, actor: User, doc: Document, remark: str, expected_version: int | None = None,
             threshold: int, today: date, where: Where | None = None) -> Document:
    """Record an evaluation: a new version of the plan with what was evaluated.

    :raise ValidationError: ('remark') the evaluation is empty or too long.
    """
    _require_plan(doc)
    remark = (remark or "").strip()
    if not remark:
        raise ValidationError({"remark": str(_l("Beschrijf kort de uitkomst van de evaluatie."))})
    if len(remark) > MAX_REMARK:
        raise ValidationError({"remark": str(_l("De evaluatie mag hoogstens %(n)s tekens hebben.", n=MAX_REMARK))})
    check_version(doc, expected_version)
    _step(session, actor=actor, doc=doc, name="evaluate", today=today, where=where)
    refresh_text(session, doc, threshold=threshold, today=today)
    doc.version_number += 1
    _snapshot(session, doc, actor, "evaluation", remark=remark)
    return doc


def parse_scores(raw: Mapping[str, object]) -> dict[str, int]:
    """{domain: '3'} as typed -> {domain: 3}; blanks are left out.

    :raise ValidationError: ('scores') a score that is not a whole number 1-5, or an unknown domain.
    """
    scores: dict[str, int] = {}
    for domain, value in raw.items():
        text = str(value if value is not None else "").strip()
        if not text:
            continue
        if domain not in DOMAIN_CODES:
            raise ValidationError({"scores": str(_l("Onbekend levensdomein: %(d)s", d=domain[:40]))})
        if text not in {"1", "2", "3", "4", "5"}:
            raise ValidationError({"scores": str(_l("Een ZRM-score is een heel getal van 1 tot en met 5."))})
        scores[domain] = int(text)
    if not scores:
        raise ValidationError({"scores": str(_l("Vul ten minste één score in."))})
    return scores


def add_measurement(session: Session, *, actor: User, doc: Document, measured_on: date | None,
                    scores: Mapping[str, object], threshold: int, today: date,
                    where: Where | None = None) -> ZrmMeasurement:
    """Record ZRM scores (1-5 per life domain) for the plan's client.

    :raise ValidationError: ('measured_on', 'scores').
    """
    _require_plan(doc)
    access.require(actor, Action.EDIT, doc, today=today)
    require_editable(doc)
    errors: dict[str, str] = {}
    if measured_on is None:
        errors["measured_on"] = str(_l("Vul een geldige datum in."))
    elif measured_on > today:
        errors["measured_on"] = str(_l("De datum mag niet in de toekomst liggen."))
    try:
        clean = parse_scores(scores)
    except ValidationError as exc:
        errors |= exc.errors
    if errors:
        raise ValidationError(errors)
    assert measured_on is not None
    assert doc.client_id is not None
    m = ZrmMeasurement(document=doc, client_id=doc.client_id, measured_on=measured_on, scores=clean,
                       recorded_by_id=actor.id)
    session.add(m)
    session.flush()
    refresh_text(session, doc, threshold=threshold, today=today)
    doc.modified_at = utcnow()
    record(session, actor, AuditAction.MEASUREMENT, doc, where=where,
           detail={"measured_on": measured_on.isoformat(), "domains": sorted(clean)})
    indexing.enqueue(session, "document", doc.id)
    return m


def chart_measurements(doc: Document) -> list[ZrmMeasurement]:
    """First and latest measurement, as the chart shows them."""
    ordered = sorted(doc.measurements, key=lambda m: (m.measured_on, m.id))
    return ordered[:1] + ordered[-1:] if len(ordered) > 1 else ordered

