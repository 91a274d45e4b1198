"""Aggregate figures from all dossiers for council briefings, with small numbers suppressed.

Deliberately without access checks: the figures are computed over every client, and only
suppressed counts and averages leave this module (via `letters.figures`), never a name, an id or a
single person's score. That is how the project lead sees figures but never a dossier behind them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from letters import figures as letter_figures
from letters.model import Chart, Table
from portal.models import Client, ZrmMeasurement
from portal.models.clients import ContactFrequency, FinancialAdministration, Housing, PermitStatus

#: The figures a briefing may embed, in the order they appear.
KINDS = ("housing", "permits", "contact", "finances", "zrm")

_LABELS: dict[str, tuple[object, type[StrEnum], str, dict[str, object]]] = {
    "housing": (_l("Woonsituatie van de cliënten"), Housing, "housing", {
        "night_shelter": _l("Nachtopvang"), "sheltered_housing": _l("Beschermd wonen"),
        "independent": _l("Zelfstandig"), "homeless": _l("Dakloos"),
        "social_shelter": _l("Maatschappelijke opvang"), "other": _l("Anders")}),
    "permits": (_l("Vergunningen"), PermitStatus, "permit_status", {
        "none": _l("Geen"), "applied": _l("Aangevraagd"), "granted": _l("Verleend"), "refused": _l("Geweigerd"),
        "expired": _l("Verlopen")}),
    "contact": (_l("Contactfrequentie met de casemanager"), ContactFrequency, "contact_frequency", {
        "weekly": _l("Wekelijks"), "monthly": _l("Maandelijks"), "less": _l("Minder dan maandelijks")}),
    "finances": (_l("Financiële situatie"), FinancialAdministration, "financial_administration", {
        "none": _l("Geen"), "protective": _l("Beschermingsbewind"), "budget_management": _l("Budgetbeheer"),
        "debt_relief": _l("Schuldhulpverlening")}),
}


def count_figure(session: Session, kind: str, *, threshold: int) -> Table:
    """Clients per category of one attribute, as a table with small numbers suppressed."""
    title, enum, column, labels = _LABELS[kind]
    counts = Counter(session.scalars(select(getattr(Client, column))))
    shown = {str(labels[m.value]): counts.get(m, 0) for m in enum}
    return letter_figures.count_table(str(title), shown, threshold)


def zrm_scores(session: Session) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Per life domain, the scores at each client's first and latest measurement (clients measured twice+)."""
    by_client: dict[int, list[tuple[object, int, dict[str, int]]]] = defaultdict(list)
    for client_id, measured_on, mid, scores in session.execute(
            select(ZrmMeasurement.client_id, ZrmMeasurement.measured_on, ZrmMeasurement.id, ZrmMeasurement.scores)):
        by_client[client_id].append((measured_on, mid, scores or {}))
    first: dict[str, list[int]] = defaultdict(list)
    latest: dict[str, list[int]] = defaultdict(list)
    for rows in by_client.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: (r[0], r[1]))
        for domain, score in rows[0][2].items():
            first[domain].append(int(score))
        for domain, score in rows[-1][2].items():
            latest[domain].append(int(score))
    return dict(first), dict(latest)


def compute(session: Session, kinds: Sequence[str], *, threshold: int) -> tuple[Table | Chart, ...]:
    """The chosen figures, in `KINDS` order; unknown names are ignored."""
    out: list[Table | Chart] = []
    for kind in KINDS:
        if kind not in kinds:
            continue
        if kind == "zrm":
            first, latest = zrm_scores(session)
            if first or latest:
                table, chart = letter_figures.zrm_comparison(first, latest, threshold)
                out += [table, *([chart] if chart else [])]
        else:
            out.append(count_figure(session, kind, threshold=threshold))
    return tuple(out)
