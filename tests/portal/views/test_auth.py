"""Login, two-factor, sessions, lockout, re-authentication, redirects."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.models import User, UserSession
from portal.models.base import utcnow
from portal.services import accounts
from tests.conftest import csrf_token


def _password_step(client, username, password="Demo-wachtwoord-2026", next_=""):  # noqa: S107  # noqa: ANN001, ANN202
    return client.post("/login", data={"username": username, "password": password, "next": next_,
                                       "csrf_token": csrf_token(client)})


def test_password_alone_does_not_open_the_portal(world, app):
    c = app.test_client()
    assert _password_step(c, "case-manager").location.endswith("/login/code")
    assert c.get("/clients/").location.endswith("/login/code")
    assert c.get(f"/api/v1/clients/{world.clients['own'].id}").status_code == 401


def test_totp_code_is_accepted_once(world, app, session):
    user = world.users["case_manager"]
    c1, c2 = app.test_client(), app.test_client()
    _password_step(c1, user.username)
    _password_step(c2, user.username)
    code = accounts.current_code(user.totp_secret)
    r1 = c1.post("/login/code", data={"code": code, "csrf_token": csrf_token(c1, "/login/code")})
    assert r1.status_code == 302
    r2 = c2.post("/login/code", data={"code": code, "csrf_token": csrf_token(c2, "/login/code")})
    assert r2.status_code == 400 and "al gebruikt" in r2.get_data(as_text=True)


def test_wrong_totp_codes_lock_the_account(world, app, session):
    user = world.users["case_manager"]
    c = app.test_client()
    _password_step(c, user.username)
    for _ in range(5):
        c.post("/login/code", data={"code": "000000", "csrf_token": csrf_token(c, "/login/code")})
    session.refresh(user)
    assert accounts.is_locked(user)


def test_lockout_after_failed_passwords(world, app, session):
    c = app.test_client()
    for _ in range(5):
        assert _password_step(c, "staff", "wrong-password-123").status_code == 400
    r = _password_step(c, "staff")
    assert r.status_code == 429
    assert "geblokkeerd" in r.get_data(as_text=True)


def test_unknown_user_gets_the_same_message(world, app):
    c = app.test_client()
    a = _password_step(c, "nobody-here", "whatever-password").get_data(as_text=True)
    assert "Gebruikersnaam of wachtwoord klopt niet" in a


def test_enrolment_with_qr_code(world, app, session):
    user = world.users["staff"]
    user.totp_secret = None
    session.commit()
    c = app.test_client()
    assert _password_step(c, "staff").location.endswith("/login/enrol")
    page = c.get("/login/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    session.refresh(user)
    secret = user.totp_pending_secret
    assert secret and secret in page
    r = c.post("/login/enrol", data={"code": "123456", "csrf_token": csrf_token(c, "/login/enrol")})
    assert r.status_code == 400
    r = c.post("/login/enrol", data={"code": accounts.current_code(secret),
                                     "csrf_token": csrf_token(c, "/login/enrol")})
    assert r.status_code == 302
    session.refresh(user)
    assert user.totp_secret == secret and user.totp_pending_secret is None
    assert c.get("/clients/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_no_open_redirect_after_login(world, app, target):
    c = app.test_client()
    _password_step(c, "case-manager", next_=target)
    r = c.post("/login/code", data={"code": accounts.current_code(world.users["case_manager"].totp_secret),
                                    "csrf_token": csrf_token(c, "/login/code")})
    assert r.status_code == 302
    assert r.location == "/"


def test_local_next_is_kept(world, app):
    c = app.test_client()
    _password_step(c, "case-manager", next_="/clients/")
    r = c.post("/login/code", data={"code": accounts.current_code(world.users["case_manager"].totp_secret),
                                    "csrf_token": csrf_token(c, "/login/code")})
    assert r.location == "/clients/"


def test_session_id_changes_at_login(world, app):
    """Session fixation: a cookie set before login is not the one used after it."""
    c = app.test_client()
    c.get("/login")
    before = c.get_cookie("portal_session").value
    _password_step(c, "case-manager")
    assert c.get_cookie("portal_session").value != before


def test_idle_session_ends(world, browser, session):
    b = browser(world.users["case_manager"])
    assert b.get("/clients/").status_code == 200
    row = session.scalar(select(UserSession).where(UserSession.ended_at.is_(None)))
    row.last_seen_at = utcnow() - timedelta(minutes=16)
    session.commit()
    r = b.get("/clients/")
    assert r.status_code == 302 and "/login" in r.location
    session.refresh(row)
    assert row.ended_reason == "idle"


def test_logout_ends_server_session(world, browser, session):
    b = browser(world.users["case_manager"])
    cookie = b.client.get_cookie("portal_session").value
    b.post("/logout")
    other = b.app.test_client()
    other.set_cookie("portal_session", cookie)
    assert other.get("/clients/").status_code == 302  # replaying the old cookie does not work


def test_user_can_list_and_end_her_sessions(world, browser, session):
    user = world.users["case_manager"]
    laptop, tablet = browser(user), browser(user)
    page = laptop.get("/account").get_data(as_text=True)
    assert page.count("Beëindigen") == 2
    tablet_row = session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))
                                 .order_by(UserSession.id.desc())).first()
    laptop.post(f"/account/sessions/{tablet_row.id}/end")
    assert tablet.get("/clients/").status_code == 302


def test_password_change_ends_all_sessions(world, browser, session):
    user = world.users["case_manager"]
    a, b = browser(user), browser(user)
    r = a.post("/account/password", data={"current": "Demo-wachtwoord-2026", "new": "Een-heel-nieuw-wachtwoord",
                                          "repeat": "Een-heel-nieuw-wachtwoord"})
    assert r.status_code == 302
    assert a.get("/clients/").status_code == 302
    assert b.get("/clients/").status_code == 302


def test_password_change_bad_input_names_fields(world, browser):
    b = browser(world.users["case_manager"])
    r = b.post("/account/password", data={"current": "wrong", "new": "short", "repeat": "other"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "minstens 12 tekens" in body and "niet gelijk" in body


def test_deactivation_ends_sessions_roles_and_shares(world, browser, session):
    from datetime import date

    from portal import access
    from portal.services import sharing
    from portal.vocab import Action

    cm = world.users["case_manager"]
    sharing.grant(session, actor=cm, obj=world.notes["own"], principal_kind="user",
                  principal_id=world.users["staff"].id, role="reader", today=date.today())
    session.commit()
    staff_browser = browser(world.users["staff"])
    assert staff_browser.get(f"/notes/{world.notes['own'].id}").status_code == 200
    admin = browser(world.users["admin"])
    assert admin.post(f"/admin/users/{world.users['staff'].id}/deactivate").status_code == 302
    assert staff_browser.get("/clients/").status_code == 302
    staff = session.get(User, world.users["staff"].id)
    assert not staff.is_active
    assert not sharing.entries(session, world.notes["own"])
    staff.is_active_flag = True
    assert not access.can(staff, Action.VIEW, world.notes["own"])


def test_reauth_needed_for_sharing_after_some_minutes(world, browser, session):
    b = browser(world.users["case_manager"])
    row = session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    row.reauth_at = utcnow() - timedelta(minutes=30)
    session.commit()
    url = f"/clients/{world.clients['own'].id}/sharing"
    r = b.post(url, data={"principal_kind": "user", "principal_user": world.users["staff"].id, "role": "reader"},
               headers={"Referer": f"http://localhost{url}"})  # browsers send an absolute referrer
    assert r.status_code == 302 and "/reauth" in r.location
    from urllib.parse import parse_qs, urlsplit
    back = parse_qs(urlsplit(r.location).query)["next"][0]
    assert back == url
    r = b.post("/reauth", data={"password": "Demo-wachtwoord-2026", "next": back})
    assert r.location == url
    r = b.post(url, data={"principal_kind": "user", "principal_user": world.users["staff"].id, "role": "reader"})
    assert r.status_code == 302


def test_language_switch(world, browser):
    b = browser(world.users["case_manager"])
    assert "Cliënten" in b.get("/clients/").get_data(as_text=True)
    b.post("/language/en", data={"next": "/clients/"})
    page = b.get("/clients/").get_data(as_text=True)
    assert 'lang="en"' in page and "Clients" in page
