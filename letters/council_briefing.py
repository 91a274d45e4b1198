"""Council briefing (raadsinformatiebrief): structured fields in, `Document` out.

The sections follow the evaluation's recommendations on process (seed 004, §8.6): what was
evaluated and why, the legal background, the topics the council should discuss, the decisions
asked of it and the next steps. Aggregate figures (tables and charts from `letters.figures`,
small numbers already suppressed) go after the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from letters.fields import check_items, check_line, check_text, make_document, text_blocks
from letters.model import Block, Chart, Document, Heading, Paragraph, Recipient, Reference, Sender, Table
from letters.vocab import check_language

#: At most this many tables/charts in one briefing.
MAX_FIGURES = 20

_TEXT = {
    "nl": {
        "salutation": "Geacht college, geachte leden van de raad,",
        "evaluation_and_explanation": "Evaluatie en toelichting",
        "figures": "Cijfers",
        "legal_background": "Juridische achtergrond",
        "topics_for_discussion": "Bespreekpunten",
        "decisions_requested": "Gevraagde besluiten",
        "next_steps": "Vervolgstappen",
        "closing": "Met vriendelijke groet,",
    },
    "en": {
        "salutation": "Dear members of the council,",
        "evaluation_and_explanation": "Evaluation and explanation",
        "figures": "Figures",
        "legal_background": "Legal background",
        "topics_for_discussion": "Topics for discussion",
        "decisions_requested": "Decisions requested",
        "next_steps": "Next steps",
        "closing": "Kind regards,",
    },
}

_SECTIONS = ("evaluation_and_explanation", "legal_background", "topics_for_discussion", "decisions_requested",
             "next_steps")


@dataclass(frozen=True)
class CouncilBriefing:
    """The fields of a council briefing; free text is split into paragraphs on blank lines.

    Lines starting with '-' or '•' become bullet lists. Empty optional sections are left out.
    """

    evaluation_and_explanation: str
    legal_background: str = ""
    topics_for_discussion: str = ""
    decisions_requested: str = ""
    next_steps: str = ""
    #: Aggregate tables and charts (see `letters.figures`), shown after the evaluation.
    figures: tuple[Table | Chart, ...] = ()
    #: Opening line; empty for the default ('Geacht college, geachte leden van de raad,').
    salutation: str = ""
    #: Lines under 'Met vriendelijke groet,', e.g. ('Burgemeester en wethouders van Nijmegen',).
    signed_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_text("evaluation_and_explanation", self.evaluation_and_explanation, required=True)
        for name in _SECTIONS[1:]:
            check_text(name, getattr(self, name))
        check_items("figures", self.figures, (Table, Chart), max_items=MAX_FIGURES)
        check_line("salutation", self.salutation)
        check_items("signed_by", self.signed_by, str, max_items=6)
        for line in self.signed_by:
            check_line("signed_by", line)


def build(
    briefing: CouncilBriefing,
    *,
    sender: Sender,
    subject: str,
    reference: Reference | None = None,
    dated_on: date | None = None,
    recipient: Recipient | None = None,
    language: str = "nl",
    footer_note: str = "",
) -> Document:
    """Assemble the council briefing as a `Document` for `render_pdf` / `render_docx`.

    :raise InvalidFieldError: naming the letterhead field ('subject', 'language', ...) at fault.
    """
    text = _TEXT[check_language(language)]
    blocks: list[Block] = [Paragraph(briefing.salutation or text["salutation"])]
    for name in _SECTIONS:
        body = getattr(briefing, name)
        if body.strip():
            blocks += [Heading(text[name]), *text_blocks(body)]
        if name == "evaluation_and_explanation" and briefing.figures:
            blocks += [Heading(text["figures"]), *briefing.figures]
    blocks.append(Paragraph(text["closing"]))
    signers = [line.strip() for line in briefing.signed_by if line.strip()]
    if signers:
        blocks.append(Paragraph("\n".join(signers)))
    return make_document(blocks, sender=sender, subject=subject, reference=reference, dated_on=dated_on,
                         recipient=recipient, language=language, footer_note=footer_note)
