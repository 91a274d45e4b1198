"""Fictional, idempotent demo data. No real person and no name from the source documents appears here."""

from __future__ import annotations

import base64
import hashlib
import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import demo_attachments, demo_consents, demo_documents, demo_letterheads, demo_retention, demo_woo
from portal.models import (
    Assignment,
    CaseNote,
    CaseNoteVersion,
    Client,
    Consent,
    LocalRole,
    Organisation,
    User,
    Workspace,
    WorkspaceMember,
)
from portal.models.base import utcnow
from portal.models.clients import ContactFrequency, FinancialAdministration, Housing, NoteState, PermitStatus
from portal.models.consents import ConsentState
from portal.services import accounts
from portal.vocab import PEER_RESTRICTED, Confidentiality, DataCategory, GlobalRole, LocalRoleName

DEMO_PASSWORD = "Demo-wachtwoord-2026"  # noqa: S105 - printed by `make run` on purpose; demo only

ORGANISATIONS = [
    ("GGD", "GGD Gelderland-Zuid (demo)", "care"), ("BK10", "Bindkracht 10 (demo)", "care"),
    ("IRIS", "IrisZorg (demo)", "care"), ("HHM", "Bureau HHM (demo)", "consultancy"),
    ("VEIL", "Gemeente — Veiligheid", "municipality"), ("WI", "Gemeente — Werk & Inkomen", "municipality"),
    ("MO", "Gemeente — Maatschappelijke Opvang", "municipality"), ("WON", "Gemeente — Wonen", "municipality"),
    ("GEM", "Gemeente — Bedrijfsvoering", "municipality"),
]

# username, full name, role, organisation, workspaces
USERS = [
    ("sanne", "Sanne Veldkamp", GlobalRole.CASE_MANAGER, "GGD", ["STAP"]),
    ("ilse", "Ilse Brouwer-Tan", GlobalRole.CASE_MANAGER, "BK10", ["STAP"]),
    ("noor", "Noor el Idrissi", GlobalRole.CASE_MANAGER, "IRIS", ["STAP"]),
    ("fleur", "Fleur Oudenaarde", GlobalRole.CASE_MANAGER, "IRIS", ["STAP"]),
    ("mirjam", "Mirjam Lindeboom", GlobalRole.PEER_EXPERT, "IRIS", ["STAP"]),
    ("eva", "Eva Kortenhoeven", GlobalRole.PROJECT_LEAD, "HHM", ["PG", "STUUR"]),
    ("ruben", "Ruben Achterberg", GlobalRole.STAFF, "VEIL", ["PG"]),
    ("lotte", "Lotte Zwaneveld", GlobalRole.STAFF, "WI", ["PG"]),
    ("hamid", "Hamid Bouzerda", GlobalRole.STAFF, "MO", ["PG", "STUUR"]),
    ("wendy", "Wendy Stappers", GlobalRole.STAFF, "WON", ["PG"]),
    ("bas", "Bas Hooijmeijer", GlobalRole.ADMIN, "GEM", []),
    ("petra", "Petra van Luijk", GlobalRole.PRIVACY_OFFICER, "GEM", []),
]

WORKSPACES = [("STAP", "STAP-team", "Casemanagers en ervaringsdeskundige"),
              ("PG", "Projectgroep zorgaanpak", "Gemeente, zorgpartners en projectleiding"),
              ("STUUR", "Stuurgroep", "Bestuurlijk overleg")]

# Profiles mirror the 2023 evaluation (seed 004): housing 4/3/9/2/1/1, 18 of 20 permits,
# 10 protective administration + 2 budget management, contact 11 weekly / 5 monthly / 4 less.
HOUSING = ([Housing.NIGHT_SHELTER] * 4 + [Housing.SHELTERED_HOUSING] * 3 + [Housing.INDEPENDENT] * 9
           + [Housing.HOMELESS] * 2 + [Housing.SOCIAL_SHELTER] + [Housing.OTHER])
FINANCE = [FinancialAdministration.PROTECTIVE] * 10 + [FinancialAdministration.BUDGET_MANAGEMENT] * 2 + [
    FinancialAdministration.NONE] * 8
CONTACT = [ContactFrequency.WEEKLY] * 11 + [ContactFrequency.MONTHLY] * 5 + [ContactFrequency.LESS] * 4
PSEUDONYMS = ["Roos", "Jasmijn", "Lelie", "Iris", "Dahlia", "Violet", "Anemoon", "Klaproos", "Hortensia",
              "Magnolia", "Tulp", "Zonnebloem", "Lavendel", "Kamille", "Margriet", "Vlinder", "Merel", "Zwaluw",
              "Esdoorn", "Wilg"]

NOTE_TEMPLATES: dict[str, list[tuple[str, str, DataCategory]]] = {
    "housing": [("Gesprek over woonsituatie", "Cliënte slaapt deze week weer in de nachtopvang. Samen met de "
                 "woningcorporatie gekeken naar een plek in beschermd wonen; aanmelding wordt voorbereid.",
                 DataCategory.HOUSING),
                ("Bezichtiging kamer", "Vandaag een kamer bezichtigd. Cliënte was positief, maar twijfelt over "
                 "de afstand tot de zone. Volgende week besluit.", DataCategory.HOUSING)],
    "finances": [("Bewindvoering aangevraagd", "Met cliënte de aanvraag voor beschermingsbewind ingevuld. "
                  "Schulden in kaart gebracht; een deel is nog onbekend.", DataCategory.FINANCES),
                 ("Uitkering en briefadres", "Briefadres geregeld zodat de uitkering kan doorlopen. Afspraak met "
                  "Werk & Inkomen staat.", DataCategory.WORK_INCOME)],
    "physical_health": [("Huisartsbezoek", "Cliënte begeleid naar de huisarts voor een controle. Afspraak voor "
                         "vervolgonderzoek gemaakt.", DataCategory.HEALTH),
                        ("Soa-spreekuur", "Cliënte heeft het spreekuur van de GGD bezocht. Geen bijzonderheden.",
                         DataCategory.SEXUAL_HEALTH)],
    "substance_use": [("Gebruik besproken", "Open gesprek over het gebruik van de afgelopen weken. Cliënte wil "
                       "minderen en staat open voor contact met de verslavingszorg.", DataCategory.ADDICTION)],
    "mental_health": [("Onrustig", "Cliënte was onrustig en sliep slecht. Overleg met de GGZ-verpleegkundige "
                       "over diagnostiek.", DataCategory.MENTAL_HEALTH)],
    "justice": [("Boete en reclassering", "Openstaande boetes besproken. Contact gelegd met de reclassering "
                 "over een betalingsregeling.", DataCategory.JUSTICE)],
    "social_network": [("Contact met familie", "Cliënte heeft weer contact met haar zus. Zij wil meedenken over "
                        "wonen.", DataCategory.SOCIAL)],
    "time_use": [("Dagbesteding", "Cliënte doet mee aan de kookochtend van de ervaringsdeskundige. Goede sfeer.",
                  DataCategory.GENERAL)],
    "media": [("Ongewenste foto's", "Cliënte meldt dat er foto's van haar online staan. Samen een verzoek tot "
               "verwijdering opgesteld.", DataCategory.GENERAL)],
    "work_education": [("Vergunning en werk", "Vergunning voor de zone verlengd. Gesproken over ander werk op "
                        "termijn.", DataCategory.WORK_INCOME)],
}


def demo_totp_secret(username: str) -> str:
    """Deterministic demo secret so a newcomer can log in at once; real accounts enrol with a random one."""
    return base64.b32encode(hashlib.sha256(f"demo-totp:{username}".encode()).digest()[:20]).decode()


def _get_or_create(session: Session, model: type, lookup: dict[str, object], **values: object) -> object:
    obj = session.scalar(select(model).filter_by(**lookup))
    if obj is None:
        obj = model(**lookup, **values)
        session.add(obj)
        session.flush()
    return obj


def load(session: Session, *, today: date, fast_hash: bool = False) -> dict[str, int]:
    """Create the demo world if it is not there yet. Running it twice changes nothing."""
    if session.scalar(select(User.id).where(User.username == "sanne")) is not None:
        return {"created": 0}
    rng = random.Random(2026)  # noqa: S311 - demo content, not security
    orgs = {code: _get_or_create(session, Organisation, {"code": code}, name=name, kind=kind)
            for code, name, kind in ORGANISATIONS}
    spaces = {code: _get_or_create(session, Workspace, {"code": code}, name=name, description=desc)
              for code, name, desc in WORKSPACES}
    pw_hash = accounts.hash_password(DEMO_PASSWORD, fast=fast_hash)
    users: dict[str, User] = {}
    for username, name, role, org, ws in USERS:
        user = User(username=username, full_name=name, role=role, organisation=orgs[org], password_hash=pw_hash,
                    totp_secret=demo_totp_secret(username), email=f"{username}@demo.invalid")
        session.add(user)
        session.flush()
        users[username] = user
        for code in ws:
            session.add(WorkspaceMember(workspace_id=spaces[code].id, user_id=user.id))
    case_managers = [users[u] for u in ("sanne", "ilse", "noor", "fleur")]
    permits = [PermitStatus.GRANTED] * 18 + [PermitStatus.APPLIED, PermitStatus.NONE]
    clients: list[Client] = []
    for i, name in enumerate(PSEUDONYMS):
        client = Client(code=f"C-{today.year}-{i + 1:03d}", display_name=name,
                        date_of_birth=date(1975 + (i * 7) % 28, 1 + i % 12, 1 + (i * 3) % 28),
                        permit_status=permits[i], housing=HOUSING[i], financial_administration=FINANCE[i],
                        contact_frequency=CONTACT[i], workspace_id=spaces["STAP"].id)
        session.add(client)
        session.flush()
        clients.append(client)
        session.add(Assignment(client_id=client.id, user_id=case_managers[i % 4].id))
        if i % 3 == 0:
            session.add(Assignment(client_id=client.id, user_id=users["mirjam"].id))
    session.flush()
    n_notes = 0
    domains = list(NOTE_TEMPLATES)
    for client in clients:
        author_ids = [a.user_id for a in client.assignments]
        for k in range(15):
            domain = domains[(client.id * 7 + k) % len(domains)]
            title, text, category = rng.choice(NOTE_TEMPLATES[domain])
            author = session.get(User, author_ids[k % len(author_ids)])
            if author.role == GlobalRole.PEER_EXPERT and category in PEER_RESTRICTED:
                category = DataCategory.SOCIAL
            level = Confidentiality.VERTROUWELIJK if k == 14 and client.id % 5 == 0 else \
                Confidentiality.ZAAKVERTROUWELIJK
            state = NoteState.DRAFT if k == 0 and client.id % 4 == 0 else NoteState.FINAL
            noted = today - timedelta(days=7 * k + rng.randint(0, 5))
            note = CaseNote(client_id=client.id, author_id=author.id, noted_on=noted, title=title,
                            text=f"{text}\n\nVolgende stap: afspraak over {7 + k % 7} dagen.",
                            life_domains=[domain], data_category=category, confidentiality=level, state=state,
                            finalized_at=utcnow() if state == NoteState.FINAL else None)
            session.add(note)
            session.flush()
            session.add(CaseNoteVersion(note_id=note.id, number=1, title=note.title, text=note.text,
                                        life_domains=note.life_domains, author_id=author.id))
            n_notes += 1
    # Consents: most clients valid (naming partner organisations), one revoked, one expired.
    for i, client in enumerate(clients):
        cm = session.get(User, client.assignments[0].user_id)
        starts = today - timedelta(days=200 + i)
        consent = Consent(client_id=client.id, created_by_id=cm.id, reference=f"STAP/{today.year}/{i + 1:04d}",
                          categories=["general", "housing", "finances", "work_income"] + (
                              ["health"] if i % 2 == 0 else []),
                          purpose="Samenwerking in de zorgaanpak straatsekswerk", starts_on=starts,
                          ends_on=starts + timedelta(days=365), state=ConsentState.SIGNED, signed_at=utcnow())
        consent.organisations = [orgs["GGD"], orgs["BK10"], orgs["IRIS"], orgs["MO"], orgs["WI"]] + (
            [orgs["WON"]] if client.housing in {Housing.HOMELESS, Housing.NIGHT_SHELTER} else [])
        if i == 1:
            consent.state, consent.revoked_at, consent.revoked_on = ConsentState.REVOKED, utcnow(), today
            consent.revocation_reason = "Cliënte wil niet langer dat gegevens worden gedeeld."
        if i == 2:
            consent.starts_on, consent.ends_on = today - timedelta(days=500), today - timedelta(days=135)
        if i == 3:
            consent.ends_on = today + timedelta(days=12)  # shows on the start page as expiring
        session.add(consent)
    # A dossier shared by name with the project lead, to show sharing on the start page.
    session.add(LocalRole(object_type="client", object_id=clients[4].id, principal_kind="user",
                          principal_id=users["eva"].id, role=LocalRoleName.READER, granted_by_id=case_managers[0].id))
    session.flush()
    demo_letterheads.load(session)  # first: the sealed consents and the sent agenda carry a letterhead
    demo_consents.load(session, today=today, password=DEMO_PASSWORD)  # signed, sealed and archived consents
    demo_documents.load(session, today=today)  # agenda, minutes, plans, council briefing, client plans with ZRM
    demo_retention.load(session, today=today)  # records past their retention period, one dossier under a hold
    demo_woo.load(session, today=today)  # a Woo request on a council briefing, redactions proposed
    demo_attachments.load(session, today=today)  # a note with a PDF attachment (a fictional decision)
    return {"created": 1, "users": len(users), "clients": len(clients), "notes": n_notes}
