"""Project plan of approach (plan van aanpak), after seed 003."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from letters.model import Document
from letters.project_plan import (
    BudgetLine,
    PlanningItem,
    ProjectPlan,
    ProjectRole,
    ProjectStep,
    Risk,
    Theme,
    build_project_plan,
)
from portal.doctypes import Context, DocKind, Field, register
from portal.doctypes._lines import cells, fail, number, whole
from portal.models.documents import DocType

FIELDS = (
    Field("introduction", _l("Inleiding en vraagstelling"), required=True),
    Field("steps", _l("Stappen"), "lines", help=_l("Per regel: titel | beschrijving")),
    Field("structure", _l("Projectstructuur"), "lines",
          help=_l("Per regel: onderdeel | leden, gescheiden door ';' | taak")),
    Field("themes", _l("Thema's"), "lines", help=_l("Per regel: thema | beschrijving")),
    Field("preconditions", _l("Randvoorwaarden")),
    Field("risks", _l("Risico's en beheersmaatregelen"), "lines", help=_l("Per regel: risico | maatregel")),
    Field("planning", _l("Planning"), "lines", help=_l("Per regel: activiteit | startweek | aantal weken")),
    Field("budget", _l("Begroting"), "lines",
          help=_l("Per regel: omschrijving | uren | tarief | vast bedrag (uren en tarief, of een bedrag)")),
    Field("vat_rate", _l("Btw-percentage"), "line", help=_l("Standaard 21")),
)
_F = {f.name: f for f in FIELDS}


def _budget(text: str) -> tuple[BudgetLine, ...]:
    f = _F["budget"]
    lines = []
    for n, (desc, hours, rate, amount) in cells(f, text, most=4, least=2):
        values = [number(f, v, n) for v in (hours, rate, amount)]
        if values[2] is None and (values[0] is None or values[1] is None):
            raise fail(f, _l("%(label)s, regel %(n)s: geef uren en een tarief, of een bedrag."), n=n)
        lines.append(BudgetLine(desc, *values))
    return tuple(lines)


def _vat(text: str) -> Decimal:
    f = _F["vat_rate"]
    if not text.strip():
        return Decimal("0.21")
    rate = number(f, text.rstrip("% "), 1)
    if rate is None or not 0 <= rate < 100:
        raise fail(f, _l("%(label)s: een percentage van 0 tot 100."))
    return rate / 100


def plan_of(f: dict[str, Any]) -> ProjectPlan:
    steps = tuple(ProjectStep(t, d) for _, (t, d) in cells(_F["steps"], f["steps"], most=2))
    structure = tuple(ProjectRole(name, tuple(m.strip() for m in members.split(";") if m.strip()), task)
                      for _, (name, members, task) in cells(_F["structure"], f["structure"], most=3))
    themes = tuple(Theme(t, d) for _, (t, d) in cells(_F["themes"], f["themes"], most=2))
    risks = tuple(Risk(r, m) for _, (r, m) in cells(_F["risks"], f["risks"], most=2, least=2))
    planning = tuple(PlanningItem(a, whole(_F["planning"], s, n), whole(_F["planning"], w, n, default=1))
                     for n, (a, s, w) in cells(_F["planning"], f["planning"], most=3, least=2))
    return ProjectPlan(introduction=f["introduction"], steps=steps, structure=structure, themes=themes,
                       preconditions=f["preconditions"], risks=risks, planning=planning,
                       budget=_budget(f["budget"]), vat_rate=_vat(f["vat_rate"]))


def _build(f: dict[str, Any], ctx: Context) -> Document:
    return build_project_plan(plan_of(f), sender=ctx.sender, subject=ctx.subject, reference=ctx.reference,
                              dated_on=ctx.dated_on, footer_note=ctx.footer_note)


KIND = register(DocKind(type=DocType.PROJECT_PLAN,
                        label=_l("Projectplan van aanpak"), series="PVA", workflow="review", fields=FIELDS,
                        builder=_build))
