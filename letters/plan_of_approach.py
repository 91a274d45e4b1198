"""Plan of approach (plan van aanpak), per client: goals per life domain, actions, ZRM scores.

A client plan is one person's own plan, shared with her: it shows her scores, so nothing is
suppressed here (aggregates across clients go through `letters.figures`). The project-level
plan (steps, structure, risks, planning, budget, after seed 003) lives in
`letters.project_plan` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from letters.errors import InvalidFieldError
from letters.fields import MAX_SHORT, check_date, check_items, check_line, check_text, make_document, text_blocks
from letters.letterhead import format_short_date
from letters.model import Block, Chart, Document, Heading, KeyValue, Recipient, Reference, Sender, Table
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
from letters.vocab import check_domain, check_language, check_zrm_score, domain_label, domain_order, zrm_label

__all__ = [
    "ActionStatus", "ClientPlan", "Goal", "PlanAction", "ZrmMeasurement", "build_client_plan",
    # the plan of approach at project level, from letters.project_plan
    "BudgetLine", "PlanningItem", "ProjectPlan", "ProjectRole", "ProjectStep", "Risk", "Theme", "build_project_plan",
]


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


_STATUS = {
    ActionStatus.OPEN: ("open", "open"),
    ActionStatus.IN_PROGRESS: ("loopt", "in progress"),
    ActionStatus.DONE: ("afgerond", "done"),
    ActionStatus.CANCELLED: ("vervallen", "cancelled"),
}

_TEXT = {
    "nl": {
        "client": "Cliënt", "case_manager": "Casemanager", "agreed_on": "Afgesproken op",
        "evaluate_on": "Evaluatie op", "situation": "Situatie en hulpvraag", "goals": "Doelen per levensdomein",
        "domain": "Levensdomein", "goal": "Doel", "actions": "Acties", "action": "Actie", "owner": "Wie",
        "deadline": "Uiterlijk", "status": "Status", "zrm": "Zelfredzaamheid (ZRM)",
        "measurement": "Meting {day}", "zrm_caption": "ZRM-scores: 1 {s1}, 2 {s2}, 3 {s3}, 4 {s4}, 5 {s5}.",
        "chart": "ZRM-score per levensdomein", "score_axis": "Score (1-5)",
    },
    "en": {
        "client": "Client", "case_manager": "Case manager", "agreed_on": "Agreed on", "evaluate_on": "Evaluation on",
        "situation": "Situation and request for help", "goals": "Goals per life domain", "domain": "Life domain",
        "goal": "Goal", "actions": "Actions", "action": "Action", "owner": "Who", "deadline": "Deadline",
        "status": "Status", "zrm": "Self-sufficiency (ZRM)", "measurement": "Measurement {day}",
        "zrm_caption": "ZRM scores: 1 {s1}, 2 {s2}, 3 {s3}, 4 {s4}, 5 {s5}.",
        "chart": "ZRM score per life domain", "score_axis": "Score (1-5)",
    },
}


@dataclass(frozen=True)
class Goal:
    """What the client wants to reach in one life domain."""

    domain: str
    text: str

    def __post_init__(self) -> None:
        check_domain(self.domain, "goals")
        check_text("goals", self.text, max_length=MAX_SHORT, required=True)


@dataclass(frozen=True)
class PlanAction:
    """An agreed action: what, who, by when, and how far it got."""

    description: str
    owner: str
    deadline_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN

    def __post_init__(self) -> None:
        check_text("actions", self.description, max_length=MAX_SHORT, required=True)
        check_line("actions", self.owner, required=True)
        check_date("actions", self.deadline_on)
        if not isinstance(self.status, ActionStatus):
            raise InvalidFieldError("actions", f"unknown action status: {self.status!r}")


@dataclass(frozen=True)
class ZrmMeasurement:
    """ZRM scores (1-5) per life domain on one day; ``scores`` holds (domain code, score) pairs."""

    measured_on: date
    scores: tuple[tuple[str, int], ...]

    def __post_init__(self) -> None:
        check_date("measurements", self.measured_on, required=True)
        seen = set()
        for domain, score in self.scores:
            check_domain(domain, "measurements")
            check_zrm_score(score, "measurements")
            if domain in seen:
                raise InvalidFieldError("measurements", f"life domain {domain!r} scored twice")
            seen.add(domain)

    @classmethod
    def of(cls, measured_on: date, scores: Mapping[str, int]) -> ZrmMeasurement:
        """Build from a mapping such as ``{'housing': 2, 'finances': 3}``."""
        return cls(measured_on, tuple(scores.items()))


@dataclass(frozen=True)
class ClientPlan:
    """A client's plan of approach. `client` is the name or pseudonym to print."""

    client: str
    case_manager: str = ""
    situation: str = ""
    goals: tuple[Goal, ...] = ()
    actions: tuple[PlanAction, ...] = ()
    measurements: tuple[ZrmMeasurement, ...] = ()
    agreed_on: date | None = None
    evaluate_on: date | None = None

    def __post_init__(self) -> None:
        check_line("client", self.client, required=True)
        check_line("case_manager", self.case_manager)
        check_text("situation", self.situation)
        check_items("goals", self.goals, Goal)
        check_items("actions", self.actions, PlanAction)
        check_items("measurements", self.measurements, ZrmMeasurement, max_items=50)
        check_date("agreed_on", self.agreed_on)
        check_date("evaluate_on", self.evaluate_on)


def build_client_plan(
    plan: ClientPlan,
    *,
    sender: Sender,
    subject: str,
    reference: Reference | None = None,
    dated_on: date | None = None,
    recipient: Recipient | None = None,
    language: str = "nl",
    footer_note: str = "",
) -> Document:
    """Assemble a client's plan of approach: facts, goals, actions, ZRM table and chart.

    :raise InvalidFieldError: naming the letterhead field at fault.
    """
    text = _TEXT[check_language(language)]
    facts = [(text["client"], plan.client), (text["case_manager"], plan.case_manager)]
    facts += [(text[key], format_short_date(day)) for key, day in
              (("agreed_on", plan.agreed_on), ("evaluate_on", plan.evaluate_on)) if day is not None]
    blocks: list[Block] = [KeyValue(tuple((k, v) for k, v in facts if v))]
    if plan.situation.strip():
        blocks += [Heading(text["situation"]), *text_blocks(plan.situation)]
    if plan.goals:
        goals = sorted(plan.goals, key=lambda g: domain_order(g.domain))
        rows = tuple((domain_label(g.domain, language), g.text.strip()) for g in goals)
        blocks += [Heading(text["goals"]), Table((text["domain"], text["goal"]), rows)]
    if plan.actions:
        rows = tuple(_action_row(a, language) for a in plan.actions)
        columns = (text["action"], text["owner"], text["deadline"], text["status"])
        blocks += [Heading(text["actions"]), Table(columns, rows)]
    if plan.measurements:
        blocks += [Heading(text["zrm"]), *_zrm_blocks(plan.measurements, language)]
    return make_document(blocks, sender=sender, subject=subject, reference=reference, dated_on=dated_on,
                         recipient=recipient, language=language, footer_note=footer_note)


def _action_row(action: PlanAction, language: str) -> tuple[str, str, str, str]:
    nl, en = _STATUS[action.status]
    deadline = format_short_date(action.deadline_on) if action.deadline_on else ""
    return (action.description.strip(), action.owner.strip(), deadline, nl if language == "nl" else en)


def _zrm_blocks(measurements: tuple[ZrmMeasurement, ...], language: str) -> list[Block]:
    """The first and the latest measurement side by side, as a table and a chart."""
    text = _TEXT[language]
    ordered = sorted(measurements, key=lambda m: m.measured_on)
    shown = [ordered[0]] if len(ordered) == 1 else [ordered[0], ordered[-1]]
    scores = [dict(m.scores) for m in shown]
    domains = sorted({d for s in scores for d in s}, key=domain_order)
    labels = [text["measurement"].format(day=format_short_date(m.measured_on)) for m in shown]
    rows = tuple(
        (domain_label(d, language), *(f"{s[d]} {zrm_label(s[d], language)}" if d in s else "–" for s in scores))
        for d in domains
    )
    legend = {f"s{n}": zrm_label(n, language) for n in range(1, 6)}
    table = Table((text["domain"], *labels), rows, caption=text["zrm_caption"].format(**legend))
    both = [d for d in domains if all(d in s for s in scores)]
    if not both:
        return [table]
    chart = Chart(
        title=text["chart"],
        categories=tuple(domain_label(d, language) for d in both),
        series=tuple((label, tuple(float(s[d]) for d in both)) for label, s in zip(labels, scores, strict=True)),
        horizontal=True,
        y_max=5,
        y_label=text["score_axis"],
    )
    return [table, chart]
