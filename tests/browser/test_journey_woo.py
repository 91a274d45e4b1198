"""Woo in the browser: eva reviews the demo request's proposals by keyboard and mouse, petra exports;
axe finds no serious WCAG 2.1 A/AA violation on the Woo pages."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, login, logout
from woo import leak

pytestmark = pytest.mark.browser


def test_reviewer_accepts_proposals_handler_exports_without_leaks(page, live):
    login(page, live, "eva")
    page.get_by_role("link", name="Woo-verzoeken").click()
    page.locator("tr", has_text="Woo-verzoek over de tijdelijke woonplekken").get_by_role("link").click()
    page.get_by_role("link", name="Raadsinformatiebrief casus tijdelijke woonplek").click()
    expect(page.get_by_role("heading", name="Evaluatie en toelichting")).to_be_visible()
    problems = {"review": axe_violations(page)}
    secrets = [t.strip() for t in page.locator("table.utrecht-table tbody tr td:nth-child(2)").all_inner_texts()]
    assert "Sanne Veldkamp" in secrets and "123456782" in secrets
    open_cell = page.locator("td").filter(has_text=re.compile(r"^\s*voorstel\s*$"))
    for _ in range(len(secrets)):
        if not open_cell.count():
            break
        page.locator("tr").filter(has=open_cell).first.get_by_role("button", name="Accepteren").click()
    assert open_cell.count() == 0
    logout(page)
    login(page, live, "petra")
    page.goto("/woo")
    problems["list"] = axe_violations(page)
    page.locator("tr", has_text="Woo-verzoek over de tijdelijke woonplekken").get_by_role("link").click()
    problems["request"] = axe_violations(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Controleren en exporteren (ZIP)").click()
    data = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    assert len(files) == 3 and leak.find_leaks(files, secrets) == []
    assert {k: v for k, v in problems.items() if v} == {}
