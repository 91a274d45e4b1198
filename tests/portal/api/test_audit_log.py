"""GET /api/v1/audit-log: the privacy officer's audit trail, filtered and paged like the /audit page."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal import audit
from portal.audit import AuditAction
from portal.models import AuditEntry
from tests.portal.api.conftest import PERSONAS

JAN, FEB, MAR = (datetime(2026, m, 15, 12, 0, tzinfo=UTC) for m in (1, 2, 3))


@pytest.fixture
def log(world, session):  # noqa: ANN001, ANN201
    """A known log: case-manager views in January and February, a staff denial in March, a login."""
    cm, staff = world.users["case_manager"], world.users["staff"]
    for at in (JAN, JAN + timedelta(hours=1), FEB):
        audit.record(session, cm, AuditAction.VIEW, world.notes["own"], at=at, detail={"via": "test"})
    audit.record(session, staff, AuditAction.DENIED, world.notes["own"], allowed=False, at=MAR)
    audit.record(session, staff, AuditAction.VIEW, world.notes["consented"], at=MAR)
    audit.record(session, staff, AuditAction.LOGIN, at=MAR)
    session.commit()
    return world


def _seqs(session, *where) -> list[int]:  # noqa: ANN001, ANN002
    return list(session.scalars(select(AuditEntry.seq).where(*where).order_by(AuditEntry.seq.desc())))


def test_privacy_officer_reads_the_log_newest_first(log, app, token, session):
    r = app.test_client().get("/api/v1/audit-log", headers=token("privacy_officer"))
    assert r.status_code == 200, r.json
    items = r.json["items"]
    assert [i["seq"] for i in items] == sorted((i["seq"] for i in items), reverse=True)
    first_view = next(i for i in items if i["action"] == "object:view" and i["at"].startswith("2026-01-15T12"))
    assert first_view == {
        "seq": first_view["seq"], "at": "2026-01-15T12:00:00+00:00", "user": "case-manager", "role": "case_manager",
        "organisation": "GGD", "action": "object:view", "object-type": "case_note",
        "object-id": log.notes["own"].id, "client-id": log.clients["own"].id, "allowed": True,
        "emergency-reason": "", "remote-addr": "", "detail": {"via": "test"}}
    assert r.json["page"] == 1 and r.json["per-page"] == 50 and "next" not in r.json["_links"]


@pytest.mark.parametrize(("query", "where"), [
    ("user=staff", lambda w: [AuditEntry.username == "staff"]),
    ("client={own}", lambda w: [AuditEntry.client_id == w.clients["own"].id]),
    ("action=object:view", lambda w: [AuditEntry.action == "object:view"]),
    ("denied=1", lambda w: [AuditEntry.allowed.is_(False)]),
    ("from=2026-02-01&to=2026-02-28", lambda w: [AuditEntry.at >= datetime(2026, 2, 1, tzinfo=UTC),
                                                 AuditEntry.at < datetime(2026, 3, 1, tzinfo=UTC)]),
    ("to=2026-01-15", lambda w: [AuditEntry.at < datetime(2026, 1, 16, tzinfo=UTC)]),
    ("user=case-manager&action=object:view&from=2026-01-16",
     lambda w: [AuditEntry.username == "case-manager", AuditEntry.action == "object:view",
                AuditEntry.at >= datetime(2026, 1, 16, tzinfo=UTC)]),
])
def test_filters_select_exactly_the_matching_entries(log, app, token, session, query, where):
    headers = token("privacy_officer")
    expected = _seqs(session, *where(log))
    everything = _seqs(session)
    assert expected and len(expected) < len(everything)  # the filter has something to keep and to drop
    r = app.test_client().get(f"/api/v1/audit-log?{query.format(own=log.clients['own'].id)}", headers=headers)
    assert r.status_code == 200, r.json
    assert [i["seq"] for i in r.json["items"]] == expected


def test_pages_follow_next_links_without_gaps_or_overlap(log, app, token, session):
    c, headers = app.test_client(), token("privacy_officer")
    # The filter keeps the officer's own looks (audit:view) out, so the log does not grow under the pages.
    expected = _seqs(session, AuditEntry.action == "object:view")
    assert len(expected) == 4
    url, pages = "/api/v1/audit-log?action=object:view&per-page=3", []
    while url:
        r = c.get(url, headers=headers)
        assert r.status_code == 200, r.json
        pages.append([i["seq"] for i in r.json["items"]])
        assert r.json["_links"]["self"]["href"].startswith("/api/v1/audit-log?")
        url = r.json["_links"].get("next", {}).get("href")
    assert pages == [expected[:3], expected[3:]]
    prev = r.json["_links"]["prev"]["href"]
    assert "action=object:view" in prev and "per-page=3" in prev and "page=1" in prev
    assert "page=2" in r.json["_links"]["self"]["href"]


def test_pages_of_the_whole_log_hold_still_while_each_look_adds_an_entry(log, app, token, session):
    """Every look records an audit:view entry at the top of the log; the next page must still start
    right after the previous one (it showed the last row twice before pages were pinned with upto)."""
    c, headers = app.test_client(), token("privacy_officer")
    expected = _seqs(session)
    url, pages = "/api/v1/audit-log?per-page=2", []
    while url:
        r = c.get(url, headers=headers)
        assert r.status_code == 200, r.json
        pages.append([i["seq"] for i in r.json["items"]])
        url = r.json["_links"].get("next", {}).get("href")
    assert [seq for page in pages for seq in page] == expected and len(pages) == (len(expected) + 1) // 2
    assert f"upto={expected[0]}" in r.json["_links"]["prev"]["href"]
    assert len(_seqs(session, AuditEntry.action == "audit:view")) == len(pages)  # yet every look was recorded


def test_the_page_pins_its_pages_too_and_names_a_bad_filter_in_the_form(log, browser, session, monkeypatch):
    from portal.views import audit_log as view

    monkeypatch.setattr(view, "PER_PAGE", 2)
    b = browser(log.users["privacy_officer"])
    expected = _seqs(session)
    row = re.compile(r'<tr class="utrecht-table__row">\s*<td class="utrecht-table__cell">(\d+)<')
    html = b.get("/audit/").get_data(as_text=True)
    first = [int(s) for s in row.findall(html)]
    next_href = re.search(r'href="([^"]+)">Volgende<', html).group(1).replace("&amp;", "&")
    assert f"upto={expected[0]}" in next_href
    html = b.get(next_href).get_data(as_text=True)
    second = [int(s) for s in row.findall(html)]
    assert first + second == expected[:4]

    bad = b.get("/audit/?client=OWN&from=gisteren")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'href="#client"' in text and 'id="client-error"' in text and 'aria-describedby="client-error"' in text
    assert 'id="from-error"' in text and 'value="OWN"' in text  # the form again, with what was typed
    assert "<tbody" not in text  # no rows that would look filtered


def test_every_look_is_itself_audited_with_its_filters(log, app, token, session):
    officer = log.users["privacy_officer"]
    r = app.test_client().get(f"/api/v1/audit-log?user=staff&client={log.clients['own'].id}",
                              headers=token("privacy_officer"))
    assert r.status_code == 200
    session.expire_all()
    look = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (look.action, look.user_id, look.allowed) == ("audit:view", officer.id, True)
    assert json.loads(look.detail) == {"user": "staff", "client": str(log.clients["own"].id), "api": True}
    assert look.seq not in [i["seq"] for i in r.json["items"]]  # recorded after the read, seen on the next look


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "privacy_officer"])
def test_everyone_else_is_refused(log, app, token, session, persona):
    r = app.test_client().get("/api/v1/audit-log?page=0", headers=token(persona))  # 403 before any 400
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert "items" not in r.json
    session.expire_all()
    assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first() == "access:denied"
    assert _seqs(session, AuditEntry.action == "audit:view") == []


def test_anonymous_is_401(log, app):
    r = app.test_client().get("/api/v1/audit-log")
    assert r.status_code == 401 and r.mimetype == "application/problem+json"


@pytest.mark.parametrize(("query", "param"), [
    ("from=gisteren", "from"),
    ("to=2026-13-01", "to"),
    ("from=2026-03-01&to=2026-02-01", "to"),
    ("client=OWN", "client"),
    ("client=-1", "client"),
    ("action=object:steal", "action"),
    ("denied=yes", "denied"),
    ("denied=2", "denied"),
    ("page=0", "page"),
    ("page=-3", "page"),
    ("page=twee", "page"),
    ("per-page=101", "per-page"),
    ("per-page=0", "per-page"),
])
def test_bad_parameters_are_400_and_named(log, app, token, session, query, param):
    before = _seqs(session)
    r = app.test_client().get(f"/api/v1/audit-log?{query}", headers=token("privacy_officer"))
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert [p["name"] for p in r.json["invalid-params"]] == [param]
    assert r.json["title"] == "De invoer is niet in orde"  # Dutch unless the caller asks otherwise
    session.expire_all()
    assert _seqs(session) == before  # a refused look is no look: nothing recorded


def test_several_bad_filters_are_all_named(log, app, token):
    r = app.test_client().get("/api/v1/audit-log?client=x&action=y&denied=z", headers=token("privacy_officer"))
    assert r.status_code == 400
    assert {p["name"] for p in r.json["invalid-params"]} == {"client", "action", "denied"}


def test_page_and_api_share_the_filter(log, app, token, browser):
    query = "user=case-manager&from=2026-01-16"
    api = app.test_client().get(f"/api/v1/audit-log?{query}", headers=token("privacy_officer")).json
    page = browser(log.users["privacy_officer"]).get(f"/audit/?{query}")
    assert page.status_code == 200
    rows = page.get_data(as_text=True).split("<tbody")[1]
    first_cells = re.findall(r'<tr class="utrecht-table__row">\s*<td class="utrecht-table__cell">(\d+)</td>', rows)
    shown = [int(s) for s in first_cells]
    assert shown and [i["seq"] for i in api["items"]] == shown
    bad = browser(log.users["privacy_officer"]).get("/audit/?client=OWN")
    assert bad.status_code == 400 and "Vul het nummer van de cliënt in" in bad.get_data(as_text=True)


def test_emergency_access_is_listed_and_reviewed_through_the_api(log, app, token, session):
    from portal.models import EmergencyGrant
    from portal.services import emergency

    grant = emergency.request_access(session, actor=log.users["case_manager"], client=log.clients["other"],
                                     reason="Cliënte meldt zich in crisis op het spreekuur.", minutes=60)
    session.commit()
    c, officer = app.test_client(), token("privacy_officer")
    listed = c.get("/api/v1/audit-log/emergency-grants", headers=officer).json["items"]
    assert [(g["id"], g["user"], g["reviewed"]) for g in listed] == [(grant.id, "case-manager", False)]
    assert c.post(f"/api/v1/audit-log/emergency-grants/{grant.id}/review", headers=token("admin"),
                  json={"note": "x"}).status_code == 403
    assert c.post("/api/v1/audit-log/emergency-grants/99999/review", headers=officer).status_code == 404
    r = c.post(f"/api/v1/audit-log/emergency-grants/{grant.id}/review", headers=officer,
               json={"note": "Terecht: crisis."})
    assert r.status_code == 200, r.json
    assert r.json["reviewed"] is True and r.json["review-note"] == "Terecht: crisis."
    session.expire_all()
    assert session.get(EmergencyGrant, grant.id).reviewed_by_id == log.users["privacy_officer"].id
    assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first() == \
        "access:emergency_review"
    assert c.get("/api/v1/audit-log/emergency-grants", headers=officer).json["items"] == []
