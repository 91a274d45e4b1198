"""Regenerate docs/screenshots/*.png from a fresh demo instance (make screenshots)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, LiveServer, login  # noqa: E402

PAGES = [
    ("login", None, "/login", 1280),
    ("start-case-manager", "sanne", "/", 1280),
    ("dossier", "sanne", "/clients/1", 1280),
    ("note-history", "sanne", "/notes/1/history", 1280),
    ("sharing", "sanne", "/clients/1/sharing", 1280),
    ("search-staff", "lotte", "/search?q=woning", 1280),
    ("dossier-tablet", "sanne", "/clients/1", 768),
    ("audit-log", "petra", "/audit/", 1280),
    ("consent-compose-tablet", "sanne", "/clients/1/consents/new", 768),
    ("documents", "eva", "/documents", 1280),
    ("council-briefing", "eva", "/documents?type=council_briefing", 1280),
]


def main() -> None:
    from portal import create_app, demo, indexing
    from portal.cli import init_db
    from portal.extensions import db
    from portal.models.base import today
    from portal.web.search_glue import get_index

    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"instance_path": Path(tmp), "secure_cookies": False, "testing": True})
        with app.app_context():
            init_db()
            demo.load(db.session, today=today(), fast_hash=True)
            db.session.commit()
            get_index(app).rebuild(indexing.all_docs(db.session))
            db.session.remove()
        with LiveServer(app) as live, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            for name, user, path, width in PAGES:
                context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live.url)
                page = context.new_page()
                if user:
                    login(page, live, user)
                page.goto(path)
                page.screenshot(path=str(out / f"{name}.png"), full_page=False)
                context.close()
                print(f"docs/screenshots/{name}.png")
            browser.close()


if __name__ == "__main__":
    main()
