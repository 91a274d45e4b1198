"""Versioned letter and form texts: the built-in version plus those the functional admin published.

A published version is never edited (DESIGN §6): a form signed under it must render and hash the
same years later. A change of wording is a new version; drafts already composed keep theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from consent_forms import FormTemplate, default_templates
from consent_forms.errors import ConsentError
from consent_forms.model import Language
from portal import access
from portal.audit import AuditAction, Where, record
from portal.models import ConsentTemplate, User
from portal.services.consent_messages import to_validation_error
from portal.services.errors import ValidationError
from portal.vocab import Action

TEXT_FIELDS = ("letter_subject", "form_title", "information_letter_text", "consent_text")
_VERSION_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")


def registry(session: Session) -> dict[tuple[str, Language], FormTemplate]:
    """Every usable version: built-in first, then the published rows (which cannot reuse a built-in key)."""
    table = dict(default_templates())
    for row in session.scalars(select(ConsentTemplate).order_by(ConsentTemplate.published_at, ConsentTemplate.id)):
        table[(row.version, Language(row.language))] = _template(row)
    return table


def _template(row: ConsentTemplate) -> FormTemplate:
    return FormTemplate(version=row.version, language=Language(row.language), letter_subject=row.letter_subject,
                        form_title=row.form_title, information_letter_text=row.information_letter_text,
                        consent_text=row.consent_text)


def versions(session: Session, language: str | None = None) -> list[str]:
    """Version labels, newest first (built-in ones count as oldest)."""
    keys = list(registry(session))
    labels = [v for v, lang in keys if language is None or lang == language]
    return list(dict.fromkeys(reversed(labels)))


def latest_version(session: Session, language: str) -> str:
    found = versions(session, language)
    return found[0] if found else "2026-1"


@dataclass(frozen=True)
class TemplateInput:
    version: str
    language: str
    letter_subject: str
    form_title: str
    information_letter_text: str
    consent_text: str


def publish(session: Session, *, actor: User, data: TemplateInput, where: Where | None = None) -> ConsentTemplate:
    """Publish a new version of the texts in one language. Existing versions are never changed.

    :raise ValidationError: a field is empty, too long, uses an unknown placeholder, or the version exists.
    """
    access.require(actor, Action.MANAGE)
    version = data.version.strip()
    errors: dict[str, str] = {}
    if not version or len(version) > 32 or not set(version) <= _VERSION_CHARS:
        errors["version"] = str(_l("Geef een versie van hoogstens 32 letters, cijfers, '.', '-' of '_'."))
    if data.language not in {"nl", "en"}:
        errors["language"] = str(_l("Kies Nederlands of Engels."))
    elif version and (version, Language(data.language)) in registry(session):
        errors["version"] = str(_l("Deze versie bestaat al in deze taal. Kies een nieuwe versie."))
    for name in TEXT_FIELDS:
        if not getattr(data, name).strip():
            errors[name] = str(_l("Dit veld is verplicht."))
    if errors:
        raise ValidationError(errors)
    texts = {name: getattr(data, name).strip().replace("\r\n", "\n") for name in TEXT_FIELDS}
    try:
        FormTemplate(version=version, language=Language(data.language), **texts)
    except ConsentError as exc:
        raise to_validation_error(exc, default_field="consent_text") from None
    row = ConsentTemplate(version=version, language=data.language, published_by_id=actor.id, **texts)
    session.add(row)
    session.flush()
    record(session, actor, AuditAction.CONSENT_TEMPLATE, where=where,
           detail={"version": version, "language": data.language})
    return row
