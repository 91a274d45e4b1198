"""A case manager agrees and evaluates a client's plan of approach with a ZRM chart."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal import access
from portal.models import Document
from portal.vocab import Action


def _new_plan(b, client_id: int) -> int:  # noqa: ANN001
    r = b.post(f"/documents/new?type=plan_of_approach&client={client_id}", {
        "title": "Plan van aanpak", "situation": "Cliënte zoekt rust.", "goals-housing": "Een vaste woonplek.",
        "goals-finances": "Overzicht van de schulden.", "actions-0-description": "Aanmelden beschermd wonen",
        "actions-0-owner": "casemanager", "actions-0-deadline_on": "2026-12-01", "actions-0-status": "open",
        "evaluate_on": "2027-01-15", "confidentiality": "zaakvertrouwelijk"})
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    return int(r.location.rsplit("/", 1)[1])


def test_agree_measure_and_evaluate_with_zrm_chart(world, session, browser):
    client = world.clients["own"]
    b = browser(world.users["case_manager"])
    assert "Plannen van aanpak" in b.get(f"/clients/{client.id}").get_data(as_text=True)
    doc_id = _new_plan(b, client.id)
    first = (date.today() - timedelta(days=90)).isoformat()
    assert b.post(f"/documents/{doc_id}/measurements", {"measured_on": first, "zrm-housing": "1",
                                                        "zrm-finances": "2"}).status_code == 302
    assert b.post(f"/documents/{doc_id}/agree", {}).status_code == 302
    assert b.post(f"/documents/{doc_id}/measurements", {"measured_on": date.today().isoformat(), "zrm-housing": "3",
                                                        "zrm-finances": "4"}).status_code == 302
    assert b.post(f"/documents/{doc_id}/evaluate", {"remark": ""}).status_code == 400
    assert b.post(f"/documents/{doc_id}/evaluate", {"remark": "Woonplek gevonden."}).status_code == 302
    session.expire_all()
    doc = session.get(Document, doc_id)
    assert doc.state == "evaluated" and doc.client_id == client.id
    assert [v.kind for v in doc.versions] == ["create", "agreed", "evaluation"]
    assert doc.versions[-1].remark == "Woonplek gevonden."
    assert "Huisvesting\t1 acute problematiek\t3 beperkt zelfredzaam" in doc.text
    page = b.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "ZRM-score per levensdomein" in page
    img = page.split('src="', 1)[1].split('"', 1)[0] if "/charts/" in page else ""
    assert "/charts/" in img
    png = b.get(img)
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    pdf = b.get(f"/documents/{doc_id}/file?format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # evaluated again: another version
    assert b.post(f"/documents/{doc_id}/evaluate", {"remark": "Tweede evaluatie."}).status_code == 302
    session.expire_all()
    assert session.get(Document, doc_id).version_number == 4


def test_bad_zrm_scores_are_refused(world, session, browser):
    b = browser(world.users["case_manager"])
    doc_id = _new_plan(b, world.clients["own"].id)
    today = date.today().isoformat()
    for form, message in [({"measured_on": today, "zrm-housing": "7"}, "heel getal van 1 tot en met 5"),
                          ({"measured_on": today}, "Vul ten minste één score in."),
                          ({"measured_on": "2999-01-01", "zrm-housing": "2"}, "niet in de toekomst")]:
        r = b.post(f"/documents/{doc_id}/measurements", form)
        assert r.status_code == 400 and message in r.get_data(as_text=True), form
    session.expire_all()
    assert session.get(Document, doc_id).measurements == []


def test_client_plan_is_client_content(world, session, browser):
    """Like a case note: the assigned case manager, never the project lead or the admin; drafts for the author."""
    b = browser(world.users["case_manager"])
    doc_id = _new_plan(b, world.clients["own"].id)
    b.post(f"/documents/{doc_id}/agree", {})
    session.expire_all()
    doc = session.get(Document, doc_id)
    u = world.users
    expected = {"case_manager", "peer_expert"}  # assigned; general category is open to the assigned peer expert
    for persona in u:
        assert access.can(u[persona], Action.VIEW, doc) is (persona in expected), persona
        assert bool(access.principals(u[persona]) & access.allowed_principals(doc)) is (persona in expected), persona
    assert not access.can(u["peer_expert"], Action.EDIT, doc)
    assert browser(u["other_cm"]).get(f"/documents/{doc_id}").status_code == 404
    # other_cm cannot start a plan in a dossier she is not assigned to
    assert browser(u["other_cm"]).get(f"/documents/new?type=plan_of_approach&client={world.clients['own'].id}"
                                      ).status_code == 404
    plans = session.scalars(select(Document).where(Document.client_id == world.clients["own"].id)).all()
    assert len(plans) == 1
