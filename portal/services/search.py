"""Search as a use case: drain pending index work, search with the user's principals, re-check hits.

The security filter is built here from `access.principals(user)` and applied inside the engine's
query; callers never supply it. Every hit is checked again with `can()` as a tripwire.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import Session

from portal import access, indexing
from portal.audit import AuditAction, Where, record
from portal.models import User
from portal.vocab import Action
from search_index import SearchBackend, SearchPage, SearchRequest

log = logging.getLogger(__name__)


class TripwireError(RuntimeError):
    """The index returned something `can()` denies: the index and the rules disagree."""


def search(session: Session, index: SearchBackend, *, actor: User, req: SearchRequest, today: date,
           where: Where | None = None) -> SearchPage:
    indexing.drain(session, index)
    page = index.search(req, principals=access.principals(actor, today=today))
    objs = indexing.load_hits(session, [hit.id for hit in page.hits])
    access.preload(objs.values())
    for hit in page.hits:
        obj = objs.get(hit.id)
        if obj is None or not access.can(actor, Action.VIEW, obj, today=today):
            log.error("search tripwire: %s returned for user %s", hit.id, actor.id)
            raise TripwireError(hit.id)
    record(session, actor, AuditAction.SEARCH, where=where,
           detail={"q": req.q[:200], "total": page.total, "page": req.page})
    return page


def suggest(session: Session, index: SearchBackend, *, actor: User, prefix: str, today: date) -> list[str]:
    return index.suggest(prefix, principals=access.principals(actor, today=today))
