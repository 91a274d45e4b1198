"""The rules of DESIGN §5, one small function each.

Grants find *reasons* a user may see an object; ceilings can only remove reasons. What is left
decides `can(view)`, explains "who can see this, and why", and is mirrored token for token by
`principals`/`allowed_principals` for the search index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from portal.access.facts import Grant, UserFacts
from portal.access.targets import Target
from portal.vocab import CLIENT_CONTENT_ROLES, PEER_RESTRICTED, GlobalRole, LocalRoleName


@dataclass(frozen=True)
class Reason:
    #: author, assigned, assigned_peer, local_user, local_organisation, local_workspace, consent, emergency, member
    kind: str
    #: For local roles: the role and the object the grant sits on (own object or inherited from).
    role: LocalRoleName | None = None
    via: tuple[str, int] | None = None


Chain = tuple[tuple[tuple[str, int], tuple[Grant, ...]], ...]


# --- grants: each may only add reasons -------------------------------------------------------


def grant_author(f: UserFacts, t: Target, chain: Chain) -> Iterable[Reason]:
    if t.author_id is not None and t.author_id == f.user_id:
        yield Reason("author")


def grant_assignment(f: UserFacts, t: Target, chain: Chain) -> Iterable[Reason]:
    if t.client_id is None or t.client_id not in f.assigned_client_ids:
        return
    if f.role == GlobalRole.CASE_MANAGER:
        yield Reason("assigned")
    elif f.role == GlobalRole.PEER_EXPERT:
        yield Reason("assigned_peer")


def grant_local_roles(f: UserFacts, t: Target, chain: Chain) -> Iterable[Reason]:
    for via, grants in chain:
        for g in grants:
            if ((g.kind == "user" and g.principal_id == f.user_id)
                    or (g.kind == "organisation" and g.principal_id == f.organisation_id)
                    or (g.kind == "workspace" and g.principal_id in f.workspace_ids)):
                yield Reason(f"local_{g.kind}", g.role, via)


def grant_consent(f: UserFacts, t: Target, chain: Chain) -> Iterable[Reason]:
    if t.client_id is None:
        return
    cats = f.consent_categories.get(t.client_id)
    if not cats:
        return
    # The dossier itself and its consents open with any valid consent; content needs its own category.
    if t.object_type in {"client", "consent"} or t.category in cats:
        yield Reason("consent")


def grant_emergency(f: UserFacts, t: Target, chain: Chain) -> Iterable[Reason]:
    if t.client_id is not None and t.client_id in f.emergency_client_ids:
        yield Reason("emergency")


def grant_membership(f: UserFacts, t: Target, chain: Chain) -> Iterable[Reason]:
    if t.client_id is None and t.workspace_id is not None and t.workspace_id in f.workspace_ids:
        yield Reason("member")


GRANTS: tuple[Callable[[UserFacts, Target, Chain], Iterable[Reason]], ...] = (
    grant_author, grant_assignment, grant_local_roles, grant_consent, grant_emergency, grant_membership)


# --- ceilings: each may only remove reasons ----------------------------------------------------


def ceiling_role(f: UserFacts, t: Target, reasons: list[Reason]) -> list[Reason]:
    """Rule 1: a global role caps what any grant can give on client content."""
    if not t.is_client_content:
        return reasons
    if f.role in CLIENT_CONTENT_ROLES:
        return reasons
    if f.role in {GlobalRole.PROJECT_LEAD, GlobalRole.PRIVACY_OFFICER}:
        return [r for r in reasons if r.kind in {"author", "local_user"}]
    return []  # functional admin: no client content, whatever is shared


def ceiling_peer_categories(f: UserFacts, t: Target, reasons: list[Reason]) -> list[Reason]:
    """A peer expert sees medical and justice categories only where shared with her."""
    if f.role != GlobalRole.PEER_EXPERT or t.category not in PEER_RESTRICTED:
        return reasons
    return [r for r in reasons if r.kind not in {"assigned_peer", "consent"}]


def ceiling_named_only(f: UserFacts, t: Target, reasons: list[Reason]) -> list[Reason]:
    """Rule 5: from vertrouwelijk up, only users named on the object itself."""
    if not t.level.named_only:
        return reasons
    own = (t.object_type, t.object_id)
    return [r for r in reasons if r.kind == "author" or (r.kind == "local_user" and r.via == own)]


def ceiling_draft(f: UserFacts, t: Target, reasons: list[Reason]) -> list[Reason]:
    """Rule 6: a draft is visible to its author only, and once in review also to the reviewers
    named on the object itself (a reviewer role inherited from elsewhere does not count)."""
    if not t.is_draft:
        return reasons
    own = (t.object_type, t.object_id)
    return [r for r in reasons if r.kind == "author" or (
        t.in_review and r.kind == "local_user" and r.via == own and r.role == LocalRoleName.REVIEWER)]


CEILINGS = (ceiling_role, ceiling_peer_categories, ceiling_named_only, ceiling_draft)


def view_reasons(f: UserFacts, t: Target, chain: Chain) -> list[Reason]:
    reasons = [r for grant in GRANTS for r in grant(f, t, chain)]
    for ceiling in CEILINGS:
        reasons = ceiling(f, t, reasons)
    return reasons
