"""Per-type state machines (DESIGN §4); every transition names the Action it requires.

Review workflow (council briefing, project plan, agenda, minutes):
    draft -> in_review -> approved -> sent, with send_back/withdraw to draft and reopen from approved.
Plan workflow (a client's plan of approach):
    draft -> agreed -> evaluated (evaluated again at each evaluation, a new version each time).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.models.documents import DocState
from portal.services.errors import InvalidStateError
from portal.vocab import Action


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[DocState]
    target: DocState
    action: Action


def _t(name: str, sources: set[DocState], target: DocState, action: Action) -> Transition:
    return Transition(name, frozenset(sources), target, action)


WORKFLOWS: dict[str, dict[str, Transition]] = {
    "review": {t.name: t for t in (
        _t("submit", {DocState.DRAFT}, DocState.IN_REVIEW, Action.EDIT),
        _t("withdraw", {DocState.IN_REVIEW}, DocState.DRAFT, Action.EDIT),
        _t("approve", {DocState.IN_REVIEW}, DocState.APPROVED, Action.REVIEW),
        _t("send_back", {DocState.IN_REVIEW}, DocState.DRAFT, Action.REVIEW),
        _t("reopen", {DocState.APPROVED}, DocState.DRAFT, Action.EDIT),
        _t("send", {DocState.APPROVED}, DocState.SENT, Action.EDIT),
    )},
    "plan": {t.name: t for t in (
        _t("agree", {DocState.DRAFT}, DocState.AGREED, Action.EDIT),
        _t("evaluate", {DocState.AGREED, DocState.EVALUATED}, DocState.EVALUATED, Action.EDIT),
    )},
}

#: States in which the structured fields may still be changed.
EDITABLE = {"review": frozenset({DocState.DRAFT}),
            "plan": frozenset({DocState.DRAFT, DocState.AGREED, DocState.EVALUATED})}


def transition(workflow: str, name: str, state: DocState) -> Transition:
    """The transition `name` from `state`.

    :raise InvalidStateError: (409) the workflow has no such transition from this state.
    """
    t = WORKFLOWS[workflow].get(name)
    if t is None or state not in t.sources:
        raise InvalidStateError()
    return t


def available(workflow: str, state: DocState) -> list[Transition]:
    return [t for t in WORKFLOWS[workflow].values() if state in t.sources]


def is_editable(workflow: str, state: DocState) -> bool:
    return state in EDITABLE[workflow]
