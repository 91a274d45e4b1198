"""The search page: words in, security-trimmed hits with snippets and facets out."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from portal.extensions import db
from portal.services import search as search_service
from portal.views._common import current_day, page_arg
from portal.web.request_info import where
from portal.web.search_glue import get_index
from search_index import SearchRequest
from search_index.errors import InvalidSearchRequestError

bp = Blueprint("search", __name__)

FILTERS = {"type": "types", "client": "clients", "author": "authors", "organisation": "organisations",
           "life_domain": "life_domains"}


def request_from_args(args: Any) -> SearchRequest:
    """Build the request from query arguments; unknown values are refused by SearchRequest itself."""
    year = args.get("year", "")
    return SearchRequest(q=args.get("q", "").strip(), page=page_arg(), per_page=20,
                         sort="date" if args.get("sort") == "date" else "relevance",
                         year=int(year) if year.isdigit() else None,
                         **{field: tuple(args.getlist(arg)) for arg, field in FILTERS.items()})


@bp.get("/search")
def index() -> Any:
    q = request.args.get("q", "").strip()
    if not q:
        return render_template("search/index.html", q="", page=None, errors={})
    try:
        req = request_from_args(request.args)
    except InvalidSearchRequestError as exc:
        return render_template("search/index.html", q=q, page=None, errors={"q": str(exc)}), 400
    page = search_service.search(db.session, get_index(), actor=current_user, req=req, today=current_day(),
                                 where=where())
    return render_template("search/index.html", q=q, page=page, req=req, errors={})
