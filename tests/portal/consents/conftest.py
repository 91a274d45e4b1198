"""Fixtures for consent forms in the portal: a composed draft, a signing function, a signed consent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from portal.demo import DEMO_PASSWORD
from tests.portal.consents.helpers import CATEGORIES, ORGS, make_png


@pytest.fixture
def create_draft(world, session) -> Callable[..., Any]:  # noqa: ANN001
    from portal.services import consents

    def create(client_key: str = "own", **overrides: Any) -> Any:
        fields: dict[str, Any] = {"organisation_codes": ORGS, "categories": CATEGORIES,
                                  "purpose": "Samen werken aan wonen.", "ends_on": date.today() + timedelta(days=365),
                                  "language": "nl", "form_version": "2026-1", "client_name": "Cliënt Own"}
        fields.update(overrides)
        consent = consents.create_draft(session, actor=world.users["case_manager"], client=world.clients[client_key],
                                        data=consents.ConsentInput(**fields), today=date.today())
        session.commit()
        return consent

    return create


@pytest.fixture
def draft(create_draft):  # noqa: ANN001, ANN201
    return create_draft()


@pytest.fixture
def sign_consent(world, session) -> Callable[..., Any]:  # noqa: ANN001
    from portal.services import consent_signing
    from portal.web.consent_tools import tools

    def sign(consent: Any, **overrides: Any) -> Any:
        fields: dict[str, Any] = {"method": "drawn", "signer_name": "Cliënt Own", "identification": "known_to_team",
                                  "password": DEMO_PASSWORD, "signature_png": make_png()}
        fields.update(overrides)
        consent_signing.sign(session, actor=world.users["case_manager"], consent=consent,
                             data=consent_signing.SignInput(**fields), tools=tools(), today=date.today())
        session.commit()
        return consent

    return sign


@pytest.fixture
def signed(draft, sign_consent):  # noqa: ANN001, ANN201
    return sign_consent(draft)
