"""Memo (interne notitie): a short note within or between organisations, DESIGN §4.

To, from and copy lines on top, then the text, then the points of action. Free text is split into
paragraphs on blank lines; lines starting with '-' or '•' become bullet lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from letters.fields import check_line, check_text, make_document, text_blocks
from letters.model import Block, Document, Heading, KeyValue, Reference, Sender
from letters.vocab import check_language

_TEXT = {
    "nl": {"to": "Aan", "author": "Van", "cc": "Kopie aan", "action_points": "Actiepunten"},
    "en": {"to": "To", "author": "From", "cc": "Copy to", "action_points": "Action points"},
}


@dataclass(frozen=True)
class Memo:
    """The fields of a memo; only the text is required."""

    body: str
    to: str = ""
    author: str = ""
    cc: str = ""
    action_points: str = ""

    def __post_init__(self) -> None:
        check_text("body", self.body, required=True)
        for name in ("to", "author", "cc"):
            check_line(name, getattr(self, name))
        check_text("action_points", self.action_points)


def build(memo: Memo, *, sender: Sender, subject: str, reference: Reference | None = None,
          dated_on: date | None = None, language: str = "nl", footer_note: str = "") -> Document:
    """Assemble the memo as a `Document` for `render_pdf` / `render_docx`.

    :raise InvalidFieldError: naming the letterhead field ('subject', 'language', ...) at fault.
    """
    text = _TEXT[check_language(language)]
    heads = tuple((text[name], value.strip()) for name in ("to", "author", "cc")
                  if (value := getattr(memo, name)).strip())
    blocks: list[Block] = [KeyValue(heads)] if heads else []
    blocks += text_blocks(memo.body)
    if memo.action_points.strip():
        blocks += [Heading(text["action_points"]), *text_blocks(memo.action_points)]
    return make_document(blocks, sender=sender, subject=subject, reference=reference, dated_on=dated_on,
                         language=language, footer_note=footer_note)
