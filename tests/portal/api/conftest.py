"""Fixtures for the API tests: personal tokens for the personas of tests/factories.py."""

from __future__ import annotations

import pytest

from portal.services import accounts

PERSONAS = ["case_manager", "other_cm", "peer_expert", "project_lead", "staff", "admin", "privacy_officer"]


@pytest.fixture
def token(world, session):  # noqa: ANN001, ANN201
    """`token(persona)` -> the Authorization header of a fresh personal API token."""
    def make(persona: str) -> dict[str, str]:
        t = accounts.create_api_token(session, world.users[persona])
        session.commit()
        return {"Authorization": f"Bearer {t}"}
    return make
