"""Memo (interne notitie) for a workspace: reviewed and sent like the other project documents."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from letters.memo import Memo, build
from letters.model import Document
from portal.doctypes import Context, DocKind, Field, register
from portal.models.documents import DocType


def _build(f: dict[str, Any], ctx: Context) -> Document:
    memo = Memo(body=f["body"], to=f["to"], author=f["author"], cc=f["cc"], action_points=f["action_points"])
    return build(memo, sender=ctx.sender, subject=ctx.subject, reference=ctx.reference, dated_on=ctx.dated_on,
                 footer_note=ctx.footer_note)


KIND = register(DocKind(
    type=DocType.MEMO, label=_l("Memo"), series="MEMO", workflow="review",
    fields=(
        Field("to", _l("Aan"), "line", help=_l("Bijvoorbeeld: Stuurgroep, of de namen van de lezers")),
        Field("author", _l("Van"), "line"),
        Field("cc", _l("Kopie aan"), "line"),
        Field("body", _l("Tekst"), required=True,
              help=_l("Witregel tussen alinea's; regels die met '-' beginnen worden een opsomming.")),
        Field("action_points", _l("Actiepunten"), help=_l("Regels die met '-' beginnen worden een opsomming.")),
    ),
    builder=_build,
))
