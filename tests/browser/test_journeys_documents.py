"""Consents and letters in a real browser: sign on a tablet, seal, verify; draft, review and send a council
briefing; both with the keyboard only; axe on the consent and review pages in Dutch and English.

Each test uses its own clients and documents (the live server with the demo data is module-scoped):
- tablet signing: sanne's client Dahlia (a new consent);
- keyboard signing: the demo draft consent of sanne's client Merel; keyboard review: ruben on the demo
  project plan (hamid's review stays pending, so it remains in review for the axe test);
- council briefing: a new briefing by eva, reviewed by wendy;
- axe: new drafts for Hortensia (nl) and Lavendel (en), hamid on the minutes and the project plan.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PASSWORD,
    axe_violations,
    canvas_has_ink,
    keyboard_login,
    login,
    logout,
    tab_to,
)

pytestmark = pytest.mark.browser


def _id_of(live, model: str, **where: str) -> int:  # noqa: ANN001
    """The id of one demo row, looked up by a unique column (keeps the tests free of hard-coded ids)."""
    from sqlalchemy import select

    from portal import models
    from portal.extensions import db

    cls = getattr(models, model)
    with live.app.app_context():
        row_id = db.session.scalar(select(cls.id).filter_by(**where))
        db.session.remove()
    assert row_id is not None, (model, where)
    return row_id


def _draft_consent_of(live, client_name: str) -> int:  # noqa: ANN001
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Client, Consent
    from portal.models.consents import ConsentState

    with live.app.app_context():
        consent_id = db.session.scalar(select(Consent.id).join(Client).where(
            Client.display_name == client_name, Consent.state == ConsentState.DRAFT))
        db.session.remove()
    assert consent_id is not None, client_name
    return consent_id


def _sealed_consent_of(live, client_name: str) -> int:  # noqa: ANN001
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Client, Consent

    with live.app.app_context():
        consent_id = db.session.scalar(select(Consent.id).join(Client).where(
            Client.display_name == client_name, Consent.sealed_sha256.is_not(None)))
        db.session.remove()
    assert consent_id is not None, client_name
    return consent_id


def _age_reauth(live, username: str) -> None:  # noqa: ANN001
    """As if she logged in an hour ago: the next sensitive step asks for her password again."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User, UserSession
    from portal.models.base import utcnow

    with live.app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for sess in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
            sess.reauth_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        db.session.remove()


# --- 1. case manager on a tablet: compose, preview, save, draw, countersign, download, verify -------------


def test_case_manager_on_a_tablet_signs_seals_downloads_and_verifies_a_consent(browser_instance, live):
    context = browser_instance.new_context(viewport={"width": 768, "height": 1024}, has_touch=True,
                                           base_url=live.url, accept_downloads=True)
    page = context.new_page()
    try:
        login(page, live, "sanne")
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cliënten").click()
        page.get_by_role("link", name="Dahlia", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Dahlia")
        page.get_by_role("link", name="Nieuwe toestemming en informatiebrief").click()

        # Compose: her own organisation and 'Algemeen' are preselected; add partners and data categories.
        orgs = page.get_by_role("group", name="Organisaties die gegevens mogen delen")
        categories = page.get_by_role("group", name="Soorten gegevens")
        expect(orgs.get_by_label("GGD Gelderland-Zuid (demo)")).to_be_checked()
        orgs.get_by_label("IrisZorg (demo)").check()
        orgs.get_by_label("Gemeente — Maatschappelijke Opvang").check()
        expect(categories.get_by_label("Algemeen")).to_be_checked()
        categories.get_by_label("Wonen", exact=True).check()
        categories.get_by_label("Financiën").check()
        page.get_by_label("Doel van het delen").fill("Samen zoeken naar een vaste woonplek en een stabiel inkomen.")
        default_end = page.get_by_label("Geldig tot en met").input_value()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", default_end)
        page.get_by_role("button", name="Voorbeeld bekijken").click()
        preview = page.get_by_role("region", name="Voorbeeld")
        expect(preview).to_be_visible()
        expect(preview).to_contain_text("IrisZorg")
        expect(categories.get_by_label("Wonen", exact=True)).to_be_checked()  # the choices survive the preview
        assert page.get_by_label("Geldig tot en met").input_value() == default_end
        page.get_by_role("button", name="Opslaan als concept").click()
        expect(page.get_by_role("status").first).to_contain_text("is opgeslagen")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Concept")
        reference = re.search(r"STAP/\d{4}/\d+", page.get_by_role("heading", level=1).inner_text()).group(0)
        consent_url = page.url

        # Signing: the client draws with pointer events on the canvas.
        page.get_by_role("link", name="Laten ondertekenen").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ondertekenen")
        expect(page.get_by_label("Op het scherm tekenen")).to_be_checked()
        canvas = page.locator("#signature-canvas")
        canvas.scroll_into_view_if_needed()
        assert not canvas_has_ink(page, "#signature-canvas")
        box = canvas.bounding_box()
        assert box is not None and box["width"] <= 768
        x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
        page.mouse.move(x0 + w * 0.1, y0 + h * 0.7)
        page.mouse.down()
        page.mouse.move(x0 + w * 0.25, y0 + h * 0.2, steps=8)
        page.mouse.move(x0 + w * 0.4, y0 + h * 0.75, steps=8)
        page.mouse.move(x0 + w * 0.6, y0 + h * 0.3, steps=8)
        page.mouse.move(x0 + w * 0.85, y0 + h * 0.6, steps=8)
        page.mouse.up()
        assert canvas_has_ink(page, "#signature-canvas")
        expect(page.locator("[data-signature-pad] [data-status]")).to_have_text("Handtekening vastgelegd.")
        assert page.locator("#signature").input_value().startswith("data:image/png;base64,")

        page.get_by_label("Hoe is vastgesteld wie tekent?").select_option(label="Persoonlijk, identiteitsbewijs gezien")
        page.get_by_label("Uw wachtwoord, Sanne Veldkamp").fill(PASSWORD)
        page.get_by_role("button", name="Ondertekenen en verzegelen").click()

        page.wait_for_url(consent_url)
        expect(page.get_by_role("status").first).to_contain_text("ondertekend, verzegeld en gearchiveerd")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Geldig")
        signatures = page.get_by_role("table", name="Wie tekende, wanneer (servertijd) en hoe")
        expect(signatures).to_contain_text("getekend op het scherm")
        expect(signatures).to_contain_text("identiteitsbewijs gezien")
        expect(signatures).to_contain_text("met wachtwoord")
        expect(page.get_by_text("SHA-256 van de verzegelde PDF")).to_be_visible()

        # The sealed PDF is served inline (Chromium would open its PDF viewer); Alt+click is Chromium's
        # "download the link" gesture, so the file lands on disk as the case manager would save it.
        with page.expect_download() as info:
            page.get_by_role("link", name="Ondertekend en verzegeld formulier (PDF)").click(modifiers=["Alt"])
        download = info.value
        sealed = Path(download.path()).read_bytes()
        assert sealed.startswith(b"%PDF"), sealed[:16]
        assert download.suggested_filename.endswith("-verzegeld.pdf")

        # Verify the downloaded file on the verification page, reached from the start page.
        page.goto(consent_url)  # a PDF opened inline leaves the page behind; come back to the portal
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Start").click()
        page.get_by_role("link", name=re.compile("Controleer of een ondertekend formulier")).click()
        page.get_by_label("PDF-bestand").set_input_files(
            files=[{"name": download.suggested_filename, "mimeType": "application/pdf", "buffer": sealed}])
        page.get_by_role("button", name="Controleren").click()
        result = page.get_by_role("status", name=re.compile("In orde"))
        expect(result.get_by_role("heading", level=2)).to_have_text("In orde: echt, onveranderd en vandaag geldig")
        expect(result).to_contain_text("Intact, gezet met het certificaat van de organisatie")
        expect(result).to_contain_text(f"Dit is precies het bewaarde formulier {reference}.")
        expect(result).to_contain_text("geldig")
    finally:
        context.close()


# --- 2. project lead: council briefing with figures, review, send, PDF and DOCX ----------------------------


def test_project_lead_drafts_briefing_reviewer_approves_lead_sends_and_downloads(page, live):
    title = "Raadsbrief voortgang woonplekken (browsertest)"
    login(page, live, "eva")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Documenten").click()
    page.get_by_label("Soort document").select_option(label="Raadsinformatiebrief")
    page.get_by_label("Werkruimte").select_option(label="Projectgroep zorgaanpak")
    page.get_by_role("button", name="Nieuw document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw: Raadsinformatiebrief")

    page.get_by_label("Titel (onderwerp)").fill(title)
    page.get_by_label("Geadresseerde").fill("Aan de gemeenteraad van Nijmegen")
    page.get_by_label("Evaluatie en toelichting").fill(
        "Het project loopt goed.\n\nDe cijfers hieronder laten zien waar de vrouwen nu wonen.")
    figures = page.get_by_role("group", name="Cijfers uit de dossiers")
    figures.get_by_label("Woonsituatie").check()
    figures.get_by_label("Vergunningen").check()
    figures.get_by_label("ZRM: eerste en laatste meting").check()
    page.get_by_label("Vervolgstappen").fill("Technische toelichting voor de raadscommissie.")
    page.get_by_label("Ondertekening").fill("Burgemeester en wethouders van Nijmegen")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("aangemaakt met kenmerk")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    doc_url = page.url
    content = page.get_by_role("region", name="Inhoud")
    expect(content.get_by_role("table").first).to_be_visible()  # the aggregate figures as tables
    expect(content).to_contain_text("Woonsituatie van de cliënten")
    expect(content.get_by_role("img").first).to_be_visible()  # ZRM chart

    page.get_by_label("Beoordelaars").select_option(label="Wendy Stappers (WON)")
    page.get_by_role("button", name="Ter beoordeling voorleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("ter beoordeling voorgelegd")
    expect(page.get_by_role("region", name="Beoordeling")).to_contain_text("Wendy Stappers: nog te beoordelen")
    logout(page)

    login(page, live, "wendy")
    in_review = page.get_by_role("region", name="Te beoordelen documenten")
    in_review.get_by_role("link", name=title).click()
    page.wait_for_url(doc_url)
    page.get_by_label("Onderdeel").select_option(label="Evaluatie en toelichting")
    page.get_by_label("Opmerking", exact=True).fill("Noem ook het aantal vrouwen met een vergunning.")
    page.get_by_role("button", name="Opmerking plaatsen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw opmerking is toegevoegd")
    review = page.get_by_role("region", name="Beoordeling")
    expect(review).to_contain_text("Noem ook het aantal vrouwen met een vergunning.")
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_role("status").first).to_contain_text("U heeft het document goedgekeurd")
    expect(review).to_contain_text("Wendy Stappers: goedgekeurd")
    logout(page)

    login(page, live, "eva")
    page.goto(doc_url)
    expect(page.locator(".portal-facts").first).to_contain_text("Goedgekeurd")
    expect(page.get_by_role("region", name="Beoordeling")).to_contain_text(
        "Evaluatie en toelichting — Wendy Stappers")
    _age_reauth(live, "eva")  # she logged in a while ago: sending asks for her password again
    page.get_by_role("button", name="Verzenden (PDF en DOCX vastleggen)").click()
    expect(page).to_have_url(re.compile(r"/reauth\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig uw wachtwoord")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()
    # Having confirmed her password she must be back on the letter she was sending, not on the start page.
    expect(page, "after re-authentication the portal should return to the document").to_have_url(doc_url)
    page.get_by_role("button", name="Verzenden (PDF en DOCX vastleggen)").click()
    expect(page.get_by_role("status").first).to_contain_text("Het document is verzonden")
    expect(page.locator(".portal-facts").first).to_contain_text("Verzonden")

    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Download PDF").click()
    with page.expect_download() as docx_info:
        page.get_by_role("link", name="Download Word (DOCX)").click()
    pdf = Path(pdf_info.value.path()).read_bytes()
    docx = Path(docx_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:16]
    assert docx.startswith(b"PK"), docx[:16]
    assert pdf_info.value.suggested_filename.endswith(".pdf")
    assert docx_info.value.suggested_filename.endswith(".docx")


# --- 3. keyboard only: sign with a typed name, review and approve ------------------------------------------


def test_keyboard_only_typed_signature_and_review_approval(page, live):
    """No mouse and no .click(): Tab, arrow keys, Space, Enter and typing."""
    consent_id = _draft_consent_of(live, "Merel")
    keyboard_login(page, live, "sanne")
    page.goto(f"/consents/{consent_id}")
    tab_to(page, f"a[href='/consents/{consent_id}/sign']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/consents/{consent_id}/sign")

    tab_to(page, "#signer_name")
    assert page.locator("#signer_name").input_value() == "Merel"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "identification"
    page.keyboard.press("ArrowUp")  # 'bekend bij het team' -> 'identiteitsbewijs gezien'
    assert page.locator("#identification").input_value() == "id_document"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "method-drawn"
    page.keyboard.press("ArrowDown")  # the radio group: 'Naam typen (zonder tekenen)'
    expect(page.get_by_label("Naam typen (zonder tekenen)")).to_be_checked()
    expect(page.locator("#signature-canvas")).to_be_hidden()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "typed_confirm"
    page.keyboard.press("Space")
    expect(page.locator("#typed_confirm")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/consents/{consent_id}")
    expect(page.get_by_role("status").first).to_contain_text("ondertekend, verzegeld en gearchiveerd")
    signatures = page.get_by_role("table", name="Wie tekende, wanneer (servertijd) en hoe")
    expect(signatures).to_contain_text("naam getypt")
    expect(signatures).to_contain_text("identiteitsbewijs gezien")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Geldig")

    # Review: ruben reaches the project plan from his start page, comments on a section and approves.
    page.context.clear_cookies()
    plan_id = _id_of(live, "Document", title="Projectvoorstel plan B")
    keyboard_login(page, live, "ruben")
    tab_to(page, f"a[href='/documents/{plan_id}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/documents/{plan_id}")
    tab_to(page, "#section")
    page.keyboard.press("ArrowDown")  # the first section instead of the whole document
    section = page.locator("#section").evaluate("s => s.options[s.selectedIndex].text")
    assert page.locator("#section").input_value() != ""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "comment-text"
    page.keyboard.type("Graag de rol van Veiligheid explicieter maken.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # 'Opmerking plaatsen'
    expect(page.get_by_role("status").first).to_contain_text("Uw opmerking is toegevoegd")
    review = page.get_by_role("region", name="Beoordeling")
    expect(review).to_contain_text(f"{section} — Ruben Achterberg")
    tab_to(page, "#decision-comment")
    page.keyboard.type("Akkoord met de aanpassing.")
    tab_to(page, "button[name='decision'][value='approve']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("U heeft het document goedgekeurd")
    expect(review).to_contain_text("Ruben Achterberg: goedgekeurd")
    expect(review).to_contain_text("Hamid Bouzerda: nog te beoordelen")


# --- 4. axe on the consent and review pages, Dutch and English ---------------------------------------------


def _switch_language(page, to: str) -> None:  # noqa: ANN001
    page.get_by_role("button", name="English" if to == "en" else "Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", to)


@pytest.mark.parametrize(("lang", "client"), [("nl", "Hortensia"), ("en", "Lavendel")])
def test_consent_and_review_pages_have_no_serious_accessibility_violations(page, live, lang, client):
    client_id = _id_of(live, "Client", display_name=client)
    minutes_id = _id_of(live, "Document", type="minutes")
    plan_id = _id_of(live, "Document", title="Projectvoorstel plan B")
    problems: dict[str, list] = {}

    def check(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, name
        found = axe_violations(page)
        if found:
            problems[name] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]

    login(page, live, "sanne")
    sealed = page.request.get(f"/consents/{_sealed_consent_of(live, client)}/file").body()
    assert sealed.startswith(b"%PDF")
    try:
        if lang == "en":
            _switch_language(page, "en")
        page.goto(f"/clients/{client_id}/consents/new")
        check("compose")
        page.locator("button[name='action'][value='preview']").click()
        expect(page.locator(".portal-preview")).to_be_visible()
        check("compose with preview")
        page.locator("button[name='action'][value='save']").click()
        page.wait_for_url(re.compile(r"/consents/\d+$"))
        check("consent draft")
        page.goto(page.url + "/sign")
        check("sign")
        page.locator("#method-typed").check()
        check("sign, typed name")
        page.goto("/consents/verify")
        check("verify")
        page.locator("#file").set_input_files(files=[{"name": "verzegeld.pdf", "mimeType": "application/pdf",
                                                      "buffer": sealed}])
        page.locator(".portal-form button[type='submit']").click()
        expect(page.locator("#result-title")).to_be_visible()
        check("verify result")
    finally:
        if lang == "en":
            _switch_language(page, "nl")  # the choice is stored on the account: leave it Dutch
    logout(page)

    login(page, live, "hamid")
    try:
        if lang == "en":
            _switch_language(page, "en")
        page.goto(f"/documents/{minutes_id}")
        check("document")
        page.goto(f"/documents/{plan_id}")
        expect(page.locator("#comment-text")).to_be_visible()  # his review is pending: the review forms
        check("review")
    finally:
        if lang == "en":
            _switch_language(page, "nl")
    assert not problems, problems
