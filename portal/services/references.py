"""Unique document references per series and year, safe under concurrent creation."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from letters.model import Reference
from portal.models import ReferenceCounter


def next_reference(session: Session, series: str, year: int) -> Reference:
    """Hand out the next number. The UPDATE takes the row lock first (SQLite's write lock, a row lock
    on PostgreSQL), so two transactions can never read the same last number."""
    for _attempt in range(3):
        result = session.execute(update(ReferenceCounter).where(
            ReferenceCounter.series == series, ReferenceCounter.year == year)
            .values(last_number=ReferenceCounter.last_number + 1).returning(ReferenceCounter.last_number))
        number = result.scalar()
        if number is not None:
            return Reference(series, year, number)
        try:
            with session.begin_nested():
                session.add(ReferenceCounter(series=series, year=year, last_number=1))
            return Reference(series, year, 1)
        except IntegrityError:
            continue  # another transaction created the counter first; take the UPDATE path
    raise RuntimeError(f"could not allocate a reference in {series}/{year}")
