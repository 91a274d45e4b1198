"""Letterheads per organisation, set by the functional admin: versions, rendering, bad input, permissions."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date

import docx
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from letters.text import document_text
from portal.archive import Archive
from portal.models import AuditEntry, Document, Letterhead, StoredFile
from portal.services import accounts, document_render, reviews
from tests.portal.documents.conftest import docx_body, pdf_body, squash

FORM = {"address": "Postbus 42\n6500 AA Nijmegen", "phone": "024 000 0042", "email": "info@hhm.invalid",
        "website": "www.hhm.invalid", "colour": "#8a1c2b"}


def png(size: tuple[int, int] = (300, 100), colour: str = "#8A1C2B", mode: str = "RGB", fmt: str = "PNG") -> bytes:
    img = Image.new(mode, size, colour if mode != "RGBA" else (138, 28, 43, 128))
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()


def _save(b, org: str = "HHM", logo: bytes | None = None, name: str = "logo.png", mimetype: str = "image/png",
          **fields):  # noqa: ANN001, ANN003, ANN201
    data: dict = {**FORM, **fields}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), name, mimetype)
    data.setdefault("csrf_token", b._token)
    r = b.client.post(f"/admin/letterheads/{org}", data=data)
    r.request.environ["wsgi.input"].close()  # a large body was spooled to a temporary file by the test client
    return r


def _count(session, model) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(model))


def _images_in_pdf(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages[:1])


def test_admin_saves_versions_and_every_new_render_uses_the_newest(world, session, browser, docs):
    doc = docs()
    b = browser(world.users["admin"])
    page = b.get("/admin/letterheads").get_data(as_text=True)
    assert "Org HHM" in page and "nog niet ingesteld" in page
    r = _save(b, logo=png())
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    r = _save(b, colour="#123456")  # no new logo: the previous one is kept
    assert r.status_code == 302
    rows = session.scalars(select(Letterhead).order_by(Letterhead.version)).all()
    assert [(x.version, x.colour) for x in rows] == [(1, "#8A1C2B"), (2, "#123456")]
    assert rows[0].logo_file_id == rows[1].logo_file_id is not None
    assert rows[1].address_lines == ("Postbus 42", "6500 AA Nijmegen")
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "admin:letterhead")).all()
    assert [json.loads(a.detail)["version"] for a in audit] == [1, 2]
    assert all(a.user_id == world.users["admin"].id for a in audit)

    lead = browser(world.users["project_lead"])
    pdf = lead.get(f"/documents/{doc.id}/file?format=pdf").data
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for text in ("Postbus 42", "6500 AA Nijmegen", "T 024 000 0042", "E info@hhm.invalid", "W www.hhm.invalid"):
        assert text in first
    assert _images_in_pdf(pdf) == 1  # the logo
    assert b".070588 .203922 .337255 RG" in _uncompressed(pdf)  # the rule in #123456, as reportlab writes it
    out = lead.get(f"/documents/{doc.id}/file?format=docx").data
    header = docx.Document(io.BytesIO(out)).sections[0].first_page_header
    header_text = " ".join(c.text for t in header.tables for row in t.rows for c in row.cells)
    assert "Postbus 42" in header_text and "W www.hhm.invalid" in header_text
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(out)).namelist())
    assert b'w:color w:val="123456"' in zipfile.ZipFile(io.BytesIO(out)).read("word/header1.xml") + \
        zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml") + zipfile.ZipFile(io.BytesIO(out)).read(
            "word/styles.xml")
    # The body text of both formats is still the same text.
    letter = document_render.letter(session, session.get(Document, doc.id), threshold=5)
    body = squash(document_text(letter))
    assert body and body in pdf_body(pdf, letter).replace(squash(_header_of(letter)), "", 1)
    assert body in docx_body(out)


def _header_of(letter) -> str:  # noqa: ANN001
    from letters import letterhead
    return " ".join([letter.sender.organisation, *letterhead.sender_lines(letter.sender),
                     *letterhead.contact_lines(letter.sender), *[f"{k}{v}" for k, v in letterhead.meta_rows(letter)]])


def _uncompressed(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    return b"".join(page.get_contents().get_data() for page in reader.pages[:1])


def test_sent_documents_keep_their_archived_files_after_a_new_letterhead(world, session, browser, docs, tmp_path):
    doc = docs()
    admin = browser(world.users["admin"])
    assert _save(admin, logo=png()).status_code == 302
    lead, staff = world.users["project_lead"], world.users["staff"]
    reviews.request_review(session, actor=lead, doc=doc, reviewer_ids=[staff.id], today=date.today())
    reviews.decide(session, actor=staff, doc=doc, approve=True, today=date.today())
    reviews.send(session, actor=lead, doc=doc, archive=Archive(tmp_path / "archive"), threshold=5, today=date.today())
    session.commit()
    b = browser(lead)
    before = b.get(f"/documents/{doc.id}/file?format=pdf").data
    assert "Postbus 42" in PdfReader(io.BytesIO(before)).pages[0].extract_text()
    assert _save(admin, address="Nieuwe Gracht 1\n6511 ZZ Nijmegen", logo=png(colour="#00AA00")).status_code == 302
    after = b.get(f"/documents/{doc.id}/file?format=pdf").data
    assert after == before  # frozen in the archive
    fresh = docs(title="Tweede brief")
    text = PdfReader(io.BytesIO(b.get(f"/documents/{fresh.id}/file?format=pdf").data)).pages[0].extract_text()
    assert "Nieuwe Gracht 1" in text and "Postbus 42" not in text


def test_transparent_logo_is_flattened_and_stored_in_the_archive(world, session, browser, tmp_path):
    b = browser(world.users["admin"])
    assert _save(b, logo=png(mode="RGBA"), name="logo.PNG").status_code == 302
    lh = session.scalar(select(Letterhead))
    stored = Archive(tmp_path / "archive").get(lh.logo_file.sha256)
    with Image.open(io.BytesIO(stored)) as img:
        assert (img.format, img.mode) == ("PNG", "RGB")
    assert lh.logo_file.media_type == "image/png"
    got = b.get(f"/admin/letterheads/HHM/logo/{lh.version}")
    assert got.status_code == 200 and got.data == stored
    sample = b.get("/admin/letterheads/HHM/sample.pdf")
    assert sample.mimetype == "application/pdf"
    assert "Postbus 42" in PdfReader(io.BytesIO(sample.data)).pages[0].extract_text()


def test_jpeg_logo_is_accepted(world, session, browser):
    b = browser(world.users["admin"])
    assert _save(b, logo=png(fmt="JPEG"), name="logo.jpg", mimetype="image/jpeg").status_code == 302
    assert session.scalar(select(Letterhead)).logo_file_id is not None


@pytest.mark.parametrize(("logo", "name", "mimetype", "field", "message", "status"), [
    (b"%PDF-1.7 not a picture", "logo.png", "image/png", "logo", "PNG- of JPEG-afbeelding", 400),
    (b"GIF89a" + b"\x00" * 50, "logo.png", "image/png", "logo", "PNG- of JPEG-afbeelding", 400),
    (png(fmt="JPEG"), "logo.png", "image/png", "logo", "geeft zich uit voor iets anders", 400),
    (png(), "logo.svg", "image/svg+xml", "logo", "geeft zich uit voor iets anders", 400),
    (png()[:60], "logo.png", "image/png", "logo", "beschadigd", 400),
    (png(size=(5000, 10)), "logo.png", "image/png", "logo", "te groot", 400),
    (png() + b"\x00" * (1024 * 1024), "logo.png", "image/png", "logo", "groter dan 1024 kB", 413),
])
def test_bad_logo_is_refused_and_nothing_is_saved(world, session, browser, logo, name, mimetype, field, message,
                                                  status):
    b = browser(world.users["admin"])
    files_before = _count(session, StoredFile)
    r = _save(b, logo=logo, name=name, mimetype=mimetype)
    assert r.status_code == status
    assert message in r.get_data(as_text=True)
    assert _count(session, Letterhead) == 0 and _count(session, StoredFile) == files_before


@pytest.mark.parametrize(("field", "value", "message"), [
    ("colour", "red", "zes hexadecimale cijfers"),
    ("colour", "#12345", "zes hexadecimale cijfers"),
    ("colour", "#12345G", "zes hexadecimale cijfers"),
    ("colour", "#1234567", "zes hexadecimale cijfers"),
    ("email", "geen-adres", "geldig e-mailadres"),
    ("phone", "bel mij", "telefoonnummer"),
    ("address", "\n".join(f"regel {i}" for i in range(8)), "adresregels"),
])
def test_bad_fields_are_refused_with_the_field_named(world, session, browser, field, value, message):
    b = browser(world.users["admin"])
    r = _save(b, logo=png(), **{field: value})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert _count(session, Letterhead) == 0 and _count(session, StoredFile) == 0


@pytest.mark.parametrize("persona", ["case_manager", "project_lead", "staff", "privacy_officer"])
def test_only_the_admin_manages_letterheads(world, session, browser, persona):
    b = browser(world.users[persona])
    assert b.get("/admin/letterheads").status_code == 403
    assert b.get("/admin/letterheads/HHM").status_code == 403
    assert _save(b, logo=png()).status_code == 403
    assert _count(session, Letterhead) == 0
    denied = session.scalars(select(AuditEntry).where(AuditEntry.action == "access:denied")).all()
    assert denied and denied[-1].user_id == world.users[persona].id


def test_unknown_organisation_is_404(world, browser):
    assert browser(world.users["admin"]).get("/admin/letterheads/NOPE").status_code == 404


def _token(session, user) -> dict[str, str]:  # noqa: ANN001
    t = accounts.create_api_token(session, user)
    session.commit()
    return {"Authorization": f"Bearer {t}"}


def test_api_get_and_put_for_the_admin(world, session, app):
    c, admin = app.test_client(), _token(session, world.users["admin"])
    body = {"address-lines": ["Postbus 7", "6500 AA Nijmegen"], "phone": "024 000 0007", "colour": "#0B5A55",
            "logo": base64.b64encode(png()).decode()}
    r = c.put("/api/v1/letterheads/HHM", json=body, headers=admin)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["version"] == 1 and r.json["logo"]["media-type"] == "image/png"
    r = c.put("/api/v1/letterheads/HHM", json={**body, "logo": None}, headers=admin)  # null removes the logo
    assert r.json["version"] == 2 and r.json["logo"] is None
    got = c.get("/api/v1/letterheads/HHM", headers=admin).json
    assert got["address-lines"] == ["Postbus 7", "6500 AA Nijmegen"] and got["colour"] == "#0B5A55"
    listed = c.get("/api/v1/letterheads", headers=admin).json["_embedded"]["letterheads"]
    assert {x["organisation"] for x in listed} >= {"HHM", "GGD"}
    assert "/letterheads/{organisation-code}" in c.get("/api/v1/openapi.json").json["paths"]


@pytest.mark.parametrize(("body", "status", "name"), [
    ({"colour": "blauw"}, 400, "colour"),
    ({"colour": "#0B5A55", "logo": "@@@ not base64"}, 400, "logo"),
    ({"colour": "#0B5A55", "logo": base64.b64encode(b"<svg/>").decode()}, 400, "logo"),
    ({"colour": "#0B5A55", "logo": 12}, 400, "logo"),
    ({"colour": "#0B5A55", "logo": base64.b64encode(png()).decode(), "logo-media-type": "image/jpeg"}, 400, "logo"),
])
def test_api_bad_input_is_problem_json_and_saves_nothing(world, session, app, body, status, name):
    r = app.test_client().put("/api/v1/letterheads/HHM", json=body, headers=_token(session, world.users["admin"]))
    assert r.status_code == status and r.mimetype == "application/problem+json"
    assert [p["name"] for p in r.json["invalid-params"]] == [name]
    assert _count(session, Letterhead) == 0


def test_api_is_for_the_admin_only(world, session, app):
    c = app.test_client()
    for persona in ("case_manager", "project_lead"):
        headers = _token(session, world.users[persona])
        assert c.get("/api/v1/letterheads/HHM", headers=headers).status_code == 403
        assert c.put("/api/v1/letterheads/HHM", json={"colour": "#000000"}, headers=headers).status_code == 403
    assert _count(session, Letterhead) == 0


def test_demo_organisations_have_a_letterhead_and_the_sent_agenda_shows_it(app, session):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    rows = session.scalars(select(Letterhead)).all()
    assert {r.organisation.code for r in rows} >= {"GGD", "BK10", "IRIS", "HHM"}
    assert all(r.logo_file_id and r.version == 1 for r in rows)
    agenda = session.scalar(select(Document).where(Document.pdf_file_id.is_not(None)))
    pdf = Archive(app.config["PORTAL"].instance_path / "archive").get(agenda.pdf_file.sha256)
    assert "Denkbeeldlaan 7" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # Bureau HHM (demo)
    assert _images_in_pdf(pdf) == 1


def test_two_saves_at_the_same_moment_give_409_not_500(world, session, browser, monkeypatch):
    b = browser(world.users["admin"])
    assert _save(b).status_code == 302
    # The second admin read "no letterhead yet" just before the first one's version 1 was committed.
    from portal.services import letterheads

    monkeypatch.setattr(letterheads, "current", lambda *_a, **_k: None)
    r = _save(b, colour="#000000")
    assert r.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in r.get_data(as_text=True)
    session.expire_all()
    assert [x.colour for x in session.scalars(select(Letterhead))] == ["#8A1C2B"]
