"""Fixtures for Woo requests: an approved council briefing full of things to withhold, the privacy
officer (handler) in the project group, the project lead as reviewer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from portal.archive import Archive
from portal.models import WorkspaceMember
from portal.models.documents import DocState
from portal.vocab import DataCategory
from tests.factories import create_note

HEALTH_NOTE = "Cliënte gebruikt sinds maart dagelijks methadon via de verslavingszorg."
BRIEFING = {
    "recipient": "Aan de gemeenteraad",
    "figures": [],
    "evaluation_and_explanation": (
        "Het project loopt goed. Client OWN vertelde de casemanager Case-Manager over haar situatie.\n\n"
        "In de rapportage staat: cliënte gebruikt sinds maart dagelijks methadon via de verslavingszorg.\n\n"
        "Contact via case.manager@ggd.example of 06-12345678. BSN 123456782 hoort hier niet."),
    "legal_background": "De woning aan de Hoofdstraat 12a, 6511 AB Nijmegen kost € 1.234,56 per maand.",
    "next_steps": "Werkbezoek van de raad.",
    "signed_by": "Burgemeester en wethouders",
}
SECRETS = ["Client OWN", "Case-Manager", "cliënte gebruikt sinds maart dagelijks methadon via de verslavingszorg.",
           "case.manager@ggd.example", "06-12345678", "123456782", "Hoofdstraat 12a, 6511 AB Nijmegen", "€ 1.234,56"]


@pytest.fixture
def archive(app) -> Archive:  # noqa: ANN001
    return Archive(Path(app.config["PORTAL"].instance_path) / "archive")


@pytest.fixture
def woo_world(world, session):  # noqa: ANN001, ANN201
    """The handler sees the project group's documents; an approved briefing; a health note to quote."""
    from portal.services import documents

    lead, officer = world.users["project_lead"], world.users["privacy_officer"]
    for user in (lead, officer):
        session.add(WorkspaceMember(workspace_id=world.workspaces["PG"].id, user_id=user.id))
    create_note(session, world.clients["own"], world.users["case_manager"], category=DataCategory.HEALTH,
                text=HEALTH_NOTE)
    doc = documents.create(session, actor=lead, doc_type="council_briefing", title="Evaluatie zorgaanpak",
                           fields=dict(BRIEFING), workspace=world.workspaces["PG"], threshold=5, today=date.today())
    doc.state = DocState.APPROVED
    session.commit()
    world.briefing = doc
    return world


@pytest.fixture
def woo_request(woo_world, session):  # noqa: ANN001, ANN201
    from portal.services import woo

    req = woo.create_request(session, actor=woo_world.users["privacy_officer"], title="Woo-verzoek zorgaanpak",
                             requester_reference="VZ-17", received_on=date.today(),
                             reviewer_id=woo_world.users["project_lead"].id, today=date.today())
    session.commit()
    return req
