"""SQL statements per page: a page costs a fixed number of queries, however many rows it shows.

Found with bench/load.py (issue #8): the client list, the start page and search ran the access
rules' queries once per dossier or hit. Each test measures a page, adds more of what the page lists,
and measures again: the count must not grow. A ceiling per page keeps the total from creeping up.
Counts, never times: speed is measured in bench/, not asserted here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal import indexing
from portal.models import Assignment, Consent, ConsentOrganisation, LocalRole
from portal.models.base import today
from portal.models.consents import ConsentState
from portal.vocab import LocalRoleName
from portal.web.search_glue import get_index
from tests.factories import create_client, create_note, create_user

#: Ceilings per page, a little above what the pages cost today (SQLite and PostgreSQL alike).
CEILING = {"dossier": 24, "clients": 20, "start": 22, "search": 20}


def _page_cost(b, count_queries, path: str) -> int:  # noqa: ANN001
    b.get(path)  # warm: the session's last-seen write and first-use caches are not what we count
    with count_queries() as seen:
        resp = b.get(path)
    assert resp.status_code == 200, path
    return len(seen)


def _more_dossiers(session, world, n: int) -> None:  # noqa: ANN001
    """Dossiers she sees in each way a list meets them: assigned, shared with her, shared with her team."""
    cm = world.users["case_manager"]
    for i in range(n):
        client = create_client(session, f"EXTRA{i}", world.workspaces["STAP"])
        if i % 2:
            session.add(Assignment(client_id=client.id, user_id=cm.id))
        else:
            session.add(LocalRole(object_type="client", object_id=client.id, principal_kind="user",
                                  principal_id=cm.id, role=LocalRoleName.READER, granted_by_id=cm.id))
        create_note(session, client, cm, title="Woning bezocht", text="Gesprek over een woning.")
    session.commit()


@pytest.mark.parametrize(("page", "path"), [("clients", "/clients/"), ("start", "/")])
def test_dossier_lists_cost_the_same_for_more_dossiers(world, browser, session, count_queries, page, path):
    b = browser(world.users["case_manager"])
    before = _page_cost(b, count_queries, path)
    _more_dossiers(session, world, 8)
    after = _page_cost(b, count_queries, path)
    assert after == before, f"{path}: {before} queries with few dossiers, {after} with 8 more"
    assert after <= CEILING[page]


def test_dossier_page_costs_the_same_for_more_notes_consents_and_team(world, browser, session, count_queries):
    own, cm = world.clients["own"], world.users["case_manager"]

    def add(i: int) -> None:  # a colleague on the team, her note shared with an organisation, a consent
        colleague = create_user(session, f"colleague-{i}", cm.role, world.orgs["IRIS" if i % 2 else "GGD"])
        session.add(Assignment(client_id=own.id, user_id=colleague.id))
        note = create_note(session, own, colleague, title=f"Notitie {i}")
        session.add(LocalRole(object_type="case_note", object_id=note.id, principal_kind="organisation",
                              principal_id=world.orgs["WI"].id, role=LocalRoleName.READER, granted_by_id=cm.id))
        consent = Consent(client_id=own.id, created_by_id=cm.id, reference=f"Q/2026/{i:04d}",
                          categories=["general"], purpose="Samenwerking", starts_on=today(),
                          ends_on=today() + timedelta(days=300), state=ConsentState.SIGNED)
        session.add(consent)
        session.flush()
        session.add(ConsentOrganisation(consent_id=consent.id, organisation_id=world.orgs["WI"].id))
        session.commit()

    add(0)
    b = browser(cm)
    path = f"/clients/{own.id}"
    before = _page_cost(b, count_queries, path)
    for i in range(1, 7):
        add(i)
    after = _page_cost(b, count_queries, path)
    assert after == before, f"dossier: {before} queries, {after} with 6 more notes, consents and colleagues"
    assert after <= CEILING["dossier"]


def _index_all(session, app) -> None:  # noqa: ANN001
    from portal.models import CaseNote

    for note_id in session.scalars(CaseNote.__table__.select().with_only_columns(CaseNote.id)):
        indexing.enqueue(session, "case_note", note_id)
    session.commit()
    indexing.drain(session, get_index(app))


def test_search_costs_the_same_for_more_hits(world, browser, session, app, count_queries):
    cm = world.users["case_manager"]
    note = world.notes["own"]
    note.title, note.text = "Woning gezocht", "Gesprek over een woning."
    session.commit()
    _index_all(session, app)
    b = browser(cm)
    before = _page_cost(b, count_queries, "/search?q=woning")
    _more_dossiers(session, world, 8)
    _index_all(session, app)
    page = b.get("/search?q=woning").get_data(as_text=True)
    assert page.count("/notes/") >= 9  # the new dossiers' notes are hits
    after = _page_cost(b, count_queries, "/search?q=woning")
    assert after == before, f"search: {before} queries for 1 hit, {after} for 9"
    assert after <= CEILING["search"]
