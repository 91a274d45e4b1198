"""Human labels for the vocabularies, Dutch first (translated through Babel)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

LABELS: dict[str, dict[str, object]] = {
    "life_domain": {
        "finances": _l("Financiën"), "work_education": _l("Werk & opleiding"), "time_use": _l("Tijdsbesteding"),
        "housing": _l("Huisvesting"), "domestic_relations": _l("Huiselijke relaties"),
        "mental_health": _l("Geestelijke gezondheid"), "physical_health": _l("Lichamelijke gezondheid"),
        "substance_use": _l("Middelengebruik"), "basic_adl": _l("Basale ADL"),
        "instrumental_adl": _l("Instrumentele ADL"), "social_network": _l("Sociaal netwerk"),
        "social_participation": _l("Maatschappelijke participatie"), "justice": _l("Justitie"),
        "media": _l("Media"),
    },
    "category": {
        "general": _l("Algemeen"), "health": _l("Gezondheid"), "mental_health": _l("Geestelijke gezondheid"),
        "addiction": _l("Verslaving"), "sexual_health": _l("Seksuele gezondheid"), "housing": _l("Wonen"),
        "finances": _l("Financiën"),
        "work_income": _l("Werk & inkomen"), "justice": _l("Justitie"), "social": _l("Sociaal"),
    },
    "level": {
        "openbaar": _l("Openbaar"), "beperkt_openbaar": _l("Beperkt openbaar"), "intern": _l("Intern"),
        "zaakvertrouwelijk": _l("Zaakvertrouwelijk"), "vertrouwelijk": _l("Vertrouwelijk"),
        "confidentieel": _l("Confidentieel"), "geheim": _l("Geheim"), "zeer_geheim": _l("Zeer geheim"),
    },
    "role": {
        "case_manager": _l("Casemanager"), "peer_expert": _l("Ervaringsdeskundige"),
        "project_lead": _l("Projectleider"), "staff": _l("Medewerker gemeente"),
        "admin": _l("Functioneel beheerder"), "privacy_officer": _l("Privacyfunctionaris"),
    },
    "local_role": {"reader": _l("Lezer"), "editor": _l("Bewerker"), "reviewer": _l("Beoordelaar")},
    "housing": {
        "night_shelter": _l("Nachtopvang"), "sheltered_housing": _l("Beschermd wonen"),
        "independent": _l("Zelfstandig"), "homeless": _l("Dakloos"), "social_shelter": _l("Maatschappelijke opvang"),
        "other": _l("Anders"),
    },
    "permit": {"none": _l("Geen"), "applied": _l("Aangevraagd"), "granted": _l("Verleend"),
               "refused": _l("Geweigerd"), "expired": _l("Verlopen")},
    "finance": {"none": _l("Geen"), "protective": _l("Beschermingsbewind"),
                "budget_management": _l("Budgetbeheer"), "debt_relief": _l("Schuldhulpverlening")},
    "contact": {"weekly": _l("Wekelijks"), "monthly": _l("Maandelijks"), "less": _l("Minder dan maandelijks")},
    "note_state": {"draft": _l("Concept"), "final": _l("Definitief")},
    "consent_status": {"draft": _l("Concept"), "valid": _l("Geldig"), "revoked": _l("Ingetrokken"),
                       "expired": _l("Verlopen"), "not_yet_valid": _l("Nog niet geldig"),
                       "signed": _l("Ondertekend")},
    "reason": {
        "author": _l("schreef dit zelf"), "assigned": _l("toegewezen casemanager"),
        "assigned_peer": _l("toegewezen ervaringsdeskundige"), "local_user": _l("persoonlijk gedeeld"),
        "local_organisation": _l("gedeeld met de organisatie"), "local_workspace": _l("gedeeld met de werkruimte"),
        "consent": _l("toestemming van de cliënt voor de organisatie"), "emergency": _l("noodtoegang"),
        "member": _l("lid van de werkruimte"),
    },
    "doc_type": {
        "case_note": _l("Notitie"), "council_briefing": _l("Raadsinformatiebrief"), "minutes": _l("Verslag"),
        "agenda": _l("Agenda"), "memo": _l("Memo"), "project_plan": _l("Projectplan"),
        "plan_of_approach": _l("Plan van aanpak"),
        "consent": _l("Toestemming"), "information_letter": _l("Informatiebrief"), "file": _l("Bestand"),
    },
    "principal_kind": {"user": _l("Gebruiker"), "organisation": _l("Organisatie"), "workspace": _l("Werkruimte")},
}


def label(kind: str, value: object) -> str:
    key = getattr(value, "value", value)
    if kind == "level" and hasattr(value, "code"):
        key = value.code
    return str(LABELS.get(kind, {}).get(str(key), key))


def init_app(app: Flask) -> None:
    from flask_login import current_user

    from portal import access
    from portal.vocab import Action

    # Templates ask portal/access too; they never compare roles themselves.
    app.jinja_env.globals["allowed"] = lambda action, obj=None: access.can(current_user, Action(action), obj)
    app.jinja_env.globals["may_break_glass"] = lambda: access.may_break_glass(current_user)
    app.jinja_env.globals["works_with_clients"] = lambda: access.works_with_clients(current_user)
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["LABELS"] = LABELS
