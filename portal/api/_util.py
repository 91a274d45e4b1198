"""Request parsing for the API: JSON bodies with a size cap and field-named errors."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from portal.services.errors import ValidationError

MAX_JSON = 256 * 1024
#: A body that carries a file as base64 (a consent scan, a Woo upload, an attachment): the 20 MB
#: upload limit plus the base64 overhead, under the request limit.
MAX_FILE_JSON = 28 * 1024 * 1024


def json_body(*, limit: int = MAX_JSON) -> dict[str, Any]:
    """The request's JSON object, refused with 413 before parsing when longer than ``limit``."""
    if request.content_length is not None and request.content_length > limit:
        from werkzeug.exceptions import RequestEntityTooLarge
        raise RequestEntityTooLarge()
    return json_object()


def json_object() -> dict[str, Any]:
    """The request's JSON object.

    :raise ValidationError: ('body') not JSON, not an object, or nested too deeply to parse (Python's
        json parser recurses per level and raises RecursionError, which get_json(silent=True) lets through).
    """
    if not request.is_json:
        raise ValidationError({"body": str(_l("Stuur JSON met Content-Type application/json."))})
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    if not isinstance(data, dict):
        raise ValidationError({"body": str(_l("De body is geen geldig JSON-object."))})
    return data


def str_field(data: dict[str, Any], name: str, default: str = "") -> str:
    """A text field. NUL characters are refused: PostgreSQL cannot store them in text (a 500 there)."""
    value = data.get(name, default)
    if not isinstance(value, str):
        raise ValidationError({name: str(_l("Moet tekst zijn."))})
    if "\x00" in value:
        raise ValidationError({name: str(_l("Mag geen nul-tekens (\\u0000) bevatten."))})
    return value


def list_field(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and "\x00" not in v for v in value):
        raise ValidationError({name: str(_l("Moet een lijst van teksten zijn."))})
    return tuple(value)


def page_args(*, per_page: int = 50, max_per_page: int = 100) -> tuple[int, int]:
    """`page` (from 1) and `per-page` (1 to `max_per_page`) from the query string.

    :raise ValidationError: ('page', 'per-page') not a whole number in range; an API caller is told, not clamped.
    """
    errors: dict[str, str] = {}
    values = {"page": 1, "per-page": per_page}
    limits = {"page": 10_000, "per-page": max_per_page}
    for name in values:
        raw = request.args.get(name, "").strip()
        if not raw:
            continue
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= limits[name]:
            values[name] = int(raw)
        else:
            errors[name] = str(_l("Moet een heel getal van 1 tot en met %(n)s zijn.", n=limits[name]))
    if errors:
        raise ValidationError(errors)
    return values["page"], values["per-page"]
