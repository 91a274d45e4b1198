"""letterheads: the functional admin reads and sets an organisation's letterhead (DESIGN §12).

PUT saves a new version; `logo` is base64 PNG/JPEG (checked by content), omitted to keep the
current logo, or null to remove it.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.api import bp
from portal.api._util import json_body, list_field, str_field
from portal.extensions import db
from portal.models import Letterhead, Organisation
from portal.services import letterheads
from portal.services.errors import TooLargeError, ValidationError
from portal.views.documents import archive
from portal.views.letterheads import organisation
from portal.vocab import Action
from portal.web.request_info import where

#: The base64 text of the largest logo, plus slack.
MAX_LOGO_B64 = (letterheads.MAX_LOGO_BYTES * 4) // 3 + 16


def letterhead_json(org: Organisation, lh: Letterhead | None) -> dict[str, Any]:
    out: dict[str, Any] = {"organisation": org.code, "name": org.name, "version": lh.version if lh else None,
                           "address-lines": list(lh.address_lines) if lh else [], "phone": lh.phone if lh else "",
                           "email": lh.email if lh else "", "website": lh.website if lh else "",
                           "colour": lh.colour if lh else letterheads.DEFAULT_COLOUR,
                           "logo": None, "_links": {"self": {"href": url_for("api.letterhead", code=org.code)}}}
    if lh is not None and lh.logo_file is not None:
        out["logo"] = {"sha256": lh.logo_file.sha256, "size": lh.logo_file.size, "media-type": "image/png"}
        out["_links"]["logo"] = {"href": url_for("letterheads.logo", code=org.code, version=lh.version)}
    return out


@bp.get("/letterheads")
def letterhead_list() -> Any:
    access.require(current_user, Action.MANAGE)
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    return {"_embedded": {"letterheads": [letterhead_json(o, letterheads.current(db.session, o.id)) for o in orgs]}}


@bp.get("/letterheads/<code>")
def letterhead(code: str) -> Any:
    access.require(current_user, Action.MANAGE)
    org = organisation(code)
    return letterhead_json(org, letterheads.current(db.session, org.id))


@bp.put("/letterheads/<code>")
def letterhead_put(code: str) -> Any:
    access.require(current_user, Action.MANAGE)
    org = organisation(code)
    data = json_body()
    logo: bytes | None = None
    raw = data.get("logo", ...)
    if raw is not ... and raw is not None:
        if not isinstance(raw, str):
            raise ValidationError({"logo": str(_l("Stuur het logo als base64-tekst, of null om het te verwijderen."))})
        if len(raw) > MAX_LOGO_B64:
            raise TooLargeError({"logo": str(_l("Het logo is groter dan %(kb)s kB.",
                                                kb=letterheads.MAX_LOGO_BYTES // 1024))})
        try:
            logo = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError({"logo": str(_l("Het logo is geen geldige base64-tekst."))}) from exc
        if not logo:
            raise ValidationError({"logo": str(_l("Het logo moet een PNG- of JPEG-afbeelding zijn."))})
    row = letterheads.save(
        db.session, actor=current_user, organisation=org, archive=archive(),
        address="\n".join(list_field(data, "address-lines")), phone=str_field(data, "phone"),
        email=str_field(data, "email"), website=str_field(data, "website"),
        colour=str_field(data, "colour", letterheads.DEFAULT_COLOUR), logo=logo,
        logo_type=str_field(data, "logo-media-type"), remove_logo=raw is None, where=where())
    return letterhead_json(org, row)
