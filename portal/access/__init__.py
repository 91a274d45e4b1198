"""THE ONLY PLACE THAT DECIDES PERMISSIONS (DESIGN §5).

`can(user, action, obj)` answers every question; `principals(user)` and
`allowed_principals(obj)` give the tokens the search index stores and filters on, built from
the same rules so that a hit appears if and only if `can(user, VIEW, hit)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session, object_session

from portal.access import facts as _facts
from portal.access import woo as _woo
from portal.access.errors import AccessDeniedError, NotFoundError
from portal.access.rules import Chain, Reason, view_reasons
from portal.access.targets import Target, UnknownTargetError, target_of
from portal.models import User, WooRequest
from portal.vocab import CLIENT_CONTENT_ROLES, PEER_RESTRICTED, Action, GlobalRole, LocalRoleName

__all__ = ["AccessDeniedError", "Action", "NotFoundError", "UnknownTargetError", "allowed_principals", "can",
           "preload", "principals", "reasons", "require"]


#: Tasks of the privacy officer alone; they never open client content to anyone else.
PRIVACY_OFFICER_ACTIONS = frozenset({Action.EXPORT_CLIENT_FILE, Action.MANAGE_RETENTION})
#: Role-level actions: a refusal is 403, whether or not she could view the object.
_ROLE_ACTIONS = frozenset({Action.VIEW_LOG, Action.MANAGE, Action.CREATE_WOO, *PRIVACY_OFFICER_ACTIONS})


def _session(*objs: object) -> Session:
    for obj in objs:
        s = object_session(obj) if obj is not None else None
        if s is not None:
            return s
    raise RuntimeError("access checks need objects attached to a session")


def _chain(session: Session, target: Target) -> Chain:
    return tuple((link, _facts.local_roles(session, *link)) for link in target.chain)


def _today(today: date | None) -> date:
    return today or datetime.now(UTC).date()


def preload(objs: Iterable[object]) -> None:
    """Load the local roles of every link in the objects' chains in one query per object type, so that
    checking a list (dossiers, notes, search hits) costs a fixed number of queries, not one per object."""
    objs = [o for o in objs if o is not None]
    if not objs:
        return
    session = _session(*objs)
    wanted: dict[str, set[int]] = {}
    for obj in objs:
        for object_type, object_id in target_of(obj).chain:
            wanted.setdefault(object_type, set()).add(object_id)
    for object_type, ids in wanted.items():
        _facts.preload_local_roles(session, object_type, sorted(ids))


def _unproxied(user: User | None) -> User | None:
    """Flask-Login's `current_user` is a werkzeug LocalProxy: every attribute read through it looks up
    the request context again. A page asks `can()` about each row, so unwrap it once per call."""
    get = getattr(user, "_get_current_object", None)
    return get() if get is not None else user


def reasons(user: User, obj: object, *, today: date | None = None) -> list[Reason]:
    """Why `user` may view `obj` (empty: she may not)."""
    user = _unproxied(user)
    if user is None or not user.is_active:
        return []
    session = _session(user, obj)
    target = target_of(obj)
    f = _facts.user_facts(session, user, _today(today))
    return view_reasons(f, target, _chain(session, target))


def _has_local(rs: list[Reason], *roles: LocalRoleName) -> bool:
    return any(r.role in roles for r in rs if r.kind.startswith("local_"))


def can(user: User | None, action: Action, obj: object = None, *, today: date | None = None) -> bool:
    """May `user` do `action` on `obj`? Deny by default; unknown objects raise UnknownTargetError."""
    user = _unproxied(user)
    if user is None or not getattr(user, "is_active", False) or getattr(user, "is_anonymous", True):
        return False
    action = Action(action)
    if action == Action.VIEW_LOG:
        return user.role == GlobalRole.PRIVACY_OFFICER
    if action == Action.MANAGE:
        return user.role == GlobalRole.ADMIN
    if action == Action.CREATE_WOO:
        return _woo.may_handle(user)
    if isinstance(obj, WooRequest):
        return _woo.can(user, action, obj)
    if action in PRIVACY_OFFICER_ACTIONS:
        return user.role == GlobalRole.PRIVACY_OFFICER
    target = target_of(obj)
    rs = reasons(user, obj, today=today)
    if not rs:
        return False
    kinds = {r.kind for r in rs}
    if action in {Action.VIEW, Action.DOWNLOAD}:
        return True
    if action == Action.EDIT:
        if target.is_draft:
            return "author" in kinds
        if target.object_type == "case_note" or (target.object_type == "document" and target.is_client_content):
            return bool(kinds & {"author", "assigned"}) or _has_local(rs, LocalRoleName.EDITOR)
        if target.object_type == "client":
            return "assigned" in kinds or _has_local(rs, LocalRoleName.EDITOR)
        return "author" in kinds or _has_local(rs, LocalRoleName.EDITOR)
    if action == Action.CREATE_NOTE:
        return target.object_type == "client" and (
            bool(kinds & {"assigned", "assigned_peer"}) or _has_local(rs, LocalRoleName.EDITOR))
    if action == Action.CREATE_CONSENT:
        # Issuing a consent form is the assigned case manager's task (DESIGN §6), never a sharing grant's.
        return target.object_type == "client" and "assigned" in kinds
    if action == Action.CREATE_CLIENT:
        # Intake is the case manager's work, in a team workspace she belongs to (DESIGN §1).
        return target.object_type == "workspace" and "member" in kinds and user.role == GlobalRole.CASE_MANAGER
    if action == Action.CREATE_DOCUMENT:
        if target.object_type == "workspace":
            return "member" in kinds or _has_local(rs, LocalRoleName.EDITOR)
        return target.object_type == "client" and ("assigned" in kinds or _has_local(rs, LocalRoleName.EDITOR))
    if action == Action.SHARE:
        if target.is_client_content:
            return "assigned" in kinds or (target.object_type != "client" and "author" in kinds
                                           and user.role in CLIENT_CONTENT_ROLES)
        return "author" in kinds
    if action == Action.DELETE:
        return target.is_draft and not target.in_review and "author" in kinds
    if action in {Action.SIGN, Action.REVOKE}:
        return target.object_type == "consent" and "assigned" in kinds
    if action == Action.REVIEW:
        # Four eyes: nobody reviews her own work; a document is reviewed only while it is in review.
        if "author" in kinds or (target.object_type == "document" and not target.in_review):
            return False
        return _has_local(rs, LocalRoleName.REVIEWER)
    return False


def require(user: User | None, action: Action, obj: object = None, *, today: date | None = None) -> None:
    """Raise NotFoundError if she may not even view `obj`, AccessDeniedError if she may view but not act."""
    if can(user, action, obj, today=today):
        return
    if obj is not None and action != Action.VIEW and action not in _ROLE_ACTIONS and can(
            user, Action.VIEW, obj, today=today):
        raise AccessDeniedError(action)
    if obj is None or action in _ROLE_ACTIONS:
        raise AccessDeniedError(action)
    raise NotFoundError()


def may_break_glass(user: User | None) -> bool:
    """Rule 7: who may ask for emergency access at all (roles whose ceiling admits client content)."""
    return bool(user is not None and getattr(user, "is_active", False) and user.role in CLIENT_CONTENT_ROLES)


def works_with_clients(user: User | None) -> bool:
    """Case managers and peer experts are assigned to clients (their start page lists them)."""
    return bool(user is not None and getattr(user, "is_active", False)
                and user.role in {GlobalRole.CASE_MANAGER, GlobalRole.PEER_EXPERT})


# --- tokens for the search index (Plone's allowedRolesAndUsers) --------------------------------


def principals(user: User | None, *, today: date | None = None) -> frozenset[str]:
    """The tokens `user` holds today. Index documents whose allowed_principals meet these are hers."""
    if user is None or not user.is_active:
        return frozenset()
    f = _facts.user_facts(_session(user), user, _today(today))
    tokens = {f"u:{f.user_id}", f"o:{f.organisation_id}", *(f"w:{w}" for w in f.workspace_ids)}
    if f.role in {GlobalRole.PROJECT_LEAD, GlobalRole.PRIVACY_OFFICER}:
        tokens.add(f"c:u:{f.user_id}")
    elif f.role in CLIENT_CONTENT_ROLES:
        tokens |= {f"c:u:{f.user_id}", f"c:o:{f.organisation_id}", *(f"c:w:{w}" for w in f.workspace_ids)}
        if f.role == GlobalRole.CASE_MANAGER:
            tokens |= {f"c:a:{c}" for c in f.assigned_client_ids}
        if f.role == GlobalRole.PEER_EXPERT:
            tokens |= {f"c:pe:{c}" for c in f.assigned_client_ids}
        for client_id, cats in f.consent_categories.items():
            tokens.add(f"c:kd:{client_id}")
            for cat in cats:
                if f.role == GlobalRole.PEER_EXPERT and cat in PEER_RESTRICTED:
                    continue
                tokens.add(f"c:k:{client_id}:{cat}")
        tokens |= {f"c:e:{c}" for c in f.emergency_client_ids}
    return frozenset(tokens)


_KIND_PREFIX = {"user": "u", "organisation": "o", "workspace": "w"}


def allowed_principals(obj: object) -> frozenset[str]:
    """The tokens that open `obj`, mirroring the grants and ceilings of `view_reasons`."""
    session = _session(obj)
    t = target_of(obj)
    chain = _chain(session, t)
    pre = "c:" if t.is_client_content else ""
    tokens: set[str] = set()
    if t.author_id is not None:
        tokens.add(f"{pre}u:{t.author_id}")
    if t.is_draft:
        if t.in_review:  # rule 6: the reviewers named on the object itself (ceiling_draft)
            own = chain[0][1] if chain else ()
            tokens |= {f"{pre}u:{g.principal_id}" for g in own
                       if g.kind == "user" and g.role == LocalRoleName.REVIEWER}
        return frozenset(tokens)
    if t.level.named_only:
        own = chain[0][1] if chain else ()
        tokens |= {f"{pre}u:{g.principal_id}" for g in own if g.kind == "user"}
        return frozenset(tokens)
    for _via, grants in chain:
        tokens |= {f"{pre}{_KIND_PREFIX[g.kind]}:{g.principal_id}" for g in grants}
    if t.is_client_content:
        c = t.client_id
        tokens |= {f"c:a:{c}", f"c:e:{c}"}
        if t.category not in PEER_RESTRICTED:
            tokens.add(f"c:pe:{c}")
        if t.object_type in {"client", "consent"}:
            tokens.add(f"c:kd:{c}")
        else:
            tokens.add(f"c:k:{c}:{t.category}")
    elif t.workspace_id is not None:
        tokens.add(f"w:{t.workspace_id}")
    return frozenset(tokens)
