"""Property: can(view) equals DESIGN §5 written once more, independently, and equals the token test.

Hypothesis generates users (role, organisation, workspaces), dossiers (assignments, inheritance),
notes (category, level, state, author), local roles and consents (state, dates), then compares
three answers for every (user, object): the oracle below, `access.can`, and
`principals(user) ∩ allowed_principals(obj) ≠ ∅` (what the search index will use).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import access
from portal.access import queries
from portal.models import Assignment, LocalRole, Workspace, WorkspaceMember
from portal.models.clients import NoteState
from portal.models.consents import ConsentState
from portal.vocab import Action, Confidentiality, DataCategory, GlobalRole
from tests.factories import create_client, create_consent, create_note, create_org, create_user

TODAY = date(2026, 6, 15)
ROLES = list(GlobalRole)
CATS = [DataCategory.GENERAL, DataCategory.HEALTH, DataCategory.SEXUAL_HEALTH, DataCategory.HOUSING,
        DataCategory.JUSTICE]
LEVELS = [Confidentiality.INTERN, Confidentiality.ZAAKVERTROUWELIJK, Confidentiality.VERTROUWELIJK,
          Confidentiality.GEHEIM]

users_st = st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 2), st.sets(st.integers(0, 1))),
                    min_size=1, max_size=5)
clients_st = st.lists(st.tuples(st.sets(st.integers(0, 4)), st.booleans()), min_size=1, max_size=3)
notes_st = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4), st.sampled_from(CATS), st.sampled_from(LEVELS),
                              st.booleans()), max_size=6)
shares_st = st.lists(st.tuples(st.sampled_from(["client", "case_note", "workspace"]), st.integers(0, 5),
                               st.sampled_from(["user", "organisation", "workspace"]), st.integers(0, 4)),
                     max_size=5)
consents_st = st.lists(st.tuples(st.integers(0, 2), st.sets(st.integers(0, 2), min_size=1),
                                 st.sets(st.sampled_from(CATS), min_size=1),
                                 st.sampled_from(["valid", "revoked", "expired", "future", "draft"])), max_size=4)
emergency_st = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2)), max_size=2)


def oracle(u, obj, *, kind, world) -> bool:  # noqa: ANN001, C901
    """DESIGN §5 in plain words, written without looking at portal/access/rules.py."""
    role = u.role
    if kind == "client":
        client, category, level, draft, author, own_shares = obj, DataCategory.GENERAL, \
            Confidentiality.ZAAKVERTROUWELIJK, False, None, world["shares"].get(("client", obj.id), [])
    else:
        client, category, level = obj.client, obj.data_category, obj.confidentiality
        draft, author = obj.state == NoteState.DRAFT, obj.author_id
        own_shares = world["shares"].get(("case_note", obj.id), [])
    inherited = list(world["shares"].get(("client", client.id), [])) if kind != "client" else []
    if not client.block_inheritance:
        inherited += world["shares"].get(("workspace", client.workspace_id), [])
    is_author = author == u.id
    named_here = any(k == "user" and p == u.id for k, p in own_shares)
    named_anywhere = named_here or any(k == "user" and p == u.id for k, p in inherited)
    if draft:
        return is_author and role != GlobalRole.ADMIN
    if level >= Confidentiality.VERTROUWELIJK:
        return (is_author or named_here) and role != GlobalRole.ADMIN
    if role == GlobalRole.ADMIN:
        return False
    if role in (GlobalRole.PROJECT_LEAD, GlobalRole.PRIVACY_OFFICER):
        return is_author or named_anywhere
    ws = world["member_of"].get(u.id, set())

    def shared_with_her(shares) -> bool:  # noqa: ANN001
        return any((k == "user" and p == u.id) or (k == "organisation" and p == u.organisation_id)
                   or (k == "workspace" and p in ws) for k, p in shares)

    if is_author or shared_with_her(own_shares) or shared_with_her(inherited):
        return True
    if (client.id, u.id) in world["emergency"]:
        return True
    restricted = category in {DataCategory.HEALTH, DataCategory.MENTAL_HEALTH, DataCategory.ADDICTION,
                              DataCategory.SEXUAL_HEALTH, DataCategory.JUSTICE}
    assigned = (client.id, u.id) in world["assigned"]
    if assigned and role == GlobalRole.CASE_MANAGER:
        return True
    if assigned and role == GlobalRole.PEER_EXPERT and not restricted:
        return True
    if role == GlobalRole.PEER_EXPERT and restricted:
        return False
    for c_client, orgs, cats, status in world["consents"]:
        if c_client == client.id and status == "valid" and u.organisation_id in orgs and (
                kind == "client" or category in cats):
            return True
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(users=users_st, clients=clients_st, notes=notes_st, shares=shares_st, consents=consents_st,
       emergencies=emergency_st)
def test_can_view_matches_oracle_and_tokens(app, session, users, clients, notes, shares, consents, emergencies):
    from portal.models import EmergencyGrant
    from portal.models.base import utcnow

    try:
        orgs = [create_org(session, f"O{i}") for i in range(3)]
        spaces = [Workspace(code=f"W{i}", name=f"W{i}") for i in range(2)]
        session.add_all(spaces)
        session.flush()
        us = []
        member_of: dict[int, set[int]] = {}
        for i, (role, org, ws) in enumerate(users):
            u = create_user(session, f"u{i}", role, orgs[org])
            us.append(u)
            member_of[u.id] = {spaces[w].id for w in ws}
            for w in ws:
                session.add(WorkspaceMember(workspace_id=spaces[w].id, user_id=u.id))
        cs, assigned = [], set()
        for j, (assignees, block) in enumerate(clients):
            c = create_client(session, f"K{j}", spaces[0])
            c.block_inheritance = block
            cs.append(c)
            for a in assignees:
                if a < len(us):
                    session.add(Assignment(client_id=c.id, user_id=us[a].id))
                    assigned.add((c.id, us[a].id))
        session.flush()
        ns = []
        for ci, ai, cat, level, draft in notes:
            if ci < len(cs) and ai < len(us):
                ns.append(create_note(session, cs[ci], us[ai], category=cat, level=level,
                                      state=NoteState.DRAFT if draft else NoteState.FINAL))
        share_map: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for otype, oi, pkind, pi in shares:
            pool = {"client": cs, "case_note": ns, "workspace": spaces}[otype]
            ppool = {"user": us, "organisation": orgs, "workspace": spaces}[pkind]
            if oi < len(pool) and pi < len(ppool):
                key = (otype, pool[oi].id)
                if (pkind, ppool[pi].id) in share_map.get(key, []):
                    continue
                session.add(LocalRole(object_type=otype, object_id=pool[oi].id, principal_kind=pkind,
                                      principal_id=ppool[pi].id, role="reader", granted_by_id=us[0].id))
                share_map.setdefault(key, []).append((pkind, ppool[pi].id))
        consent_facts = []
        for k, (ci, org_idx, cats, status) in enumerate(consents):
            if ci >= len(cs):
                continue
            starts, ends = TODAY - timedelta(days=30), TODAY + timedelta(days=30)
            if status == "expired":
                ends = TODAY - timedelta(days=1)
            if status == "future":
                starts = TODAY + timedelta(days=1)
            state = {"revoked": ConsentState.REVOKED, "draft": ConsentState.DRAFT}.get(status, ConsentState.SIGNED)
            create_consent(session, cs[ci], [orgs[o] for o in org_idx], [c.value for c in cats], creator=us[0],
                           state=state, starts=starts, ends=ends, ref=f"P/{k}")
            consent_facts.append((cs[ci].id, {orgs[o].id for o in org_idx}, cats, status))
        emergency = set()
        for ci, ui in emergencies:
            if ci < len(cs) and ui < len(us):
                session.add(EmergencyGrant(user_id=us[ui].id, client_id=cs[ci].id, reason="test reason",
                                           expires_at=utcnow() + timedelta(minutes=30)))
                emergency.add((cs[ci].id, us[ui].id))
        session.flush()
        world = {"shares": share_map, "member_of": member_of, "assigned": assigned, "consents": consent_facts,
                 "emergency": emergency}
        for u in us:
            tokens = access.principals(u, today=TODAY)
            for obj, kind in [*((c, "client") for c in cs), *((n, "note") for n in ns)]:
                expected = oracle(u, obj, kind=kind, world=world)
                got = access.can(u, Action.VIEW, obj, today=TODAY)
                assert got is expected, (kind, u.role, obj)
                assert bool(tokens & access.allowed_principals(obj)) is expected, (kind, u.role, obj)
            assert {c.id for c in queries.visible_clients(u, today=TODAY)} == {
                c.id for c in cs if oracle(u, c, kind="client", world=world)}
    finally:
        session.rollback()


# --- letters and plans in workspaces (rules 2, 4, 5, 6) ----------------------------------------------

DOC_STATES = ["draft", "in_review", "approved", "sent"]
ROLE_NAMES = ["reader", "editor", "reviewer"]
docs_st = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 1), st.sampled_from(DOC_STATES),
                             st.sampled_from(LEVELS)), min_size=1, max_size=4)
doc_shares_st = st.lists(st.tuples(st.sampled_from(["document", "workspace"]), st.integers(0, 3),
                                   st.sampled_from(["user", "organisation", "workspace"]), st.integers(0, 4),
                                   st.sampled_from(ROLE_NAMES)), max_size=5)


def doc_oracle(u, doc, *, world) -> bool:  # noqa: ANN001
    """Rule 6 (drafts for the author; in review also for the reviewers named on it), rule 5 (from
    vertrouwelijk up only those named on the document), rules 2 and 4 (members and local roles)."""
    is_author = doc.owner_id == u.id
    own = world["shares"].get(("document", doc.id), [])
    inherited = world["shares"].get(("workspace", doc.workspace_id), [])
    if doc.state in {"draft", "in_review"}:
        return is_author or (doc.state == "in_review" and ("user", u.id, "reviewer") in own)
    if doc.confidentiality >= Confidentiality.VERTROUWELIJK:
        return is_author or any(k == "user" and p == u.id for k, p, _ in own)
    ws = world["member_of"].get(u.id, set())
    shared = any((k == "user" and p == u.id) or (k == "organisation" and p == u.organisation_id)
                 or (k == "workspace" and p in ws) for k, p, _ in [*own, *inherited])
    return is_author or doc.workspace_id in ws or shared


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(users=users_st, docs=docs_st, shares=doc_shares_st,
       reviewers=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=3))
def test_documents_can_view_matches_oracle_and_tokens(app, session, users, docs, shares, reviewers):
    from portal.models import Document

    try:
        orgs = [create_org(session, f"O{i}") for i in range(3)]
        spaces = [Workspace(code=f"W{i}", name=f"W{i}") for i in range(2)]
        session.add_all(spaces)
        session.flush()
        us, member_of = [], {}
        for i, (role, org, ws) in enumerate(users):
            u = create_user(session, f"u{i}", role, orgs[org])
            us.append(u)
            member_of[u.id] = {spaces[w].id for w in ws}
            for w in ws:
                session.add(WorkspaceMember(workspace_id=spaces[w].id, user_id=u.id))
        ds = []
        for k, (author, space, state, level) in enumerate(docs):
            if author < len(us):
                ds.append(Document(type="minutes", title="t", reference=f"P/{k}", owner_id=us[author].id,
                                   workspace_id=spaces[space].id, state=state, confidentiality=level, fields={}))
        session.add_all(ds)
        session.flush()
        share_map: dict[tuple[str, int], list[tuple[str, int, str]]] = {}
        named = [("document", di, "user", ui, "reviewer") for di, ui in reviewers]  # as a review request does
        for otype, oi, pkind, pi, role in [*shares, *named]:
            pool = {"document": ds, "workspace": spaces}[otype]
            ppool = {"user": us, "organisation": orgs, "workspace": spaces}[pkind]
            if oi < len(pool) and pi < len(ppool):
                key, entry = (otype, pool[oi].id), (pkind, ppool[pi].id, role)
                if entry in share_map.get(key, []):
                    continue
                session.add(LocalRole(object_type=otype, object_id=pool[oi].id, principal_kind=pkind,
                                      principal_id=ppool[pi].id, role=role, granted_by_id=us[0].id))
                share_map.setdefault(key, []).append(entry)
        session.flush()
        world = {"shares": share_map, "member_of": member_of}
        for u in us:
            tokens = access.principals(u, today=TODAY)
            for doc in ds:
                expected = doc_oracle(u, doc, world=world)
                assert access.can(u, Action.VIEW, doc, today=TODAY) is expected, (u.role, doc)
                assert bool(tokens & access.allowed_principals(doc)) is expected, (u.role, doc)
            assert {d.id for d in queries.visible_documents(u, today=TODAY)} == {
                d.id for d in ds if doc_oracle(u, d, world=world)}
    finally:
        session.rollback()
