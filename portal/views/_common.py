"""Small helpers shared by the views."""

from __future__ import annotations

from datetime import date

from flask import request

from portal.models.base import today


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def page_arg() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 10_000))
    except ValueError:
        return 1


def version_arg() -> int | None:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return None


def current_day() -> date:
    return today()
