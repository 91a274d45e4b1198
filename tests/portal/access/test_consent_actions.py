"""Who may compose, sign and revoke consent forms: the assigned case manager, nobody else."""

from __future__ import annotations

import pytest

from portal import access
from portal.vocab import Action

PERSONAS = ["case_manager", "other_cm", "peer_expert", "project_lead", "staff", "admin", "privacy_officer"]
#: client key -> personas who may compose a consent for her
CREATE = {"own": {"case_manager"}, "consented": {"other_cm"}, "other": {"other_cm"}}


@pytest.mark.parametrize("client_key", list(CREATE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_create_consent(world, persona, client_key):
    expected = persona in CREATE[client_key]
    assert access.can(world.users[persona], Action.CREATE_CONSENT, world.clients[client_key]) is expected


def test_create_consent_is_only_about_dossiers(world):
    assert not access.can(world.users["case_manager"], Action.CREATE_CONSENT, world.notes["own"])
