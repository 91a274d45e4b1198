"""Deny by default: every endpoint needs a login unless it is explicitly public."""

from __future__ import annotations

import re

PUBLIC = {"static", "auth.login", "auth.language", "home.health", "api.openapi"}


def test_only_known_endpoints_are_public(app):
    from portal.web.guards import is_public_endpoint

    public = {rule.endpoint for rule in app.url_map.iter_rules() if is_public_endpoint(app, rule.endpoint)}
    assert public == PUBLIC


def test_anonymous_gets_login_or_401_everywhere(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "x")
        path = re.sub(r"<any\((\w+)[^)]*\):kind>", r"\1", path)  # the first choice, e.g. 'clients'
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        r = client.open(path, method=method)
        if path.startswith("/api/"):
            assert r.status_code == 401, path
            assert r.mimetype == "application/problem+json"
        else:
            assert r.status_code in (302, 400), path  # 400: POST without a CSRF token is refused first
            if r.status_code == 302:
                assert "/login" in r.location


def test_post_without_csrf_token_is_refused(world, browser):
    b = browser(world.users["case_manager"])
    r = b.client.post(f"/clients/{world.clients['own'].id}/notes/new",
                      data={"title": "x", "text": "y", "noted_on": "2026-01-01", "data_category": "general",
                            "confidentiality": "intern"})
    assert r.status_code == 400
    r = b.post(f"/clients/{world.clients['own'].id}/notes/new",
               data={"title": "x", "text": "y", "noted_on": "2026-01-01", "data_category": "general",
                     "confidentiality": "intern"})
    assert r.status_code == 302


def test_security_headers(app):
    r = app.test_client().get("/login")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_flags(tmp_path):
    from portal import create_app

    app = create_app({"instance_path": tmp_path, "testing": True})  # no request: the database is not touched
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
