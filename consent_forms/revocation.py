"""The letter that confirms a revocation to the client: what stopped, from when, and what it means.

Plain Python like the rest of the package: the portal passes the facts, this arranges the blocks
and `render.to_pdf` draws them with the shared letterhead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from consent_forms.lifecycle import local_date
from consent_forms.model import Language
from consent_forms.render import format_local_time
from letters.model import Document, KeyValue, Paragraph, Reference, Sender

_TEXT: dict[str, tuple[str, str]] = {
    "subject": ("Bevestiging: je toestemming is ingetrokken", "Confirmation: your consent has been withdrawn"),
    "greeting": ("Beste {client},", "Dear {client},"),
    "body": (
        "Je hebt je toestemming om gegevens te delen ingetrokken. Met deze brief bevestigen we dat. "
        "Vanaf het moment van intrekken delen de organisaties hieronder geen gegevens meer over jou op "
        "grond van deze toestemming.",
        "You have withdrawn your consent to share data. This letter confirms it. From the moment of "
        "withdrawal, the organisations below no longer share data about you on the basis of this consent.",
    ),
    "after": (
        "Gegevens die al gedeeld zijn, worden niet teruggehaald, maar ook niet meer aangevuld. Je krijgt "
        "gewoon verder hulp van het STAP-team. Wil je later toch weer toestemming geven? Dan maken we een "
        "nieuw formulier.",
        "Data that was already shared is not taken back, but it is no longer added to. The STAP-team goes "
        "on helping you. If you want to give consent again later, we make a new form.",
    ),
    "reference": ("Kenmerk toestemming", "Consent reference"),
    "revoked_at": ("Ingetrokken op", "Withdrawn at"),
    "reason": ("Reden", "Reason"),
    "organisations": ("Organisaties", "Organisations"),
    "footer": ("Vertrouwelijk – bevestiging intrekking", "Confidential – confirmation of withdrawal"),
}


def _t(key: str, language: str, **values: str) -> str:
    nl, en = _TEXT[key]
    text = en if language == Language.EN else nl
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Revocation:
    """The facts the confirmation letter states."""

    client_name: str
    consent_reference: str
    organisations: Sequence[str]
    revoked_at: datetime
    reason: str
    language: str = "nl"


def revocation_letter(facts: Revocation, sender: Sender, reference: Reference | None = None) -> Document:
    """The confirmation letter as a `letters` document, dated on the (local) day of revocation."""
    lang = Language(facts.language)
    return Document(
        sender=sender, subject=_t("subject", lang), reference=reference,
        dated_on=local_date(facts.revoked_at), language=str(lang), footer_note=_t("footer", lang),
        blocks=(
            Paragraph(_t("greeting", lang, client=facts.client_name)),
            Paragraph(_t("body", lang)),
            KeyValue((
                (_t("reference", lang), facts.consent_reference),
                (_t("revoked_at", lang), format_local_time(facts.revoked_at, lang)),
                (_t("organisations", lang), ", ".join(facts.organisations)),
                (_t("reason", lang), facts.reason),
            )),
            Paragraph(_t("after", lang)),
        ),
        metadata={"title": _t("subject", lang), "reference": facts.consent_reference},
    )

