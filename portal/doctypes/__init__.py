"""Content-type registry for letters and plans (CTFd style): type -> fields, series, workflow, builder.

A document stores the raw values its author typed (`Document.fields`): text for sections, lines
for lists ('Titel | beschrijving'), lists of rows for action lists, a mapping per life domain for
goals. `validate` checks them with field-named Dutch messages; `build` turns them into a
`letters.model.Document` that both renderers draw. Pages and the API share both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from letters.errors import InvalidFieldError
from letters.fields import MAX_LINE, MAX_SECTION, MAX_SHORT
from letters.model import Chart, Document, Reference, Sender, Table
from letters.plan_of_approach import ZrmMeasurement
from portal.models.documents import DocType
from portal.services.errors import ValidationError

#: Most rows in an action list; more lines in a list field are refused by letters (MAX_ITEMS).
MAX_ROWS = 60
#: Blank rows offered under the filled ones in a form.
BLANK_ROWS = 3


@dataclass(frozen=True)
class Field:
    """One input of a document form.

    kind: 'text' (a section, paragraphs), 'line', 'lines' (one item per line, cells split by '|'),
    'date', 'time', 'choices' (checkboxes), 'rows' (a table of inputs), 'goals' (a text per life domain).
    """

    name: str
    label: Any
    kind: str = "text"
    required: bool = False
    help: Any = ""
    choices: tuple[tuple[str, Any], ...] = ()
    #: For 'rows': the columns, each a Field of kind 'line', 'short', 'date', 'select', 'user' or 'check'.
    columns: tuple[Field, ...] = ()

    @property
    def max_length(self) -> int:
        return {"text": MAX_SECTION, "lines": MAX_SECTION, "line": MAX_LINE, "short": MAX_SHORT}.get(self.kind, 0)

    @property
    def is_section(self) -> bool:
        """Sections can be commented on by reviewers."""
        return self.kind in {"text", "lines", "rows", "goals", "choices"}


@dataclass(frozen=True)
class Context:
    """What a builder needs besides the fields: letterhead facts and data from the database."""

    sender: Sender
    subject: str
    reference: Reference | None = None
    dated_on: date | None = None
    footer_note: str = ""
    #: Council briefings: aggregate figures, small numbers already suppressed (portal.services.figures).
    figures: tuple[Table | Chart, ...] = ()
    #: Client plans: the name to print, the case manager and the ZRM measurements.
    client_name: str = ""
    case_manager: str = ""
    measurements: tuple[ZrmMeasurement, ...] = ()
    #: Minutes: user id -> name, for the owners of actions.
    user_names: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DocKind:
    type: DocType
    label: Any
    #: Reference series, e.g. 'RIB' -> RIB/2026/0003.
    series: str
    #: 'review' (draft -> in review -> approved -> sent) or 'plan' (draft -> agreed -> evaluated).
    workflow: str
    fields: tuple[Field, ...]
    #: Raw fields (already checked per field) -> letters Document; raises ValidationError or InvalidFieldError.
    builder: Callable[[dict[str, Any], Context], Document]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def sections(self) -> list[Field]:
        return [f for f in self.fields if f.is_section]


_REGISTRY: dict[DocType, DocKind] = {}


def register(kind: DocKind) -> DocKind:
    _REGISTRY[kind.type] = kind
    return kind


def kind_of(doc_type: DocType | str) -> DocKind:
    """:raise ValidationError: ('type') for an unknown type."""
    try:
        return _REGISTRY[DocType(doc_type)]
    except ValueError:
        raise ValidationError({"type": str(_l("Kies een soort document."))}) from None


def kinds() -> list[DocKind]:
    return list(_REGISTRY.values())


# --- reading a form ----------------------------------------------------------------------------


def read_form(kind: DocKind, form: Any) -> dict[str, Any]:
    """Raw field values from a submitted form (a werkzeug MultiDict)."""
    out: dict[str, Any] = {}
    for f in kind.fields:
        if f.kind == "choices":
            out[f.name] = form.getlist(f.name)
        elif f.kind == "goals":
            out[f.name] = {code: form.get(f"{f.name}-{code}", "") for code, _ in f.choices}
        elif f.kind == "rows":
            rows = []
            for i in range(MAX_ROWS + BLANK_ROWS):
                row = {c.name: form.get(f"{f.name}-{i}-{c.name}", "") for c in f.columns}
                if any(str(v).strip() for k, v in row.items() if k != "done"):
                    rows.append(row)
            out[f.name] = rows
        else:
            out[f.name] = form.get(f.name, "")
    return out


# --- checking raw values -----------------------------------------------------------------------


def _msg(message: Any, **kw: Any) -> str:
    return str(message) % kw if kw else str(message)


def _check_field(f: Field, value: Any) -> tuple[Any, str | None]:
    """(clean value, error message or None) for one field's raw value."""
    label = str(f.label)
    if f.kind == "choices":
        allowed = {c for c, _ in f.choices}
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            return [], _msg(_l("%(label)s: kies uit de lijst."), label=label)
        return list(dict.fromkeys(value)), None
    if f.kind == "goals":
        allowed = {c for c, _ in f.choices}
        if not isinstance(value, dict) or not all(k in allowed and isinstance(v, str) for k, v in value.items()):
            return {}, _msg(_l("%(label)s: onbekend levensdomein."), label=label)
        for v in value.values():
            if len(v) > MAX_SHORT:
                return value, _msg(_l("%(label)s mag per levensdomein hoogstens %(n)s tekens hebben."), label=label,
                                   n=MAX_SHORT)
        return {k: v.strip() for k, v in value.items() if v.strip()}, None
    if f.kind == "rows":
        if not isinstance(value, list) or len(value) > MAX_ROWS or not all(isinstance(r, dict) for r in value):
            return [], _msg(_l("%(label)s: hoogstens %(n)s regels."), label=label, n=MAX_ROWS)
        return value, None
    if not isinstance(value, str):
        return "", _msg(_l("%(label)s moet tekst zijn."), label=label)
    text = value.replace("\r\n", "\n").strip()
    if f.max_length and len(text) > f.max_length:
        return text, _msg(_l("%(label)s mag hoogstens %(n)s tekens hebben (nu %(m)s)."), label=label,
                          n=f.max_length, m=len(text))
    if f.required and not text:
        return text, _msg(_l("%(label)s is verplicht."), label=label)
    if f.kind == "line" and "\n" in text:
        return text, _msg(_l("%(label)s moet op één regel."), label=label)
    if f.kind == "date" and text:
        try:
            date.fromisoformat(text)
        except ValueError:
            return text, _msg(_l("%(label)s: vul een geldige datum in (jjjj-mm-dd)."), label=label)
    return text, None


def check_fields(kind: DocKind, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Per-field checks (type, length, required); unknown names are ignored.

    :raise ValidationError: naming every field at fault.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in kind.fields:
        value, error = _check_field(f, raw.get(f.name, [] if f.kind in {"choices", "rows"} else
                                               {} if f.kind == "goals" else ""))
        clean[f.name] = value
        if error:
            errors[f.name] = error
    if errors:
        raise ValidationError(errors)
    return clean


def validate(kind: DocKind, raw: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Check the fields and that they build a document; return the clean raw values.

    :raise ValidationError: naming the field at fault, nothing saved.
    """
    clean = check_fields(kind, raw)
    build(kind, clean, ctx)
    return clean


def build(kind: DocKind, fields: Mapping[str, Any], ctx: Context) -> Document:
    """The letters Document of these raw fields.

    :raise ValidationError: naming the field at fault (letters' own checks are mapped to it).
    """
    try:
        return kind.builder(dict(fields), ctx)
    except InvalidFieldError as exc:
        f = kind.field(exc.field)
        name = f.name if f else exc.field
        label = str(f.label) if f else exc.field
        raise ValidationError({name: _msg(_l("%(label)s: %(detail)s"), label=label, detail=exc.message)}) from exc


def _load_all() -> None:
    from portal.doctypes import briefing, client_plan, meetings, memo, project_plan  # noqa: F401  (they register)


_load_all()
