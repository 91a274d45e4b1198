"""Every bad input of issue 5: a clear, field-named message and nothing half-saved."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from portal.models import Document, DocumentVersion, StoredFile
from tests.portal.documents.conftest import BRIEFING

PLAN = {"introduction": "Inleiding.", "budget": "Projectleiding | 120 | 110 |\nMateriaal | | | 1.250,00",
        "vat_rate": "21"}


def _count(session, model) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(model))


def test_section_too_long(world, session, browser, docs):
    pg = world.workspaces["PG"]
    b = browser(world.users["project_lead"])
    r = b.post(f"/documents/new?type=council_briefing&workspace={pg.id}",
               {**BRIEFING, "figures": [], "title": "Brief", "legal_background": "x" * 20_001})
    assert r.status_code == 400
    assert "Juridische ontwikkelingen en achtergrond mag hoogstens 20000 tekens hebben" in r.get_data(as_text=True)
    assert _count(session, Document) == 0


@pytest.mark.parametrize(("budget", "message"), [
    ("Projectleiding | veel | 110 |", "Begroting, regel 1: &#39;veel&#39; is geen getal."),
    ("Projectleiding | 10 | 110 |\nReiskosten | | | twintig euro", "regel 2: &#39;twintig euro&#39; is geen"),
    ("Projectleiding | 10", "Begroting, regel 1: geef uren en een tarief, of een bedrag."),
])
def test_budget_line_not_a_number(world, session, browser, docs, budget, message):
    pg = world.workspaces["PG"]
    r = browser(world.users["project_lead"]).post(f"/documents/new?type=project_plan&workspace={pg.id}",
                                                 {**PLAN, "title": "Plan B", "budget": budget})
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)
    assert _count(session, Document) == 0


def test_project_plan_budget_totals(world, session, docs):
    doc = docs("project_plan", fields=PLAN, title="Plan B")
    assert "Subtotaal\t\t\t€ 14.450,00" in doc.text and "\nTotaal\t\t\t€ 17.484,50" in doc.text


def test_empty_reviewer_list_and_self(world, session, browser, docs):
    doc = docs()
    b = browser(world.users["project_lead"])
    r = b.post(f"/documents/{doc.id}/review-request", {})
    assert r.status_code == 400 and "Kies ten minste één beoordelaar." in r.get_data(as_text=True)
    r = b.post(f"/documents/{doc.id}/review-request", {"reviewers": [str(world.users["project_lead"].id)]})
    assert r.status_code == 400 and "U kunt uzelf niet als beoordelaar kiezen." in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Document, doc.id).state == "draft"


def test_editing_with_a_stale_version_is_a_conflict(world, session, browser, docs):
    doc = docs()
    b = browser(world.users["project_lead"])
    stale = str(doc.version_id)
    form = {**BRIEFING, "figures": [], "title": "Brief", "confidentiality": "intern"}
    assert b.post(f"/documents/{doc.id}/edit", {**form, "version": stale}).status_code == 302
    r = b.post(f"/documents/{doc.id}/edit", {**form, "next_steps": "Anders.", "version": stale})
    assert r.status_code == 409 and "Iemand anders heeft dit document opgeslagen" in r.get_data(as_text=True)


def _docx_with(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_upload_stores_a_new_version_with_its_text(world, session, browser, docs):
    doc = docs()
    b = browser(world.users["project_lead"])
    data = _docx_with("Aangepast in Word: de wethouder wil een werkbezoek.")
    r = b.post(f"/documents/{doc.id}/upload", {"file": (io.BytesIO(data), "brief.docx")},
               content_type="multipart/form-data")
    assert r.status_code == 302
    session.expire_all()
    doc = session.get(Document, doc.id)
    assert doc.version_number == 2 and "werkbezoek" in doc.upload_text
    version = doc.versions[-1]
    assert version.kind == "upload" and version.file is not None and "werkbezoek" in version.text
    got = b.get(f"/documents/{doc.id}/versions/2/file")
    assert got.status_code == 200 and got.data == data


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"%PDF-1.7 not a word file", "Dit is geen Word-document (.docx)."),
    (_zip({"a.txt": b"hallo"}), "Dit is geen Word-document (.docx)."),
    (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}), "beschadigd"),
    (_zip({"[Content_Types].xml": b"x", "word/document.xml": b"\0" * (2 * 1024 * 1024 + 1)}), "verdacht groot"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "oud Word-bestand"),
    (b"", "Kies een Word-bestand"),
])
def test_bad_docx_is_refused_and_nothing_saved(world, session, browser, docs, data, message):
    doc = docs()
    before = (_count(session, DocumentVersion), _count(session, StoredFile))
    r = browser(world.users["project_lead"]).post(f"/documents/{doc.id}/upload",
                                                 {"file": (io.BytesIO(data), "brief.docx")},
                                                 content_type="multipart/form-data")
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)
    session.expire_all()
    assert (_count(session, DocumentVersion), _count(session, StoredFile)) == before
    assert session.get(Document, doc.id).version_number == 1


def test_too_large_upload_is_413(world, session, browser, docs, app):
    doc = docs()
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    r = browser(world.users["project_lead"]).post(f"/documents/{doc.id}/upload",
                                                 {"file": (io.BytesIO(b"x" * 60_000), "brief.docx")},
                                                 content_type="multipart/form-data")
    assert r.status_code == 413


def test_unknown_type_and_bad_dates_are_named(world, browser, docs):
    pg = world.workspaces["PG"]
    b = browser(world.users["project_lead"])
    assert b.get(f"/documents/new?type=nieuwsbrief&workspace={pg.id}").status_code == 400
    r = b.post(f"/documents/new?type=agenda&workspace={pg.id}",
               {"title": "Agenda", "meeting": "projectgroep", "held_on": "3 maart", "items": "Opening | feest"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Datum: vul een geldige datum in" in body
    r = b.post(f"/documents/new?type=agenda&workspace={pg.id}",
               {"title": "Agenda", "meeting": "projectgroep", "held_on": "2026-03-03", "items": "Opening | feest"})
    assert r.status_code == 400 and "doel is vaststellen, bespreken of ter informatie" in r.get_data(as_text=True)
