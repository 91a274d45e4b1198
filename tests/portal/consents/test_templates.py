"""Form versions: the admin publishes new texts; a signed form keeps the version it was signed with."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from consent_forms import default_templates
from consent_forms.model import Language
from portal.models import ConsentTemplate


def _form(**overrides):  # noqa: ANN003, ANN202
    base = default_templates()[("2026-1", Language.NL)]
    form = {"version": "2027-1", "language": "nl", "letter_subject": base.letter_subject,
            "form_title": "Toestemming (versie 2027)", "information_letter_text": base.information_letter_text,
            "consent_text": base.consent_text + "\n\nNieuwe zin in versie 2027 voor {client}."}
    form.update(overrides)
    return form


def test_admin_publishes_a_new_version_and_old_forms_keep_theirs(world, browser, session, signed, create_draft):
    admin = browser(world.users["admin"])
    assert admin.get("/admin/consent-templates/").status_code == 200
    assert "2026-1" in admin.get("/admin/consent-templates/new?language=nl").get_data(as_text=True)
    r = admin.post("/admin/consent-templates/new", data=_form())
    assert r.status_code == 302, r.get_data(as_text=True)[:1500]
    assert "2027-1" in admin.get("/admin/consent-templates/").get_data(as_text=True)
    cm = browser(world.users["case_manager"])
    old = cm.get(f"/consents/{signed.id}/form.pdf")
    assert "Nieuwe zin in versie 2027" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(old.data)).pages)
    new = create_draft(form_version="")  # without a version: the newest
    assert new.form_version == "2027-1"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(cm.get(f"/consents/{new.id}/form.pdf").data)).pages)
    assert "Nieuwe zin in versie 2027 voor Cliënt Own" in text.replace("\n", " ")
    session.refresh(signed)
    assert signed.form_version == "2026-1"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"version": "2026-1"}, "version", "bestaat al"),
    ({"version": "a b/c"}, "version", "hoogstens 32"),
    ({"consent_text": "Beste {klant}"}, "consent_text", "onbekend invulveld"),
    ({"consent_text": "Open { accolade"}, "consent_text", "accolade"),
    ({"form_title": ""}, "form_title", "verplicht"),
    ({"language": "de"}, "language", "Nederlands of Engels"),
])
def test_bad_template_input(world, browser, session, overrides, field, message):
    r = browser(world.users["admin"]).post("/admin/consent-templates/new", data=_form(**overrides))
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and message in body and f'id="{field}-error"' in body
    assert session.scalar(select(func.count()).select_from(ConsentTemplate)) == 0


def test_only_the_admin_manages_texts(world, browser):
    b = browser(world.users["case_manager"])
    assert b.get("/admin/consent-templates/").status_code == 403
    assert b.post("/admin/consent-templates/new", data=_form()).status_code == 403
