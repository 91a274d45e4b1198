"""Who may do what with a Woo request (part of the access module: nothing else decides).

DESIGN names no role for Woo requests, so the privacy officer (privacyfunctionaris) handles them:
she opens the request, selects documents she may view, lets the portal propose redactions and
exports. A reviewer named on the request, never the handler herself (four eyes), accepts, removes
or adds redactions and decides per document; privacy officers and the project lead may review.
Nobody else sees a request, whatever her other roles.
"""

from __future__ import annotations

from portal.models import User, WooRequest
from portal.vocab import Action, GlobalRole

HANDLER_ROLES = frozenset({GlobalRole.PRIVACY_OFFICER})
REVIEWER_ROLES = frozenset({GlobalRole.PRIVACY_OFFICER, GlobalRole.PROJECT_LEAD})


def may_handle(user: User) -> bool:
    """May open (handle) a Woo request."""
    return user.role in HANDLER_ROLES


def may_review(user: User, *, handler: User | None = None) -> bool:
    """May be named as the reviewer of a request (of `handler`, who cannot review her own)."""
    return user.is_active and user.role in REVIEWER_ROLES and (handler is None or user.id != handler.id)


def can(user: User, action: Action, req: WooRequest) -> bool:
    is_owner = user.id == req.owner_id and may_handle(user)
    is_reviewer = user.id == req.reviewer_id and user.id != req.owner_id and user.role in REVIEWER_ROLES
    if action in {Action.VIEW, Action.DOWNLOAD}:
        return is_owner or is_reviewer
    if action == Action.EDIT:
        return is_owner
    if action == Action.REVIEW:
        return is_reviewer
    return False


def may_use(user: User) -> bool:
    """Sees the Woo menu and list at all (handlers and possible reviewers)."""
    return bool(user.is_active and (may_handle(user) or user.role in REVIEWER_ROLES))
