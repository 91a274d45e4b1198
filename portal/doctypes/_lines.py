"""Helpers for list fields typed one item per line, cells separated by '|'."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from letters.errors import InvalidFieldError
from letters.money import parse_decimal
from portal.services.errors import ValidationError

SEP = "|"


def fail(field: Any, message: Any, **kw: Any) -> ValidationError:
    return ValidationError({field.name: str(message) % {"label": str(field.label), **kw}})


def cells(field: Any, text: str, *, most: int, least: int = 1) -> list[tuple[int, list[str]]]:
    """(line number, cells padded to `most`) per non-blank line.

    :raise ValidationError: naming the field and the line with too few or too many cells.
    """
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(SEP)]
        if not least <= len(parts) <= most or not parts[0]:
            raise fail(field, _l("%(label)s, regel %(n)s: verwacht %(a)s tot %(b)s delen gescheiden door '|'."),
                       n=n, a=least, b=most)
        out.append((n, parts + [""] * (most - len(parts))))
    return out


def plain_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def number(field: Any, value: str, n: int) -> Decimal | None:
    """A number cell ('1.250,00', '12,5', '40'); blank is None.

    :raise ValidationError: '... regel n: 'x' is geen getal.'
    """
    if not value.strip():
        return None
    try:
        return parse_decimal(value, field.name)
    except InvalidFieldError:
        raise fail(field, _l("%(label)s, regel %(n)s: '%(value)s' is geen getal."), n=n, value=value[:40]) from None


def whole(field: Any, value: str, n: int, default: int | None = None) -> int:
    value = value.strip()
    if not value and default is not None:
        return default
    if not value.isdigit():
        raise fail(field, _l("%(label)s, regel %(n)s: '%(value)s' is geen heel getal."), n=n, value=value[:40])
    return int(value)


def day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None
