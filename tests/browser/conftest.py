"""Browser tests: the portal served on 127.0.0.1 with the demo data, driven in Debian's Chromium.

Playwright's own browser download is not reachable here, so we launch /usr/bin/chromium (or
CHROMIUM_PATH). Without Chromium the tests are skipped with the reason, except under CI=true,
where they must run.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Demo-wachtwoord-2026"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium not found at {CHROMIUM}; CI requires the browser tests")
    pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.srv = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.srv.server_port}"
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.srv.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _require_chromium()
    from portal import create_app, demo, indexing
    from portal.cli import init_db
    from portal.extensions import db
    from portal.models.base import today
    from portal.web.search_glue import get_index

    path = tmp_path_factory.mktemp("live")
    app = create_app({"instance_path": path, "testing": True, "secure_cookies": False})
    with app.app_context():
        init_db()
        demo.load(db.session, today=today(), fast_hash=True)
        db.session.commit()
        get_index(app).rebuild(indexing.all_docs(db.session))
        db.session.remove()
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def browser_instance():  # noqa: ANN201
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance, live):  # noqa: ANN001, ANN201
    context = browser_instance.new_context(viewport={"width": 1280, "height": 900}, base_url=live.url)
    pg = context.new_page()
    yield pg
    context.close()


def totp_code(app: Flask, username: str) -> str:
    """The demo account's current code; the once-only rule is reset because tests log in faster than 30 s."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User
    from portal.services import accounts

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.totp_last_step = 0
        db.session.commit()
        code = accounts.current_code(user.totp_secret)
        db.session.remove()
        return code


def login(page, live: LiveServer, username: str) -> None:  # noqa: ANN001
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code(live.app, username))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(live.url + "/")


def axe_violations(page) -> list[dict]:  # noqa: ANN001
    """Serious and critical WCAG 2.1 A/AA violations on the current page (axe-core from npm)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe.from_file(str(AXE_JS)) if AXE_JS.exists() else Axe()
    res = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    return [v for v in res.response["violations"] if v.get("impact") in ("serious", "critical")]


def logout(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name=re.compile(r"^(Uitloggen|Log out)$")).click()
    page.wait_for_url("**/login")


def tab_to(page, selector: str, limit: int = 120) -> None:  # noqa: ANN001
    """Press Tab until the focused element matches the CSS `selector` (keyboard-only journeys)."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector!r} not reached with Tab in {limit} steps; focus is on "
                         + page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 200)"))


def keyboard_login(page, live: LiveServer, username: str) -> None:  # noqa: ANN001
    """Password and TOTP with the keyboard only: Tab to the fields, type, Enter."""
    page.goto("/login")
    tab_to(page, "#username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/code")
    tab_to(page, "input[autocomplete='one-time-code'], input[inputmode='numeric'], #code")
    page.keyboard.type(totp_code(live.app, username))
    page.keyboard.press("Enter")
    page.wait_for_url(live.url + "/")


def canvas_has_ink(page, selector: str) -> bool:  # noqa: ANN001
    """True when the canvas holds at least one pixel that is not fully transparent."""
    return page.evaluate("""s => { const c = document.querySelector(s);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false; }""", selector)
