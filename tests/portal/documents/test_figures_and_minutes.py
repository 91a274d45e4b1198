"""Aggregate figures with small numbers suppressed; minutes from an agenda with actions on the start page."""

from __future__ import annotations

from datetime import date, timedelta

from portal.models import ActionItem, Document, ZrmMeasurement
from portal.models.clients import Housing
from portal.services import figures, reviews
from tests.factories import create_client


def test_counts_below_the_threshold_are_suppressed(world, session):
    # The world has five clients, all living independently: 5 is shown, a category of 1-4 is not.
    extra = create_client(session, "EXTRA")
    extra.housing = Housing.HOMELESS
    session.flush()
    table = figures.count_figure(session, "housing", threshold=5)
    rows = dict(table.rows)
    assert rows["Dakloos"] == "< 5"
    assert rows["Zelfstandig"] == "x", "hidden so that the '< 5' cannot be computed back from the total"
    # With one other cell, the total (6) would still pin both down: it is hidden too.
    assert table.footer_rows == (("Totaal", "x"),)
    assert "1" not in {v for _, v in table.rows} and "6" not in str(table.rows)
    assert "Aantallen kleiner dan 5 worden niet getoond" in table.caption
    # A higher threshold from configuration suppresses more.
    assert dict(figures.count_figure(session, "housing", threshold=10).rows)["Zelfstandig"] == "< 10"


def test_zrm_averages_need_enough_people(world, session, docs):
    plan = docs("agenda")  # any document row to hang measurements on
    for i, client in enumerate(world.clients.values()):
        for day, score in ((date.today() - timedelta(days=60), 1 + i % 2), (date.today(), 3 + i % 2)):
            session.add(ZrmMeasurement(document_id=plan.id, client_id=client.id, measured_on=day,
                                       scores={"housing": score, "finances": 2} if i < 4 else {"housing": score},
                                       recorded_by_id=world.users["case_manager"].id))
    session.flush()
    out = figures.compute(session, ["zrm"], threshold=5)
    table, chart = out
    rows = {r[0]: r for r in table.rows}
    assert rows["Huisvesting"][1:] == ("5", "1,4", "5", "3,4", "+2,0")
    assert rows["Financiën"][1:] == ("< 5", "–", "< 5", "–", "–"), "four people: no average"
    assert chart.categories == ("Huisvesting",)


def test_minutes_from_agenda_with_actions_on_the_owners_start_page(world, session, browser, docs):
    staff, lead = world.users["staff"], world.users["project_lead"]
    agenda = docs("agenda", title="Agenda projectgroep")
    reviews.request_review(session, actor=lead, doc=agenda, reviewer_ids=[staff.id], today=date.today())
    reviews.decide(session, actor=staff, doc=agenda, approve=True, today=date.today())
    session.commit()
    pg = world.workspaces["PG"]
    b = browser(lead)
    form = b.get(f"/documents/new?type=minutes&workspace={pg.id}&agenda={agenda.id}").get_data(as_text=True)
    assert "## Woonplekken voor de vrouwen" in form and "Verslag projectgroep" in form
    r = b.post(f"/documents/new?type=minutes&workspace={pg.id}&agenda={agenda.id}", {
        "title": "Verslag projectgroep", "meeting": "projectgroep", "held_on": "2026-03-03",
        "items": "## Opening\nGeen mededelingen.\n\n## Woonplekken voor de vrouwen\nTwee plekken gevonden.\n"
                 "Besluit: Wonen reserveert twee urgentieplekken.",
        "actions-0-description": "Urgentieplekken regelen", "actions-0-owner": str(staff.id),
        "actions-0-due_on": "2026-04-01", "actions-1-description": "Brief aan de raad",
        "actions-1-owner": str(lead.id)})
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    doc = session.get(Document, int(r.location.rsplit("/", 1)[1]))
    assert doc.agenda_id == agenda.id
    assert "• Wonen reserveert twee urgentieplekken." in doc.text
    assert "1\tUrgentieplekken regelen\tStaff\t01-04-2026" in doc.text
    assert [(a.description, a.owner_id) for a in doc.action_items] == [
        ("Urgentieplekken regelen", staff.id), ("Brief aan de raad", lead.id)]
    # A draft's actions stay off the owner's start page until she may see the minutes.
    assert "Urgentieplekken regelen" not in browser(staff).get("/").get_data(as_text=True)
    assert "Brief aan de raad" in b.get("/").get_data(as_text=True)
    reviews.request_review(session, actor=lead, doc=doc, reviewer_ids=[staff.id], today=date.today())
    reviews.decide(session, actor=staff, doc=doc, approve=True, today=date.today())
    session.commit()
    home = browser(staff).get("/").get_data(as_text=True)
    assert "Mijn acties uit verslagen" in home and "Urgentieplekken regelen" in home


def test_action_owner_must_be_a_member(world, browser, docs, session):
    pg = world.workspaces["PG"]
    r = browser(world.users["project_lead"]).post(f"/documents/new?type=minutes&workspace={pg.id}", {
        "title": "Verslag", "meeting": "projectgroep", "held_on": "2026-03-03", "items": "## Opening",
        "actions-0-description": "Iets doen", "actions-0-owner": str(world.users["admin"].id)})
    assert r.status_code == 400 and "kies wie de actie uitvoert" in r.get_data(as_text=True)
    assert session.query(ActionItem).count() == 0
    r = browser(world.users["project_lead"]).post(f"/documents/new?type=minutes&workspace={pg.id}", {
        "title": "Verslag", "meeting": "projectgroep", "held_on": "2026-03-03", "items": "Geen kopje"})
    assert r.status_code == 400 and "begin elk agendapunt met" in r.get_data(as_text=True)
