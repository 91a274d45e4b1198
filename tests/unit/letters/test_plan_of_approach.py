from __future__ import annotations

from datetime import date

import pytest

from letters.errors import InvalidFieldError
from letters.model import Chart, Heading, KeyValue, Table
from letters.plan_of_approach import (
    ActionStatus,
    ClientPlan,
    Goal,
    PlanAction,
    ZrmMeasurement,
    build_client_plan,
)
from letters.render_docx import render_docx
from letters.render_pdf import render_pdf
from letters.text import document_text


def _plan() -> ClientPlan:
    return ClientPlan(
        client="Cliënt A",
        case_manager="J. de Vries (IrisZorg)",
        situation="Woont in de nachtopvang.\n\nWil stoppen met sekswerk.",
        goals=(Goal("mental_health", "Diagnostiek afronden"), Goal("housing", "Instroom Beschermd Wonen")),
        actions=(
            PlanAction("Aanmelding BW versturen", "casemanager", date(2026, 4, 1), ActionStatus.IN_PROGRESS),
            PlanAction("Afspraak huisarts", "cliënt"),
        ),
        measurements=(
            ZrmMeasurement.of(date(2026, 6, 1), {"housing": 3, "mental_health": 2}),
            ZrmMeasurement.of(date(2026, 1, 10), {"housing": 1, "mental_health": 2, "finances": 2}),
            ZrmMeasurement.of(date(2026, 3, 1), {"housing": 2}),
        ),
        agreed_on=date(2026, 1, 15),
        evaluate_on=date(2026, 7, 1),
    )


def _build(plan: ClientPlan, sender, language: str = "nl"):
    return build_client_plan(plan, sender=sender, subject="Plan van aanpak", language=language)


def test_client_plan_holds_facts_goals_actions_and_zrm(sender):
    doc = _build(_plan(), sender)
    assert doc.blocks[0] == KeyValue((("Cliënt", "Cliënt A"), ("Casemanager", "J. de Vries (IrisZorg)"),
                                      ("Afgesproken op", "15-01-2026"), ("Evaluatie op", "01-07-2026")))
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    goals, actions, zrm = tables
    assert goals.rows == (("Huisvesting", "Instroom Beschermd Wonen"),
                          ("Geestelijke gezondheid", "Diagnostiek afronden"))  # ZRM order
    assert actions.rows[0] == ("Aanmelding BW versturen", "casemanager", "01-04-2026", "loopt")
    assert actions.rows[1] == ("Afspraak huisarts", "cliënt", "", "open")
    # First (10 Jan) and latest (1 Jun) measurement, whatever the input order.
    assert zrm.columns == ("Levensdomein", "Meting 10-01-2026", "Meting 01-06-2026")
    assert zrm.rows == (("Financiën", "2 niet zelfredzaam", "–"),
                        ("Huisvesting", "1 acute problematiek", "3 beperkt zelfredzaam"),
                        ("Geestelijke gezondheid", "2 niet zelfredzaam", "2 niet zelfredzaam"))
    chart = next(b for b in doc.blocks if isinstance(b, Chart))
    assert chart.categories == ("Huisvesting", "Geestelijke gezondheid")
    assert chart.series == (("Meting 10-01-2026", (1.0, 2.0)), ("Meting 01-06-2026", (3.0, 2.0)))


def test_single_measurement_gives_one_column_and_one_series(sender):
    plan = ClientPlan("Cliënt B", measurements=(ZrmMeasurement.of(date(2026, 1, 1), {"media": 4}),))
    doc = _build(plan, sender, "en")
    assert Heading("Self-sufficiency (ZRM)") in doc.blocks
    chart = next(b for b in doc.blocks if isinstance(b, Chart))
    assert len(chart.series) == 1
    assert chart.categories == ("Media",)


def test_client_plan_renders_in_both_formats(sender, pdf_body, docx_body, assert_lines_in_order):
    doc = _build(_plan(), sender)
    lines = document_text(doc).splitlines()
    assert_lines_in_order(lines, pdf_body(render_pdf(doc), doc))
    assert_lines_in_order(lines, docx_body(render_docx(doc)))


@pytest.mark.parametrize(("make", "field"), [
    (lambda: Goal("hobbies", "x"), "goals"),
    (lambda: Goal("housing", ""), "goals"),
    (lambda: PlanAction("x", ""), "actions"),
    (lambda: PlanAction("x", "y", status="klaar"), "actions"),
    (lambda: ZrmMeasurement.of(date(2026, 1, 1), {"housing": 7}), "measurements"),
    (lambda: ZrmMeasurement(date(2026, 1, 1), (("housing", 2), ("housing", 3))), "measurements"),
    (lambda: ClientPlan(""), "client"),
    (lambda: ClientPlan("A", goals=[Goal("housing", "x")]), "goals"),
    (lambda: ClientPlan("A", situation="x" * 20_001), "situation"),
])
def test_invalid_fields_are_named(make, field):
    with pytest.raises(InvalidFieldError) as err:
        make()
    assert err.value.field == field
