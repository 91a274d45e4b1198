"""The journeys in a real browser: login with 2FA, dossier, search with security trimming, keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, axe_violations, login, totp_code

pytestmark = pytest.mark.browser
ROOS = re.compile(r"^\s*Roos ·")  # not Klaproos


def test_case_manager_logs_in_with_two_factor_and_opens_a_client(page, live):
    login(page, live, "sanne")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sanne Veldkamp")
    page.get_by_role("link", name="Roos").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Roos")
    expect(page.get_by_role("table")).to_be_visible()


def test_staff_search_shows_only_permitted_hits_and_revocation_removes_them(page, live):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Client, Consent
    from portal.models.consents import ConsentState

    login(page, live, "lotte")  # Work & Income: consents open general, housing, finances, work & income
    page.goto("/search")
    page.get_by_label("Zoekwoorden").fill("uitkeringen")
    page.get_by_role("button", name="Zoeken").click()
    results = page.locator(".portal-result")
    expect(results.first).to_be_visible()
    body = page.content()
    assert "Huisartsbezoek" not in body  # health notes are not opened by her department's consents
    with live.app.app_context():
        consent = db.session.scalar(select(Consent).join(Client).where(Client.display_name == "Roos"))
        roos_hits = page.locator(".portal-result .portal-muted", has_text=ROOS).count()
        consent.state = ConsentState.REVOKED
        db.session.commit()
        db.session.remove()
    page.reload()
    assert roos_hits > 0
    expect(page.locator(".portal-result .portal-muted", has_text=ROOS)).to_have_count(0)
    expect(results.first).to_be_visible()  # other dossiers with a valid consent still show


def test_keyboard_only_login_and_search(page, live):
    page.goto("/login")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    for _ in range(8):
        if page.evaluate("document.activeElement.id") == "username":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("hamid")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/code")
    assert page.evaluate("document.activeElement.tagName") in ("BODY", "INPUT")
    page.get_by_label("Code uit uw authenticator-app").focus()
    page.keyboard.type(totp_code(live.app, "hamid"))
    page.keyboard.press("Enter")
    page.wait_for_url(live.url + "/")
    page.goto("/search")
    page.get_by_label("Zoekwoorden").focus()
    page.keyboard.type("woning")
    page.keyboard.press("Enter")
    expect(page.locator(".portal-result").first).to_be_visible()


def test_tablet_width_has_no_horizontal_scroll(browser_instance, live):
    context = browser_instance.new_context(viewport={"width": 768, "height": 1024}, base_url=live.url)
    page = context.new_page()
    login(page, live, "sanne")
    for path in ("/", "/clients/", "/search?q=woning"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    context.close()


MAIN_PAGES = ["/", "/clients/", "/clients/1", "/notes/1", "/notes/1/history", "/clients/1/sharing",
              "/clients/1/notes/new", "/clients/new", "/clients/1/edit", "/search?q=woning", "/account",
              # letters and plans: sanne's client plan with its ZRM chart (demo document 4), its form and history
              "/documents", "/clients/1/plans", "/documents/4", "/documents/4/edit", "/documents/4/history"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_main_pages_have_no_serious_accessibility_violations(page, live, lang):
    login(page, live, "sanne")
    if lang == "en":
        page.get_by_role("button", name="English").click()
    problems = {}
    for path in MAIN_PAGES:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang
        found = axe_violations(page)
        if found:
            problems[path] = [(v["id"], v["impact"], len(v["nodes"])) for v in found]
    assert not problems, problems


def test_login_and_audit_pages_are_accessible(browser_instance, live):
    context = browser_instance.new_context(base_url=live.url)
    page = context.new_page()
    page.goto("/login")
    assert not axe_violations(page)
    login(page, live, "petra")
    page.goto("/audit/")
    assert not axe_violations(page)
    context.close()


def test_admin_pages_are_accessible(browser_instance, live):
    context = browser_instance.new_context(base_url=live.url)
    page = context.new_page()
    login(page, live, "bas")
    problems = {}
    for path in ("/admin/users", "/admin/users/new", "/admin/users/1"):
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        found = axe_violations(page)
        if found:
            problems[path] = [(v["id"], v["impact"], len(v["nodes"])) for v in found]
    context.close()
    assert not problems, problems
