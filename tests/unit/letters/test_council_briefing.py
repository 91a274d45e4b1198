from __future__ import annotations

from datetime import date

import pytest

from letters.council_briefing import CouncilBriefing, build
from letters.errors import InvalidFieldError
from letters.figures import count_table, zrm_comparison
from letters.model import BulletList, Chart, Heading, Paragraph, Reference, Table
from letters.render_pdf import render_pdf
from letters.text import document_text


def _briefing(**changes: object) -> CouncilBriefing:
    fields: dict[str, object] = {
        "evaluation_and_explanation": "Het project liep van 1 augustus 2021 tot 1 februari 2023.\n\n"
                                      "De borging moet op twee niveaus plaatsvinden.",
        "legal_background": "De Wmo 2015 en de Wet verplichte ggz bieden het kader.",
        "topics_for_discussion": "- Regie bij de gemeente\n- Aanhaken bij een zorgpartij",
        "decisions_requested": "Instemmen met verlenging tot en met 31 juli 2023.",
        "next_steps": "",
    }
    fields.update(changes)
    return CouncilBriefing(**fields)  # type: ignore[arg-type]


def test_sections_become_headings_paragraphs_and_lists(sender):
    doc = build(_briefing(signed_by=("Burgemeester en wethouders van Nijmegen",)), sender=sender,
                subject="Zorgaanpak straatsekswerkers", reference=Reference.parse("RIB/2026/0007"),
                dated_on=date(2026, 3, 3))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["Evaluatie en toelichting", "Juridische achtergrond", "Bespreekpunten", "Gevraagde besluiten"]
    assert doc.blocks[0] == Paragraph("Geacht college, geachte leden van de raad,")
    assert BulletList(("Regie bij de gemeente", "Aanhaken bij een zorgpartij")) in doc.blocks
    evaluation = doc.blocks[2:4]
    assert evaluation == (Paragraph("Het project liep van 1 augustus 2021 tot 1 februari 2023."),
                          Paragraph("De borging moet op twee niveaus plaatsvinden."))
    assert document_text(doc).endswith("Met vriendelijke groet,\n\nBurgemeester en wethouders van Nijmegen")


def test_figures_follow_the_evaluation(sender):
    table = count_table("Vrouwen per situatie", {"Met vergunning": 18, "Zonder": 2})
    _, chart = zrm_comparison({"housing": [1, 2, 2, 1, 3]}, {"housing": [3, 3, 2, 2, 4]})
    doc = build(_briefing(figures=(table, chart)), sender=sender, subject="Evaluatie")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds.index("Table") > kinds.index("Heading")
    figures_at = [i for i, b in enumerate(doc.blocks) if b == Heading("Cijfers")][0]
    assert doc.blocks[figures_at + 1: figures_at + 3] == (table, chart)
    assert doc.blocks[figures_at + 3] == Heading("Juridische achtergrond")


def test_english_headings(sender):
    doc = build(_briefing(), sender=sender, subject="Evaluation", language="en")
    assert Heading("Evaluation and explanation") in doc.blocks
    assert doc.blocks[0] == Paragraph("Dear members of the council,")


@pytest.mark.parametrize(("changes", "field"), [
    ({"evaluation_and_explanation": "  "}, "evaluation_and_explanation"),
    ({"legal_background": "x" * 20_001}, "legal_background"),
    ({"figures": ("not a table",)}, "figures"),
    ({"salutation": "Geacht\ncollege"}, "salutation"),
])
def test_invalid_fields_are_named(changes, field):
    with pytest.raises(InvalidFieldError) as err:
        _briefing(**changes)
    assert err.value.field == field


def test_section_at_the_maximum_length_is_accepted():
    assert _briefing(next_steps="x" * 20_000).next_steps


def test_letterhead_fields_are_checked(sender):
    with pytest.raises(InvalidFieldError) as err:
        build(_briefing(), sender=sender, subject="")
    assert err.value.field == "subject"
    with pytest.raises(InvalidFieldError) as err:
        build(_briefing(), sender=sender, subject="x", language="fr")
    assert err.value.field == "language"


def test_a_long_briefing_renders_to_several_pages(sender, pdf_pages):
    long = "\n\n".join(["De casemanagers lopen op deze levensdomeinen tegen knelpunten aan. " * 8] * 12)
    chart = Chart("Aantal", ("a", "b"), (("s", (1.0, 2.0)),))
    table = Table(("Wijk", "Aantal"), (("Oost", "12"),))
    doc = build(_briefing(evaluation_and_explanation=long, figures=(table, chart)), sender=sender,
                subject="Evaluatie")
    pages = pdf_pages(render_pdf(doc))
    assert len(pages) >= 3
    assert f"Pagina {len(pages)} van {len(pages)}" in pages[-1]
