"""The privacy officer's pages in a real browser: export download, retention, a destruction list; axe clean."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_privacy_officer_exports_and_drafts_a_destruction_list(browser_instance, live):
    context = browser_instance.new_context(base_url=live.url, accept_downloads=True)
    page = context.new_page()
    login(page, live, "petra")
    problems = {}
    page.goto("/audit/")
    page.get_by_role("link", name="Inzageverzoek van een cliënt").click()
    problems["/privacy/"] = axe_violations(page)
    page.get_by_label("Cliënt").select_option(index=1)
    with page.expect_download() as download:
        page.get_by_role("button", name="ZIP-bestand downloaden").click()
    assert download.value.suggested_filename.startswith("inzage-C-")
    page.goto("/privacy/retention")
    problems["/privacy/retention"] = axe_violations(page)
    page.get_by_role("button", name="Vernietigingslijst opstellen").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vernietigingslijst")
    problems["list"] = axe_violations(page)
    context.close()
    assert not any(problems.values()), {k: [(v["id"], v["impact"]) for v in found] for k, found in problems.items()}
