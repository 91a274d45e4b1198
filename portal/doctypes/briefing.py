"""Council briefing (raadsinformatiebrief), after seed 004 §8.6."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from letters.council_briefing import CouncilBriefing, build
from letters.model import Document, Recipient
from portal.doctypes import Context, DocKind, Field, register
from portal.doctypes._lines import plain_lines
from portal.models.documents import DocType

#: Aggregate figures a briefing may embed (computed by portal.services.figures).
FIGURES = (("housing", _l("Woonsituatie")), ("permits", _l("Vergunningen")),
           ("contact", _l("Contactfrequentie")), ("finances", _l("Financiële situatie")),
           ("zrm", _l("ZRM: eerste en laatste meting")))


def _build(f: dict[str, Any], ctx: Context) -> Document:
    briefing = CouncilBriefing(
        evaluation_and_explanation=f["evaluation_and_explanation"], legal_background=f["legal_background"],
        topics_for_discussion=f["topics_for_discussion"], decisions_requested=f["decisions_requested"],
        next_steps=f["next_steps"], figures=ctx.figures, signed_by=plain_lines(f["signed_by"])[:6])
    recipient = Recipient(f["recipient"]) if f["recipient"] else None
    return build(briefing, sender=ctx.sender, subject=ctx.subject, reference=ctx.reference, dated_on=ctx.dated_on,
                 recipient=recipient, footer_note=ctx.footer_note)


KIND = register(DocKind(
    type=DocType.COUNCIL_BRIEFING, label=_l("Raadsinformatiebrief"), series="RIB", workflow="review",
    fields=(
        Field("recipient", _l("Geadresseerde"), "line", help=_l("Bijvoorbeeld: Aan de gemeenteraad van Nijmegen")),
        Field("evaluation_and_explanation", _l("Evaluatie en toelichting"), required=True,
              help=_l("Witregel tussen alinea's; regels die met '-' beginnen worden een opsomming.")),
        Field("figures", _l("Cijfers uit de dossiers"), "choices", choices=FIGURES,
              help=_l("Geaggregeerd over alle cliënten; aantallen kleiner dan de drempel worden niet getoond.")),
        Field("legal_background", _l("Juridische ontwikkelingen en achtergrond")),
        Field("topics_for_discussion", _l("Gespreksonderwerpen")),
        Field("decisions_requested", _l("Gevraagde besluiten")),
        Field("next_steps", _l("Vervolgstappen")),
        Field("signed_by", _l("Ondertekening"), "lines", help=_l("Eén regel per naam of functie.")),
    ),
    builder=_build,
))
