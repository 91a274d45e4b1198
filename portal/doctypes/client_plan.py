"""A client's plan of approach: goals per life domain, actions, ZRM measurements (kept as rows)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from letters.model import Document
from letters.plan_of_approach import ActionStatus, ClientPlan, Goal, PlanAction, build_client_plan
from letters.vocab import LIFE_DOMAINS
from portal.doctypes import Context, DocKind, Field, register
from portal.doctypes._lines import day, fail
from portal.models.documents import DocType

STATUSES = ((ActionStatus.OPEN.value, _l("open")), (ActionStatus.IN_PROGRESS.value, _l("loopt")),
            (ActionStatus.DONE.value, _l("afgerond")), (ActionStatus.CANCELLED.value, _l("vervallen")))
DOMAINS = tuple((code, nl) for code, nl, _en in LIFE_DOMAINS)

ACTION_COLUMNS = (Field("description", _l("Actie"), "short"), Field("owner", _l("Wie"), "line"),
                  Field("deadline_on", _l("Uiterlijk"), "date"),
                  Field("status", _l("Status"), "select", choices=STATUSES))

FIELDS = (
    Field("situation", _l("Situatie en hulpvraag")),
    Field("goals", _l("Doelen per levensdomein"), "goals", choices=DOMAINS,
          help=_l("Vul alleen de levensdomeinen in waar de cliënt iets wil bereiken.")),
    Field("actions", _l("Acties"), "rows", columns=ACTION_COLUMNS),
    Field("evaluate_on", _l("Evaluatie op"), "date"),
)
_F = {f.name: f for f in FIELDS}


def actions_of(rows: list[dict[str, Any]]) -> tuple[PlanAction, ...]:
    field = _F["actions"]
    out = []
    for n, row in enumerate(rows, start=1):
        desc, owner = str(row.get("description", "")).strip(), str(row.get("owner", "")).strip()
        deadline = str(row.get("deadline_on", "") or "").strip()
        status = str(row.get("status", "") or "open")
        if not desc or not owner:
            raise fail(field, _l("%(label)s, regel %(n)s: vul de actie en wie haar uitvoert in."), n=n)
        if deadline and day(deadline) is None:
            raise fail(field, _l("%(label)s, regel %(n)s: vul een geldige datum in."), n=n)
        if status not in {s for s, _ in STATUSES}:
            raise fail(field, _l("%(label)s, regel %(n)s: kies een status."), n=n)
        out.append(PlanAction(desc, owner, day(deadline), ActionStatus(status)))
    return tuple(out)


def plan_of(f: dict[str, Any], ctx: Context) -> ClientPlan:
    goals = tuple(Goal(code, text) for code, text in f["goals"].items() if text.strip())
    return ClientPlan(client=ctx.client_name or "-", case_manager=ctx.case_manager, situation=f["situation"],
                      goals=goals, actions=actions_of(f["actions"]), measurements=ctx.measurements,
                      agreed_on=day(f.get("agreed_on", "") or ""), evaluate_on=day(f["evaluate_on"]))


def _build(f: dict[str, Any], ctx: Context) -> Document:
    return build_client_plan(plan_of(f, ctx), sender=ctx.sender, subject=ctx.subject, reference=ctx.reference,
                             dated_on=ctx.dated_on, footer_note=ctx.footer_note)


KIND = register(DocKind(type=DocType.PLAN_OF_APPROACH, label=_l("Plan van aanpak (cliënt)"), series="PLAN",
                        workflow="plan", fields=FIELDS, builder=_build))
