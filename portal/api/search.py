"""search?q=: the same security-trimmed search as the page."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from portal.api import bp
from portal.extensions import db
from portal.services import search as search_service
from portal.services.errors import ValidationError
from portal.views._common import current_day
from portal.views.search import request_from_args
from portal.web.request_info import where
from portal.web.search_glue import get_index
from search_index.errors import InvalidSearchRequestError


@bp.get("/search")
def search() -> Any:
    try:
        req = request_from_args(request.args)
    except InvalidSearchRequestError as exc:
        raise ValidationError({"q": str(exc)}) from exc
    if not req.q:
        raise ValidationError({"q": "q is required"})
    page = search_service.search(db.session, get_index(), actor=current_user, req=req, today=current_day(),
                                 where=where())
    return {"total": page.total, "page": page.page, "pages": page.pages, "did-you-mean": page.did_you_mean,
            "facets": {k: [{"value": v, "count": n} for v, n in vals] for k, vals in page.facets.items()},
            "items": [{"id": h.id, "type": h.type, "title": h.title, "url": h.url, "client": h.client,
                       "author": h.author, "modified-at": h.modified_at.isoformat(), "snippet-html": h.snippet_html}
                      for h in page.hits]}


@bp.get("/search/suggestions")
def suggestions() -> Any:
    prefix = request.args.get("q", "")[:100]
    return {"items": search_service.suggest(db.session, get_index(), actor=current_user, prefix=prefix,
                                            today=current_day())}
