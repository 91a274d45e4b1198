from __future__ import annotations

from decimal import Decimal

import pytest

from letters.errors import InvalidFieldError
from letters.model import Chart, Table
from letters.plan_of_approach import (
    BudgetLine,
    PlanningItem,
    ProjectPlan,
    ProjectRole,
    ProjectStep,
    Risk,
    Theme,
    build_project_plan,
)
from letters.render_docx import render_docx
from letters.render_pdf import render_pdf
from letters.text import document_text


def _plan(**changes: object) -> ProjectPlan:
    fields: dict[str, object] = {
        "introduction": "U heeft ons gevraagd een projectvoorstel uit te brengen voor een plan B.",
        "steps": (ProjectStep("Inrichting projectstructuur", "Projectgroep en begeleidingscommissie."),
                  ProjectStep("Plan B opstellen")),
        "structure": (ProjectRole("Begeleidingscommissie", ("Opdrachtgever MO", "Opdrachtgever Veiligheid")),
                      ProjectRole("Projectgroep", ("Zorg", "Beleid (MO)", "GGD"), "Plan opstellen")),
        "themes": (Theme("Wonen", "Snelle beschikbaarheid van voorzieningen."),),
        "preconditions": "- Gemeentelijke regie\n- Budget voor maatwerk",
        "risks": (Risk("Motivatie van de doelgroep daalt", "Vaart houden; korte lijnen"),),
        "planning": (PlanningItem("Inrichting", 36, 2), PlanningItem("Analyse", 38, 4), PlanningItem("Besluit", 51, 4)),
        "budget": (BudgetLine("Projectleiding", hours="120", rate="125,00"),
                   BudgetLine("Ondersteuning", hours=40, rate=Decimal("95")),
                   BudgetLine("Reiskosten", amount="1.250,50")),
    }
    fields.update(changes)
    return ProjectPlan(**fields)  # type: ignore[arg-type]


def test_budget_sums_with_vat_in_decimal():
    plan = _plan()
    assert plan.totals() == (Decimal("20050.50"), Decimal("4210.61"), Decimal("24261.11"))
    assert _plan(vat_rate=Decimal("0.09")).totals()[1] == Decimal("1804.55")


def test_project_plan_sections_and_budget_table(sender):
    doc = build_project_plan(_plan(), sender=sender, subject="Plan van aanpak plan B")
    text = document_text(doc)
    for heading in ("Inleiding", "Aanpak in stappen", "Stap 1: Inrichting projectstructuur", "Projectstructuur",
                    "Thema's", "Randvoorwaarden", "Risico's en beheersmaatregelen", "Planning", "Begroting"):
        assert heading in text.splitlines()
    budget = [b for b in doc.blocks if isinstance(b, Table)][-1]
    assert budget.columns == ("Omschrijving", "Uren", "Tarief", "Bedrag")
    assert budget.rows[0] == ("Projectleiding", "120", "€ 125,00", "€ 15.000,00")
    assert budget.rows[2] == ("Reiskosten", "", "", "€ 1.250,50")
    assert budget.footer_rows == (("Subtotaal", "", "", "€ 20.050,50"), ("Btw 21%", "", "", "€ 4.210,61"),
                                  ("Totaal", "", "", "€ 24.261,11"))
    structure = next(b for b in doc.blocks if isinstance(b, Table))
    assert structure.rows[1] == ("Projectgroep", "Zorg\nBeleid (MO)\nGGD", "Plan opstellen")


def test_planning_is_a_week_table_and_a_span_chart(sender):
    doc = build_project_plan(_plan(), sender=sender, subject="Plan", language="en")
    planning = next(b for b in doc.blocks if isinstance(b, Table) and b.columns == ("Activity", "Week"))
    assert planning.rows == (("Inrichting", "weeks 36 to 37"), ("Analyse", "weeks 38 to 41"),
                             ("Besluit", "weeks 51 to 2"))
    chart = next(b for b in doc.blocks if isinstance(b, Chart))
    assert chart.spans == ((36.0, 2.0), (38.0, 4.0), (51.0, 4.0))
    assert chart.x_label == "Week"


def test_english_money_format(sender):
    doc = build_project_plan(_plan(), sender=sender, subject="Plan", language="en")
    budget = [b for b in doc.blocks if isinstance(b, Table)][-1]
    assert budget.footer_rows[-1] == ("Total", "", "", "€24,261.11")


@pytest.mark.parametrize("line", [
    lambda: BudgetLine("Projectleiding", hours="veel", rate="125"),
    lambda: BudgetLine("Projectleiding", amount="€ twaalf"),
    lambda: BudgetLine("Projectleiding", amount=12.5),
    lambda: BudgetLine("Projectleiding", amount="1.250"),
    lambda: BudgetLine("Projectleiding", amount="-5"),
    lambda: BudgetLine("Projectleiding", hours="10"),
    lambda: BudgetLine("", amount="5"),
])
def test_bad_budget_values_name_the_budget_field(line):
    with pytest.raises(InvalidFieldError) as err:
        line()
    assert err.value.field == "budget"


@pytest.mark.parametrize(("changes", "field"), [
    ({"vat_rate": Decimal("21")}, "vat_rate"),
    ({"vat_rate": "eenentwintig"}, "vat_rate"),
    ({"introduction": ""}, "introduction"),
    ({"planning": ("week 3",)}, "planning"),
    ({"risks": [Risk("x", "y")]}, "risks"),
])
def test_invalid_plan_fields_are_named(changes, field):
    with pytest.raises(InvalidFieldError) as err:
        _plan(**changes)
    assert err.value.field == field


@pytest.mark.parametrize("make", [lambda: PlanningItem("x", 54), lambda: PlanningItem("x", 3, 0),
                                  lambda: Risk("x", ""), lambda: ProjectRole("Groep", ("",))])
def test_invalid_items_are_refused(make):
    with pytest.raises(InvalidFieldError):
        make()


def test_project_plan_renders_in_both_formats(sender, pdf_body, docx_body, assert_lines_in_order):
    doc = build_project_plan(_plan(), sender=sender, subject="Plan van aanpak plan B")
    lines = document_text(doc).splitlines()
    assert_lines_in_order(lines, pdf_body(render_pdf(doc), doc))
    assert_lines_in_order(lines, docx_body(render_docx(doc)))
