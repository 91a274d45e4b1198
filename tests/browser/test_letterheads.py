"""The functional admin sets a letterhead in a real browser: the pages pass axe, a bad colour is
refused with the field named, a logo upload makes a new version."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.demo_letterheads import logo_png
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_admin_sets_a_letterhead_with_a_logo(page, live, tmp_path):
    login(page, live, "bas")
    page.goto("/admin/letterheads")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Bureau HHM (demo)").click()
    expect(page.get_by_text("Nu in gebruik: versie 1.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Huiskleur").fill("rood")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator("#colour-error")).to_contain_text("zes hexadecimale cijfers")
    assert axe_violations(page) == []
    logo = tmp_path / "logo.png"
    logo.write_bytes(logo_png("HHM", "#123456"))
    page.get_by_label("Huiskleur").fill("#123456")
    page.get_by_label("Nieuw logo (PNG of JPEG)").set_input_files(str(logo))
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_text("Nu in gebruik: versie 2.")).to_be_visible()
    assert page.locator("img.portal-letterhead-logo").evaluate("img => img.naturalWidth") > 0
