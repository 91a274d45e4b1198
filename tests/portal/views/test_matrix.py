"""Authorisation matrix: every route with an id × every persona × own/other/consented/revoked/expired dossier.

The expected status follows from one table of who may view, write and share each dossier:
200 where allowed, 403 where she may view but not act, 404 where she may not even know it exists.
"""

from __future__ import annotations

import pytest

PERSONAS = ["case_manager", "other_cm", "peer_expert", "project_lead", "staff", "admin", "privacy_officer"]
DOSSIERS = ["own", "other", "consented", "revoked", "expired"]

VIEW = {"own": {"case_manager", "peer_expert"}, "other": {"other_cm"}, "consented": {"other_cm", "staff"},
        "revoked": {"other_cm"}, "expired": {"other_cm"}}
WRITE = {"own": {"case_manager", "peer_expert"}, "other": {"other_cm"}, "consented": {"other_cm"},
         "revoked": {"other_cm"}, "expired": {"other_cm"}}
SHARE = {"own": {"case_manager"}, "other": {"other_cm"}, "consented": {"other_cm"}, "revoked": {"other_cm"},
         "expired": {"other_cm"}}

# route template -> which table decides it
ROUTES = [
    ("/clients/{client}", VIEW),
    ("/notes/{note}", VIEW),
    ("/notes/{note}/history", VIEW),
    ("/clients/{client}/notes/new", WRITE),
    ("/clients/{client}/sharing", SHARE),
    ("/api/v1/clients/{client}", VIEW),
    ("/api/v1/clients/{client}/case-notes", VIEW),
    ("/api/v1/case-notes/{note}", VIEW),
]


def expected(table: dict, persona: str, dossier: str) -> int:
    if persona in table[dossier]:
        return 200
    if persona in VIEW[dossier]:
        return 403
    return 404


@pytest.fixture
def sessions(world, browser):  # noqa: ANN001, ANN201
    cache = {}

    def get(persona: str):  # noqa: ANN202
        if persona not in cache:
            cache[persona] = browser(world.users[persona])
        return cache[persona]
    return get


@pytest.mark.parametrize("persona", PERSONAS)
def test_route_matrix(world, sessions, persona):
    b = sessions(persona)
    failures = []
    for dossier in DOSSIERS:
        client, note = world.clients[dossier], world.notes[dossier]
        for template, table in ROUTES:
            path = template.format(client=client.id, note=note.id)
            status = b.get(path).status_code
            want = expected(table, persona, dossier)
            if status != want:
                failures.append(f"{path} ({dossier}): got {status}, want {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_unseen_and_missing_look_the_same(world, sessions, persona):
    """A 404 for a dossier she may not see has the same body as one for an id that does not exist."""
    b = sessions(persona)
    hidden = [c for d, c in world.clients.items() if persona not in VIEW[d]]
    if not hidden:
        pytest.skip("this persona sees every dossier")
    a = b.get(f"/clients/{hidden[0].id}")
    missing = b.get("/clients/999999")
    assert a.status_code == missing.status_code == 404
    assert hidden[0].display_name not in a.get_data(as_text=True)
    import re

    def strip(html: str) -> str:  # ids in links and the per-render CSRF signature differ by design
        html = re.sub(r'name="csrf_token" value="[^"]+"', "", html)
        return html.replace(str(hidden[0].id), "").replace("999999", "")
    assert strip(a.get_data(as_text=True)) == strip(missing.get_data(as_text=True))


def test_lists_show_only_visible_dossiers(world, sessions):
    for persona in PERSONAS:
        page = sessions(persona).get("/clients/").get_data(as_text=True)
        for dossier, client in world.clients.items():
            assert (client.display_name in page) is (persona in VIEW[dossier]), (persona, dossier)


def test_denials_are_audited(world, sessions, session):
    from sqlalchemy import select

    from portal.models import AuditEntry

    sessions("admin").get(f"/notes/{world.notes['own'].id}")
    row = session.scalars(select(AuditEntry).where(AuditEntry.allowed.is_(False))
                          .order_by(AuditEntry.seq.desc())).first()
    assert row is not None and row.username == "admin" and row.object_id == world.notes["own"].id


def test_every_view_of_client_data_is_audited(world, sessions, session):
    from sqlalchemy import func, select

    from portal.models import AuditEntry

    b = sessions("case_manager")
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    b.get(f"/notes/{world.notes['own'].id}")
    b.get(f"/api/v1/clients/{world.clients['own'].id}")
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(2)).all()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) >= before + 2
    assert {(r.action, r.object_type) for r in rows} == {("object:view", "case_note"), ("object:view", "client")}
    assert all(r.client_id == world.clients["own"].id for r in rows)


def test_start_page_naming_clients_is_audited(world, sessions, session):
    from sqlalchemy import select

    from portal.models import AuditEntry

    sessions("case_manager").get("/")
    row = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert row.action == "object:list" and "start page" in row.detail
    assert str(world.clients["own"].id) in row.detail
