"""Demo letters and plans: a project group agenda (sent) and its minutes with actions, a project plan in
review, a council briefing draft with aggregate figures, and client plans with two ZRM measurements.

Fictional throughout, in the spirit of the project group's own documents (seeds 002-004). Goes
through the same services as the pages, so the demo shows the real workflow.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.archive import Archive
from portal.audit import Where
from portal.models import Assignment, Client, User, Workspace
from portal.models.documents import DocType
from portal.services import client_plans, documents, reviews

WHERE = Where("demo")

AGENDA_ITEMS = """Opening, vaststellen agenda en mededelingen | vaststellen | Eva Kortenhoeven
Terugblik: bespreking in de raadscommissie | ter informatie | Eva Kortenhoeven | Verslag raadscommissie
Voortgang casemanagement en woonplekken | bespreken | Hamid Bouzerda | Overzicht woonsituatie
Borging na afloop van het project | bespreken | Eva Kortenhoeven | Notitie borging
Rondvraag en afsluiting | ter informatie"""

MINUTES_ITEMS = """## Opening, vaststellen agenda en mededelingen
Agenda zonder wijzigingen vastgesteld. Geen mededelingen.
Besluit: De agenda is vastgesteld.

## Terugblik: bespreking in de raadscommissie
De raadscommissie heeft de tussenevaluatie besproken. De toon was positief; de commissie vraagt om
cijfers over woonplekken en vergunningen in de volgende brief.

## Voortgang casemanagement en woonplekken
Vier vrouwen verblijven in de nachtopvang. Voor twee van hen wordt een plek in beschermd wonen
voorbereid. De wachttijd bij de woningcorporaties blijft het grootste knelpunt.
Besluit: Wonen en MO maken afspraken over twee urgentieplekken per kwartaal.

## Borging na afloop van het project
Partijen willen de samenwerking vasthouden. Twee lijnen: regie bij de gemeente of aanhaken bij een
zorgpartij. De projectleider werkt beide lijnen uit voor de stuurgroep.
Besluit: De notitie borging gaat na aanvulling naar de stuurgroep.

## Rondvraag en afsluiting
Geen vragen."""

MEMO = {
    "to": "Stuurgroep zorgaanpak", "author": "Projectleider HHM", "cc": "Projectgroep",
    "body": "Vanaf januari vergadert de stuurgroep maandelijks in plaats van eens per kwartaal, zodat besluiten "
            "over de huisvestingsplekken en de vergunningen niet blijven liggen.\n\nHet verslag gaat binnen een "
            "week naar de leden; de agenda een week voor de vergadering.",
    "action_points": "- Vergaderdata voor het eerste halfjaar vastleggen\n- Agenda van januari rondsturen",
}

BRIEFING = {
    "recipient": "Aan de gemeenteraad van Nijmegen",
    "evaluation_and_explanation": (
        "Het project zorgaanpak straatsekswerkers loopt sinds augustus. In deze brief informeren wij u over de "
        "evaluatie en over de stappen die nodig zijn om de aanpak te borgen.\n\n"
        "De casemanagers van het STAP-team begeleiden de vrouwen op meerdere levensdomeinen. De meeste vrouwen "
        "hebben een vergunning en wekelijks contact met hun casemanager. Wonen blijft het lastigste domein."),
    "figures": ["housing", "permits", "contact", "zrm"],
    "legal_background": (
        "Het werken in de aangewezen zone vraagt een vergunning. Voor de vergunning gelden de criteria uit de "
        "APV: 18 jaar of ouder en regelmatig werkzaam in de zone, of gebruik van het zorgaanbod."),
    "topics_for_discussion": "- Waar wordt de zorg voor deze vrouwen belegd?\n- Is gemeentelijke regie nodig?",
    "decisions_requested": "- Besluit over de borging per 1 augustus\n- Besluit over de inzet van casemanagers",
    "next_steps": "Technische toelichting voor de raadscommissie, gevolgd door een werkbezoek.",
    "signed_by": "Burgemeester en wethouders van Nijmegen",
}

PROJECT_PLAN = {
    "introduction": (
        "U heeft ons gevraagd een plan B uit te werken op basis van het eerdere plan van aanpak. Dit plan "
        "richt zich op straatsekswerkers voor wie vanuit gezondheid en veiligheid een zorgkader mogelijk is."),
    "steps": ("Inrichting projectstructuur | Begeleidingscommissie, projectgroep en klankbordgroep\n"
              "Verkennen plan B | Gesprekken met partijen en met de vrouwen zelf\n"
              "Uitwerken plan B | Uitwerking per thema met de projectgroep\n"
              "Besluitvorming | Voorleggen aan college en raad"),
    "structure": ("Begeleidingscommissie | Opdrachtgever MO; Opdrachtgever Veiligheid | Sturen en besluiten\n"
                  "Projectleiding | Projectleider bureau HHM; Projectondersteuning | Dagelijkse leiding\n"
                  "Projectgroep | Zorg; Beleid MO; Veiligheid; GGD; Werk en inkomen; Huisvesting | Uitwerken"),
    "themes": "Wonen | Doorstroom naar beschermd wonen\nInkomen | Uitkering en bewindvoering\nZorg | GGZ en "
              "verslavingszorg",
    "preconditions": "- Commitment van alle partijen\n- Beschikbaarheid van woonplekken",
    "risks": "Te weinig woonplekken | Afspraken met corporaties over urgentie\n"
             "Uitval van de doelgroep | Outreachend werken met een ervaringsdeskundige",
    "planning": "Inrichting projectstructuur | 10 | 2\nVerkennen plan B | 12 | 4\nUitwerken plan B | 16 | 6\n"
                "Besluitvorming | 22 | 3",
    "budget": "Projectleiding | 120 | 110 |\nProjectondersteuning | 60 | 85 |\nBijeenkomsten en materiaal | | | "
              "1.250,00",
    "vat_rate": "21",
}

PLAN_GOALS = {"housing": "Een vaste woonplek binnen een jaar.", "finances": "Schulden in kaart en een bewindvoerder.",
              "physical_health": "Regelmatig naar de huisarts."}


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def load(session: Session, *, today: date) -> int:
    """Create the demo documents; returns how many. Called once, from `portal.demo.load`."""
    eva, hamid, ruben, lotte = (_user(session, u) for u in ("eva", "hamid", "ruben", "lotte"))
    pg = session.scalar(select(Workspace).where(Workspace.code == "PG"))
    assert pg is not None
    held = today - timedelta(days=7)
    kw = {"threshold": 5, "where": WHERE}
    agenda = documents.create(session, actor=eva, doc_type=DocType.AGENDA, title=f"Agenda projectgroep {held:%d-%m}",
                              workspace=pg, today=held - timedelta(days=7), fields={
                                  "meeting": "projectgroep zorgaanpak straatsekswerkers", "held_on": held.isoformat(),
                                  "starts_at": "13:30", "ends_at": "15:00", "location": "Stadhuis, kamer 2.14",
                                  "invitees": "Ruben Achterberg – Veiligheid\nLotte Zwaneveld – Werk en inkomen\n"
                                              "Hamid Bouzerda – MO\nWendy Stappers – Wonen",
                                  "items": AGENDA_ITEMS}, **kw)
    reviews.request_review(session, actor=eva, doc=agenda, reviewer_ids=[hamid.id], today=today, where=WHERE)
    reviews.decide(session, actor=hamid, doc=agenda, approve=True, today=today, where=WHERE)
    if has_app_context():
        reviews.send(session, actor=eva, doc=agenda, archive=Archive(current_app.config["PORTAL"].instance_path
                                                                     / "archive"), threshold=5, today=today,
                     where=WHERE)
    minutes = documents.create(session, actor=eva, doc_type=DocType.MINUTES, title=f"Verslag projectgroep {held:%d-%m}",
                               workspace=pg, agenda=agenda, today=today, fields={
                                   "meeting": "projectgroep zorgaanpak straatsekswerkers", "held_on": held.isoformat(),
                                   "location": "Stadhuis, kamer 2.14", "chair": "Eva Kortenhoeven",
                                   "secretary": "Eva Kortenhoeven",
                                   "attendees": "Ruben Achterberg\nLotte Zwaneveld\nHamid Bouzerda",
                                   "absent": "Wendy Stappers", "items": MINUTES_ITEMS, "actions": [
                                       {"description": "Afspraken urgentieplekken voorbereiden met Wonen",
                                        "owner": str(hamid.id), "due_on": (today + timedelta(days=21)).isoformat()},
                                       {"description": "Cijfers vergunningen aanleveren voor de raadsbrief",
                                        "owner": str(ruben.id), "due_on": (today + timedelta(days=10)).isoformat()},
                                       {"description": "Uitkering en briefadres: knelpunten op een rij",
                                        "owner": str(lotte.id), "due_on": (today + timedelta(days=14)).isoformat()},
                                       {"description": "Notitie borging aanvullen", "owner": str(eva.id),
                                        "due_on": (today + timedelta(days=7)).isoformat()}]}, **kw)
    reviews.request_review(session, actor=eva, doc=minutes, reviewer_ids=[hamid.id], today=today, where=WHERE)
    reviews.decide(session, actor=hamid, doc=minutes, approve=True, today=today, where=WHERE)
    plan = documents.create(session, actor=eva, doc_type=DocType.PROJECT_PLAN, title="Projectvoorstel plan B",
                            workspace=pg, today=today, fields=PROJECT_PLAN, **kw)
    reviews.request_review(session, actor=eva, doc=plan, reviewer_ids=[hamid.id, ruben.id], today=today, where=WHERE)
    n = 3 + _client_plans(session, today=today)  # before the briefing: its ZRM figures need the measurements
    documents.create(session, actor=eva, doc_type=DocType.COUNCIL_BRIEFING, title="Evaluatie zorgaanpak "
                     "straatsekswerkers", workspace=pg, today=today, fields=BRIEFING, **kw)
    documents.create(session, actor=eva, doc_type=DocType.MEMO, title="Vergaderritme stuurgroep", workspace=pg,
                     today=today, fields=MEMO, **kw)
    return n + 2


def _client_plans(session: Session, *, today: date) -> int:
    """Plans with a first and a latest ZRM measurement for six clients (enough for averages above the threshold)."""
    rows = session.execute(select(Client, Assignment.user_id).join(Assignment).join(
        User, User.id == Assignment.user_id).where(User.role == "case_manager").order_by(Client.id).limit(6)).all()
    for i, (client, cm_id) in enumerate(rows):
        cm = session.get(User, cm_id)
        assert cm is not None
        doc = documents.create(session, actor=cm, doc_type=DocType.PLAN_OF_APPROACH,
                               title=f"Plan van aanpak {client.display_name}", client=client, threshold=5,
                               today=today - timedelta(days=120), where=WHERE, fields={
                                   "situation": "Cliënte wil rust en een vaste plek. Zij werkt in de zone en heeft "
                                                "wekelijks contact met haar casemanager.",
                                   "goals": PLAN_GOALS, "evaluate_on": (today + timedelta(days=60)).isoformat(),
                                   "actions": [{"description": "Aanmelding beschermd wonen", "owner": cm.full_name,
                                                "deadline_on": (today + timedelta(days=30)).isoformat(),
                                                "status": "in_progress"},
                                               {"description": "Afspraak bij de huisarts", "owner": "cliënte",
                                                "deadline_on": "", "status": "done"}]})
        first = {"housing": 1 + i % 2, "finances": 2, "physical_health": 2, "substance_use": 2 + i % 2,
                 "social_network": 2}
        latest = {k: min(5, v + 1 + (i + len(k)) % 2) for k, v in first.items()}
        client_plans.add_measurement(session, actor=cm, doc=doc, measured_on=today - timedelta(days=120),
                                     scores=first, threshold=5, today=today, where=WHERE)
        client_plans.agree(session, actor=cm, doc=doc, threshold=5, today=today - timedelta(days=119), where=WHERE)
        client_plans.add_measurement(session, actor=cm, doc=doc, measured_on=today - timedelta(days=5),
                                     scores=latest, threshold=5, today=today, where=WHERE)
        client_plans.evaluate(session, actor=cm, doc=doc, remark="Woonplek in zicht; contact met de huisarts loopt.",
                              threshold=5, today=today, where=WHERE)
    return len(rows)
