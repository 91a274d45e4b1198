"""Money and quantities as Decimal: parsing what people type, formatting as a Dutch reader expects."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from letters.errors import InvalidFieldError

CENT = Decimal("0.01")
_DUTCH = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_decimal(value: object, field: str = "budget") -> Decimal:
    """A Decimal from an int, a Decimal or text such as '1.250,50', '1250.50' or '€ 95'.

    Text like '1.250' (a dot before exactly three digits, no comma) is refused as ambiguous.

    Floats are refused: they cannot hold cents exactly, so the caller must say what she meant.

    :raise InvalidFieldError: naming `field` for anything that is not a finite number.
    """
    if isinstance(value, bool | float):
        raise InvalidFieldError(field, f"{value!r} is not an exact number; pass text or a Decimal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidFieldError(field, f"{value!r} is not a number")
        return value
    if not isinstance(value, str):
        raise InvalidFieldError(field, f"{value!r} is not a number")
    text = value.strip().removeprefix("€").strip().replace(" ", "")
    if _AMBIGUOUS.match(text):
        # '1.250' is 1250 to a Dutch reader and 1.25 to an English one: ask instead of guessing.
        raise InvalidFieldError(field, f"{value!r} is ambiguous; write 1250 or 1.250,00")
    if _PLAIN.match(text):
        return Decimal(text)
    if _DUTCH.match(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    try:  # last resort, e.g. '1e3'; still no NaN/Infinity
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise InvalidFieldError(field, f"{value!r} is not a number")
    return number


def cents(amount: Decimal) -> Decimal:
    """Round to cents, half up (as on an invoice)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(value: Decimal, language: str = "nl", *, places: int | None = None) -> str:
    """'1.234,5' (nl) or '1,234.5' (en); `places` fixes the decimals, else they are trimmed."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{value:,.{places}f}"
    else:
        normal = value.normalize()
        text = f"{normal:,f}" if normal.as_tuple().exponent < 0 else f"{int(normal):,d}"
    if language == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def format_money(amount: Decimal, language: str = "nl") -> str:
    """'€ 1.234,56' (nl) or '€1,234.56' (en)."""
    number = format_number(cents(amount), language, places=2)
    sign, number = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}€ {number}" if language == "nl" else f"{sign}€{number}"


def format_percentage(rate: Decimal, language: str = "nl") -> str:
    """0.21 -> '21%'; 0.095 -> '9,5%'."""
    return f"{format_number(rate * 100, language)}%"
