"""Versioned texts of the information letter and the consent form, and filling them in.

A `FormTemplate` is plain text with a little structure: blocks are separated by a blank line,
``# `` starts a heading, ``## `` a subheading, lines starting with ``- `` are bullets. Placeholders
are ``{client}``, ``{organisations}`` ... (see `PLACEHOLDERS`); ``{{`` and ``}}`` are literal
braces. A bullet that is exactly ``- {organisations}`` or ``- {categories}`` becomes one bullet
per item. The portal stores admin-edited templates as rows and builds `FormTemplate` from them;
an unknown placeholder is refused when the template is created, not when a client signs.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from consent_forms import errors
from consent_forms.model import ConsentSpec, Language

#: The placeholders a template may use.
PLACEHOLDERS = frozenset({
    "client", "client_born_on", "organisations", "categories", "purpose",
    "starts_on", "ends_on", "form_version", "contact",
})
_LIST_PLACEHOLDERS = {"organisations", "categories"}
MAX_TEMPLATE_LENGTH = 20_000
#: A line "Label: value" (label without placeholders) makes a block of labelled fields.
_FIELD_LINE = re.compile(r"([^\W\d_][\w ()'-]{0,39}): (.+)")

_MONTHS = {
    Language.NL: ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                  "september", "oktober", "november", "december"),
    Language.EN: ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"),
}
_AND = {Language.NL: "en", Language.EN: "and"}
_DEFAULT_CONTACT = {Language.NL: "je casemanager van het STAP-team", Language.EN: "your STAP-team case manager"}
_UNKNOWN = {Language.NL: "niet opgegeven", Language.EN: "not given"}


@dataclass(frozen=True)
class TextBlock:
    """One block of filled-in text: a heading, subheading, paragraph or bullet list."""

    kind: str  # "heading" | "subheading" | "paragraph" | "bullets" | "fields"
    items: tuple[str, ...]
    #: For "fields": (label, value) pairs, e.g. ("Naam", "Cliënt A").
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.items)


@dataclass(frozen=True)
class FormTemplate:
    """One version of the letter and form texts in one language.

    :raise UnknownPlaceholderError: a text uses a placeholder outside `PLACEHOLDERS`.
    :raise MalformedTemplateError: unbalanced braces or a format spec such as ``{client!r}``.
    """

    version: str
    language: Language
    letter_subject: str
    form_title: str
    information_letter_text: str
    consent_text: str

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "language", Language(self.language))
        except ValueError:
            raise errors.UnsupportedLanguageError(field="language") from None
        for name in ("version", "letter_subject", "form_title", "information_letter_text", "consent_text"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise errors.MissingFieldError(f"{name} is required", field=name)
            if len(value) > MAX_TEMPLATE_LENGTH:
                raise errors.FieldTooLongError(field=name)
            _parse(value, name)  # fail now, not at signing time


@dataclass(frozen=True)
class FilledTexts:
    """The letter and the form as the client reads them, ready to render and to hash."""

    form_version: str
    language: Language
    letter_subject: str
    form_title: str
    letter_blocks: tuple[TextBlock, ...]
    consent_blocks: tuple[TextBlock, ...]


def _parse(text: str, field: str) -> list[tuple[str, str | None]]:
    """Split `text` into (literal, placeholder-or-None) pieces, refusing anything but bare names."""
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise errors.MalformedTemplateError(f"{field}: {exc}", field=field) from None
    out: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in pieces:
        if name is not None and name not in PLACEHOLDERS:
            raise errors.UnknownPlaceholderError(f"{field}: unknown placeholder {{{name}}}", field=field)
        if spec or conversion:
            raise errors.MalformedTemplateError(f"{field}: placeholders take no format spec", field=field)
        out.append((literal, name))
    return out


def format_date(day: date, language: Language) -> str:
    """'1 maart 2027' / '1 March 2027', without depending on the process locale."""
    return f"{day.day} {_MONTHS[Language(language)][day.month - 1]} {day.year}"


def _join(items: list[str], language: Language) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {_AND[language]} {items[-1]}"


def _values(spec: ConsentSpec, contact: str | None) -> tuple[dict[str, str], dict[str, list[str]]]:
    lang = spec.language
    lists = {
        "organisations": [p.name for p in spec.parties],
        "categories": [c.label(lang) for c in spec.categories],
    }
    values = {
        "client": spec.client_name,
        "client_born_on": format_date(spec.client_born_on, lang) if spec.client_born_on else _UNKNOWN[lang],
        "purpose": spec.purpose,
        "starts_on": format_date(spec.starts_on, lang),
        "ends_on": format_date(spec.valid_until_on, lang),
        "form_version": spec.form_version,
        "contact": contact or _DEFAULT_CONTACT[lang],
        **{name: _join(items, lang) for name, items in lists.items()},
    }
    return values, lists


def _substitute(text: str, values: dict[str, str]) -> str:
    # User text is appended as-is: it is never parsed again, so braces in a purpose stay braces.
    return "".join(literal + (values[name] if name is not None else "") for literal, name in _parse(text, "text"))


def _blocks(text: str, values: dict[str, str], lists: dict[str, list[str]]) -> tuple[TextBlock, ...]:
    blocks: list[TextBlock] = []
    for chunk in _split_blocks(text):
        lines = chunk.splitlines()
        first = lines[0]
        if first.startswith("## "):
            blocks.append(TextBlock("subheading", (_substitute(" ".join(lines)[3:].strip(), values),)))
        elif first.startswith("# "):
            blocks.append(TextBlock("heading", (_substitute(" ".join(lines)[2:].strip(), values),)))
        elif all(_FIELD_LINE.fullmatch(line) for line in lines):
            pairs = tuple((m[1], _substitute(m[2], values)) for m in map(_FIELD_LINE.fullmatch, lines) if m)
            blocks.append(TextBlock("fields", tuple(f"{k}: {v}" for k, v in pairs), pairs))
        elif first.startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    bare = line[2:].strip()
                    if bare.startswith("{") and bare.endswith("}") and bare[1:-1] in _LIST_PLACEHOLDERS:
                        items.extend(lists[bare[1:-1]])
                    else:
                        items.append(_substitute(bare, values))
                elif items:  # a continuation line of the previous bullet
                    items[-1] += " " + _substitute(line.strip(), values)
            blocks.append(TextBlock("bullets", tuple(items)))
        else:
            blocks.append(TextBlock("paragraph", (_substitute(" ".join(s.strip() for s in lines), values),)))
    return tuple(blocks)


def _split_blocks(text: str) -> Iterable[str]:
    chunk: list[str] = []
    for line in text.strip().splitlines():
        if line.strip():
            chunk.append(line.rstrip())
        elif chunk:
            yield "\n".join(chunk)
            chunk = []
    if chunk:
        yield "\n".join(chunk)


def fill(template: FormTemplate, spec: ConsentSpec, *, contact: str | None = None) -> FilledTexts:
    """Fill `template` with the consent's details.

    :raise TemplateLanguageMismatchError: the template is not in the consent's language.
    """
    if template.language != spec.language:
        raise errors.TemplateLanguageMismatchError(field="language")
    values, lists = _values(spec, contact)
    return FilledTexts(
        form_version=template.version,
        language=template.language,
        letter_subject=_substitute(template.letter_subject, values),
        form_title=_substitute(template.form_title, values),
        letter_blocks=_blocks(template.information_letter_text, values, lists),
        consent_blocks=_blocks(template.consent_text, values, lists),
    )


def default_templates() -> dict[tuple[str, Language], FormTemplate]:
    """The built-in texts, keyed by (version, language): version '2026-1' in Dutch and English."""
    from consent_forms.texts import v2026_1

    return {(t.version, t.language): t for t in v2026_1.TEMPLATES}


def get_template(version: str, language: str,
                 templates: dict[tuple[str, Language], FormTemplate] | None = None) -> FormTemplate:
    """The template for `version` and `language` (from `templates`, default the built-in ones).

    :raise UnknownTemplateError: no such version/language.
    """
    table = templates if templates is not None else default_templates()
    try:
        return table[(version, Language(language))]
    except (KeyError, ValueError):
        raise errors.UnknownTemplateError(field="form_version") from None
