"""consent_forms.texts: the versioned templates and filling them in safely."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from consent_forms import errors
from consent_forms.model import ConsentSpec, Language
from consent_forms.texts import FormTemplate, default_templates, fill, format_date, get_template


def _template(**overrides: str) -> FormTemplate:
    fields = {
        "version": "test-1", "language": "nl", "letter_subject": "Brief", "form_title": "Formulier",
        "information_letter_text": "Beste {client},", "consent_text": "Ik geef toestemming tot {ends_on}.",
    }
    fields.update(overrides)
    return FormTemplate(**fields)  # type: ignore[arg-type]


def test_default_templates_cover_dutch_and_english() -> None:
    assert set(default_templates()) == {("2026-1", Language.NL), ("2026-1", Language.EN)}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_default_letter_tells_the_client_her_rights(create_spec: Callable[..., ConsentSpec], language: str) -> None:
    spec = create_spec(language=language)
    filled = fill(get_template("2026-1", language), spec)
    letter = "\n".join(b.text for b in filled.letter_blocks)
    assert "Autoriteit Persoonsgegevens" in letter
    assert "STAP-team" in letter
    assert "IrisZorg" in letter
    assert spec.purpose in letter
    assert format_date(spec.valid_until_on, spec.language) in letter
    assert ("intrekken" if language == "nl" else "withdraw") in letter


def test_fill_expands_list_placeholders_into_bullets(spec: ConsentSpec) -> None:
    filled = fill(get_template("2026-1", "nl"), spec)
    bullets = [b.items for b in filled.consent_blocks if b.kind == "bullets"]
    assert ("GGD Gelderland-Zuid", "IrisZorg") in bullets
    assert tuple(c.label("nl") for c in spec.categories) in bullets


def test_fill_inline_list_uses_the_language_conjunction(create_spec: Callable[..., ConsentSpec]) -> None:
    template = _template(consent_text="Gedeeld door {organisations}.")
    filled = fill(template, create_spec())
    assert filled.consent_blocks[0].text == "Gedeeld door GGD Gelderland-Zuid en IrisZorg."


def test_fill_inserts_user_text_literally(create_spec: Callable[..., ConsentSpec]) -> None:
    spec = create_spec(client_name="{purpose} {{x}}", purpose="Doel met {client} en {0} en }{")
    filled = fill(_template(consent_text="Naam: {client}\n\nDoel: {purpose}"), spec)
    assert filled.consent_blocks[0].pairs == (("Naam", "{purpose} {{x}}"),)
    assert filled.consent_blocks[1].pairs == (("Doel", "Doel met {client} en {0} en }{"),)


@pytest.mark.parametrize("text", ["{unknown}", "{client.__class__}", "{0}", "{}", "{client[0]}"])
def test_template_unknown_placeholder_refused_on_creation(text: str) -> None:
    with pytest.raises(errors.UnknownPlaceholderError) as exc:
        _template(consent_text=text)
    assert exc.value.field == "consent_text"


@pytest.mark.parametrize("text", ["{client!r}", "{client:>20}", "{client", "client}"])
def test_template_malformed_placeholder_refused(text: str) -> None:
    with pytest.raises(errors.MalformedTemplateError):
        _template(information_letter_text=text)


def test_template_literal_braces_stay(spec: ConsentSpec) -> None:
    filled = fill(_template(consent_text="{{client}} is {client}"), spec)
    assert filled.consent_blocks[0].text == "{client} is Cliënt A"


def test_template_structure_headings_bullets_fields(spec: ConsentSpec) -> None:
    text = "# Kop\n\n## Sub\n\n- een\n  vervolg\n- twee\n\nNaam: {client}\nDoel: {purpose}\n\nGewone\nalinea"
    kinds = [(b.kind, b.items) for b in fill(_template(consent_text=text), spec).consent_blocks]
    assert kinds == [
        ("heading", ("Kop",)), ("subheading", ("Sub",)), ("bullets", ("een vervolg", "twee")),
        ("fields", (f"Naam: {spec.client_name}", f"Doel: {spec.purpose}")), ("paragraph", ("Gewone alinea",)),
    ]


def test_fill_refuses_template_in_other_language(create_spec: Callable[..., ConsentSpec]) -> None:
    with pytest.raises(errors.TemplateLanguageMismatchError):
        fill(get_template("2026-1", "nl"), create_spec(language="en"))


def test_get_template_unknown_version() -> None:
    with pytest.raises(errors.UnknownTemplateError):
        get_template("1999-1", "nl")


def test_admin_edited_template_can_be_looked_up() -> None:
    edited = replace(get_template("2026-1", "nl"), version="2026-2")
    assert get_template("2026-2", "nl", {("2026-2", Language.NL): edited}) is edited


def test_missing_birth_date_is_stated(create_spec: Callable[..., ConsentSpec]) -> None:
    filled = fill(get_template("2026-1", "en"), create_spec(language="en", client_born_on=None))
    assert ("Date of birth", "not given") in filled.consent_blocks[0].pairs


def test_format_date_is_locale_independent() -> None:
    from datetime import date
    assert format_date(date(2027, 3, 1), Language.NL) == "1 maart 2027"
    assert format_date(date(2027, 3, 1), Language.EN) == "1 March 2027"
