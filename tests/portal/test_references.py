"""References (kenmerken) are unique per series and year."""

from __future__ import annotations

from portal.services.references import next_reference


def test_references_count_up_per_series_and_year(app, session):
    assert str(next_reference(session, "STAP", 2026)) == "STAP/2026/0001"
    assert str(next_reference(session, "STAP", 2026)) == "STAP/2026/0002"
    assert str(next_reference(session, "STAP", 2027)) == "STAP/2027/0001"
    assert str(next_reference(session, "RIB", 2026)) == "RIB/2026/0001"
    session.commit()
    assert str(next_reference(session, "STAP", 2026)) == "STAP/2026/0003"


def test_rolled_back_reference_is_not_lost_for_others(app, session):
    next_reference(session, "STAP", 2026)
    session.rollback()
    assert str(next_reference(session, "STAP", 2026)) == "STAP/2026/0001"
