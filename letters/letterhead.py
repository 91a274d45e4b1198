"""One letterhead for PDF and DOCX: the labels, dates and lines both renderers draw.

Keeping the wording here means a letter says 'Kenmerk' / 'Pagina 1 van 3' the same way in both
formats, and `consent_forms` can reuse it for its own documents.
"""

from __future__ import annotations

from datetime import date

from letters.model import Document, Sender
from letters.text import clean_text
from letters.vocab import check_language

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "date": "Datum",
        "reference": "Kenmerk",
        "subject": "Onderwerp",
        "page": "Pagina {page} van {pages}",
        "phone": "T",
        "email": "E",
        "website": "W",
    },
    "en": {
        "date": "Date",
        "reference": "Reference",
        "subject": "Subject",
        "page": "Page {page} of {pages}",
        "phone": "T",
        "email": "E",
        "website": "W",
    },
}

_MONTHS = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}


def label(key: str, language: str) -> str:
    """A letterhead label ('date', 'reference', 'subject', ...) in 'nl' or 'en'."""
    return LABELS[check_language(language)][key]


def format_date(day: date, language: str = "nl") -> str:
    """A date as written in a letter: '3 maart 2026' or '3 March 2026'.

    Month names are spelled out here rather than taken from the process locale, which a web
    server rarely has set to Dutch.
    """
    return f"{day.day} {_MONTHS[check_language(language)][day.month - 1]} {day.year}"


def format_short_date(day: date) -> str:
    """A date for table cells: '03-03-2026' (the Dutch numeric order in both languages)."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def page_label(page: int, pages: int, language: str = "nl") -> str:
    """'Pagina 1 van 3' or 'Page 1 of 3'."""
    return label("page", language).format(page=page, pages=pages)


def sender_lines(sender: Sender) -> list[str]:
    """Department and address lines under the organisation name."""
    lines = [sender.department] if sender.department else []
    return [clean_text(line) for line in (*lines, *sender.address_lines) if line.strip()]


def contact_lines(sender: Sender, language: str = "nl") -> list[str]:
    """Phone, e-mail and website, each with its one-letter label ('T 024 329 9999')."""
    pairs = (("phone", sender.phone), ("email", sender.email), ("website", sender.website))
    return [f"{label(key, language)} {clean_text(value)}" for key, value in pairs if value.strip()]


def meta_rows(doc: Document) -> list[tuple[str, str]]:
    """The date-and-subject block: (label, value) for date, reference and subject, as present."""
    rows: list[tuple[str, str]] = []
    if doc.dated_on is not None:
        rows.append((label("date", doc.language), format_date(doc.dated_on, doc.language)))
    if doc.reference is not None:
        rows.append((label("reference", doc.language), str(doc.reference)))
    rows.append((label("subject", doc.language), clean_text(doc.subject)))
    return rows


def running_header(doc: Document) -> str:
    """The small header line on pages after the first: organisation and subject."""
    return f"{clean_text(doc.sender.organisation)} · {clean_text(doc.subject)}"
