"""Request parsing for the API: JSON bodies with a size cap and field-named errors."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from portal.services.errors import ValidationError

MAX_JSON = 256 * 1024


def json_body() -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_JSON:
        from werkzeug.exceptions import RequestEntityTooLarge
        raise RequestEntityTooLarge()
    if not request.is_json:
        raise ValidationError({"body": str(_l("Stuur JSON met Content-Type application/json."))})
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError({"body": str(_l("De body is geen geldig JSON-object."))})
    return data


def str_field(data: dict[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise ValidationError({name: str(_l("Moet tekst zijn."))})
    return value


def list_field(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({name: str(_l("Moet een lijst van teksten zijn."))})
    return tuple(value)
