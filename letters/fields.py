"""Validation and text helpers shared by the builders (council briefing, plans, minutes).

Builders take frozen dataclasses of user-typed fields; these helpers check each field where it
is declared (`__post_init__`) and raise `InvalidFieldError` naming it, so the portal can show
the message next to the right form field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from letters.errors import InvalidFieldError
from letters.model import Block, BulletList, Document, Paragraph, Recipient, Reference, Sender
from letters.vocab import check_language

#: Longest free-text section (a chapter of a council letter).
MAX_SECTION = 20_000
#: Longest one-line field: a title, a name, an owner.
MAX_LINE = 200
#: Longest short text: a goal, an action, a decision.
MAX_SHORT = 2_000
#: Most items in any list field (goals, actions, agenda items, budget lines ...).
MAX_ITEMS = 200

_BULLET_LINE = re.compile(r"^\s*[-*•]\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")


def check_text(field: str, value: object, *, max_length: int = MAX_SECTION, required: bool = False) -> str:
    """Return `value` stripped, after checking it is a string within `max_length` characters.

    :raise InvalidFieldError: naming `field` if it is not a string, too long, or empty while
        `required`.
    """
    if not isinstance(value, str):
        raise InvalidFieldError(field, f"{field} must be text")
    if len(value) > max_length:
        raise InvalidFieldError(field, f"{field} is longer than {max_length} characters")
    if required and not value.strip():
        raise InvalidFieldError(field, f"{field} is required")
    return value.strip()


def check_line(field: str, value: object, *, required: bool = False) -> str:
    """A one-line text field (no line breaks), at most `MAX_LINE` characters.

    :raise InvalidFieldError: naming `field`.
    """
    text = check_text(field, value, max_length=MAX_LINE, required=required)
    if "\n" in text or "\r" in text:
        raise InvalidFieldError(field, f"{field} must be a single line")
    return text


def check_items(field: str, items: object, kind: type | tuple[type, ...], *, max_items: int = MAX_ITEMS,
                required: bool = False) -> None:
    """Check a tuple field holds only `kind` items, at most `max_items` of them.

    :raise InvalidFieldError: naming `field`.
    """
    if not isinstance(items, tuple):
        raise InvalidFieldError(field, f"{field} must be a tuple")
    if len(items) > max_items:
        raise InvalidFieldError(field, f"{field} has more than {max_items} items")
    if required and not items:
        raise InvalidFieldError(field, f"{field} needs at least one item")
    for item in items:
        if not isinstance(item, kind):
            raise InvalidFieldError(field, f"{field} holds an item of the wrong type: {type(item).__name__}")


def check_date(field: str, value: object, *, required: bool = False) -> None:
    """:raise InvalidFieldError: naming `field` unless `value` is a date (or None when optional)."""
    if value is None and not required:
        return
    if not isinstance(value, date):
        raise InvalidFieldError(field, f"{field} must be a date")


def text_blocks(text: str) -> list[Block]:
    """Free text as blocks: paragraphs split on blank lines; a paragraph whose lines all start
    with '-', '*' or '•' becomes a bullet list (how people type lists in a text area)."""
    blocks: list[Block] = []
    for chunk in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        chunk = chunk.strip("\n").rstrip()
        if not chunk.strip():
            continue
        lines = chunk.split("\n")
        if all(_BULLET_LINE.match(line) for line in lines):
            blocks.append(BulletList(tuple(_BULLET_LINE.sub("", line).strip() for line in lines)))
        else:
            blocks.append(Paragraph("\n".join(line.strip() for line in lines)))
    return blocks


def make_document(
    blocks: Sequence[Block],
    *,
    sender: Sender,
    subject: str,
    reference: Reference | None = None,
    dated_on: date | None = None,
    recipient: Recipient | None = None,
    language: str = "nl",
    footer_note: str = "",
) -> Document:
    """Assemble a Document after checking the letterhead fields the user typed.

    :raise InvalidFieldError: naming 'subject', 'footer_note', 'language' or 'dated_on'.
    """
    check_language(language)
    check_line("subject", subject, required=True)
    check_line("footer_note", footer_note)
    check_date("dated_on", dated_on)
    return Document(sender=sender, subject=subject.strip(), blocks=tuple(blocks), reference=reference,
                    dated_on=dated_on, recipient=recipient, language=language, footer_note=footer_note.strip())
