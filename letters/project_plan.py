"""Project-level plan of approach (after seed 003): introduction, steps, project structure,
themes, preconditions, risks and measures, planning by week, and a budget with VAT.

Money is Decimal throughout; a budget value that is not a number raises
``InvalidFieldError('budget', ...)`` naming the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from letters.errors import InvalidFieldError
from letters.fields import MAX_SHORT, check_items, check_line, check_text, make_document, text_blocks
from letters.model import Block, Chart, Document, Heading, Recipient, Reference, Sender, Table
from letters.money import cents, format_money, format_number, format_percentage, parse_decimal
from letters.vocab import check_language

_TEXT = {
    "nl": {
        "introduction": "Inleiding", "steps": "Aanpak in stappen", "step": "Stap {n}: {title}",
        "structure": "Projectstructuur", "role": "Onderdeel", "members": "Samenstelling", "task": "Taak",
        "themes": "Thema's", "preconditions": "Randvoorwaarden", "risks": "Risico's en beheersmaatregelen",
        "risk": "Risico", "measure": "Maatregel", "planning": "Planning", "activity": "Activiteit",
        "weeks": "Week", "week_span": "week {a} t/m {b}", "week_one": "week {a}",
        "budget": "Begroting", "description": "Omschrijving", "hours": "Uren", "rate": "Tarief",
        "amount": "Bedrag", "subtotal": "Subtotaal", "vat": "Btw {p}", "total": "Totaal",
        "budget_caption": "Bedragen in euro's.",
    },
    "en": {
        "introduction": "Introduction", "steps": "Approach in steps", "step": "Step {n}: {title}",
        "structure": "Project structure", "role": "Body", "members": "Members", "task": "Task",
        "themes": "Themes", "preconditions": "Preconditions", "risks": "Risks and measures", "risk": "Risk",
        "measure": "Measure", "planning": "Planning", "activity": "Activity", "weeks": "Week",
        "week_span": "weeks {a} to {b}", "week_one": "week {a}",
        "budget": "Budget", "description": "Description", "hours": "Hours", "rate": "Rate", "amount": "Amount",
        "subtotal": "Subtotal", "vat": "VAT {p}", "total": "Total", "budget_caption": "Amounts in euros.",
    },
}


@dataclass(frozen=True)
class ProjectStep:
    title: str
    description: str = ""

    def __post_init__(self) -> None:
        check_line("steps", self.title, required=True)
        check_text("steps", self.description)


@dataclass(frozen=True)
class ProjectRole:
    """A body in the project structure (e.g. 'Projectgroep') with its members."""

    name: str
    members: tuple[str, ...] = ()
    task: str = ""

    def __post_init__(self) -> None:
        check_line("structure", self.name, required=True)
        check_items("structure", self.members, str, max_items=50)
        for member in self.members:
            check_line("structure", member, required=True)
        check_text("structure", self.task, max_length=MAX_SHORT)


@dataclass(frozen=True)
class Theme:
    title: str
    description: str = ""

    def __post_init__(self) -> None:
        check_line("themes", self.title, required=True)
        check_text("themes", self.description)


@dataclass(frozen=True)
class Risk:
    risk: str
    measure: str

    def __post_init__(self) -> None:
        check_text("risks", self.risk, max_length=MAX_SHORT, required=True)
        check_text("risks", self.measure, max_length=MAX_SHORT, required=True)


@dataclass(frozen=True)
class PlanningItem:
    """An activity from ISO week `start_week` for `weeks` weeks (may run into the next year)."""

    activity: str
    start_week: int
    weeks: int = 1

    def __post_init__(self) -> None:
        check_line("planning", self.activity, required=True)
        for value, low, high in ((self.start_week, 1, 53), (self.weeks, 1, 104)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidFieldError("planning", f"week numbers run {low}-{high}, not {value!r}")


@dataclass(frozen=True)
class BudgetLine:
    """A budget line: either hours x rate, or a fixed amount. Values may be text ('1.250,00').

    After construction `hours`, `rate` and `amount` are Decimal or None.
    """

    description: str
    hours: Decimal | str | int | None = None
    rate: Decimal | str | int | None = None
    amount: Decimal | str | int | None = None

    def __post_init__(self) -> None:
        check_line("budget", self.description, required=True)
        for name in ("hours", "rate", "amount"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                number = parse_decimal(value, "budget")
                if number < 0:
                    raise InvalidFieldError("budget", f"{self.description}: {name} may not be negative")
                object.__setattr__(self, name, number)
            else:
                object.__setattr__(self, name, None)
        if self.amount is None and (self.hours is None or self.rate is None):
            raise InvalidFieldError("budget", f"{self.description}: give an amount, or hours and a rate")

    @property
    def total(self) -> Decimal:
        """The line's amount in cents: the fixed amount, else hours x rate."""
        if self.amount is not None:
            return cents(Decimal(self.amount))
        return cents(Decimal(self.hours or 0) * Decimal(self.rate or 0))


@dataclass(frozen=True)
class ProjectPlan:
    introduction: str
    steps: tuple[ProjectStep, ...] = ()
    structure: tuple[ProjectRole, ...] = ()
    themes: tuple[Theme, ...] = ()
    #: Free text; lines starting with '-' become a bullet list.
    preconditions: str = ""
    risks: tuple[Risk, ...] = ()
    planning: tuple[PlanningItem, ...] = ()
    budget: tuple[BudgetLine, ...] = ()
    #: VAT (btw) rate as a fraction; 21% is the Dutch standard rate.
    vat_rate: Decimal = Decimal("0.21")

    def __post_init__(self) -> None:
        check_text("introduction", self.introduction, required=True)
        check_items("steps", self.steps, ProjectStep)
        check_items("structure", self.structure, ProjectRole)
        check_items("themes", self.themes, Theme)
        check_text("preconditions", self.preconditions)
        check_items("risks", self.risks, Risk)
        check_items("planning", self.planning, PlanningItem)
        check_items("budget", self.budget, BudgetLine)
        rate = parse_decimal(self.vat_rate, "vat_rate")
        if not 0 <= rate < 1:
            raise InvalidFieldError("vat_rate", "the VAT rate is a fraction, e.g. 0.21")
        object.__setattr__(self, "vat_rate", rate)

    def totals(self) -> tuple[Decimal, Decimal, Decimal]:
        """(subtotal, VAT, total), each rounded to cents."""
        subtotal = sum((line.total for line in self.budget), Decimal("0.00"))
        vat = cents(subtotal * self.vat_rate)
        return subtotal, vat, subtotal + vat


def build_project_plan(
    plan: ProjectPlan,
    *,
    sender: Sender,
    subject: str,
    reference: Reference | None = None,
    dated_on: date | None = None,
    recipient: Recipient | None = None,
    language: str = "nl",
    footer_note: str = "",
) -> Document:
    """Assemble a project plan of approach as a `Document`.

    :raise InvalidFieldError: naming the letterhead field at fault.
    """
    t = _TEXT[check_language(language)]
    blocks: list[Block] = [Heading(t["introduction"]), *text_blocks(plan.introduction)]
    if plan.steps:
        blocks.append(Heading(t["steps"]))
        for n, step in enumerate(plan.steps, start=1):
            blocks += [Heading(t["step"].format(n=n, title=step.title), 2), *text_blocks(step.description)]
    if plan.structure:
        rows = tuple((r.name, "\n".join(r.members), r.task) for r in plan.structure)
        blocks += [Heading(t["structure"]), Table((t["role"], t["members"], t["task"]), rows)]
    if plan.themes:
        blocks.append(Heading(t["themes"]))
        for theme in plan.themes:
            blocks += [Heading(theme.title, 2), *text_blocks(theme.description)]
    if plan.preconditions.strip():
        blocks += [Heading(t["preconditions"]), *text_blocks(plan.preconditions)]
    if plan.risks:
        rows = tuple((r.risk, r.measure) for r in plan.risks)
        blocks += [Heading(t["risks"]), Table((t["risk"], t["measure"]), rows)]
    if plan.planning:
        blocks += [Heading(t["planning"]), *_planning(plan.planning, language)]
    if plan.budget:
        blocks += [Heading(t["budget"]), _budget(plan, language)]
    return make_document(blocks, sender=sender, subject=subject, reference=reference, dated_on=dated_on,
                         recipient=recipient, language=language, footer_note=footer_note)


def _planning(items: tuple[PlanningItem, ...], language: str) -> list[Block]:
    t = _TEXT[language]

    def weeks(item: PlanningItem) -> str:
        last = (item.start_week + item.weeks - 2) % 52 + 1  # ISO years mostly have 52 weeks
        if item.weeks == 1:
            return t["week_one"].format(a=item.start_week)
        return t["week_span"].format(a=item.start_week, b=last)

    rows = tuple((item.activity, weeks(item)) for item in items)
    chart = Chart(
        title=t["planning"],
        categories=tuple(item.activity for item in items),
        series=(),
        # Weeks run on past 52 on the chart, so a plan from week 50 into the new year stays in order.
        spans=tuple((float(item.start_week), float(item.weeks)) for item in items),
        x_label=t["weeks"],
    )
    return [Table((t["activity"], t["weeks"]), rows), chart]


def _budget(plan: ProjectPlan, language: str) -> Table:
    t = _TEXT[language]

    def number(value: Decimal | str | int | None, money: bool) -> str:
        if value is None:
            return ""
        return format_money(Decimal(value), language) if money else format_number(Decimal(value), language)

    rows = tuple((line.description, number(line.hours, False), number(line.rate, True),
                  format_money(line.total, language)) for line in plan.budget)
    subtotal, vat, total = plan.totals()
    footer = (
        (t["subtotal"], "", "", format_money(subtotal, language)),
        (t["vat"].format(p=format_percentage(plan.vat_rate, language)), "", "", format_money(vat, language)),
        (t["total"], "", "", format_money(total, language)),
    )
    return Table((t["description"], t["hours"], t["rate"], t["amount"]), rows, caption=t["budget_caption"],
                 footer_rows=footer)

