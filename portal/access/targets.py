"""Turn any protected object into the few facts the rules look at.

Every object the portal protects maps to a `Target`. Adding a content type means adding one
function here; the rules themselves never look at model classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import CaseNote, Client, Consent, Document, WooRequest, Workspace
from portal.models.clients import NoteState
from portal.models.documents import DocState
from portal.vocab import Confidentiality, DataCategory


@dataclass(frozen=True)
class Target:
    object_type: str
    object_id: int
    #: The dossier the object belongs to; None for project documents.
    client_id: int | None
    category: DataCategory
    level: Confidentiality
    is_draft: bool
    author_id: int | None
    #: (object_type, id) whose local roles apply, nearest first: the object, its dossier, the dossier's workspace.
    chain: tuple[tuple[str, int], ...]
    workspace_id: int | None = None
    #: Submitted for review: still unpublished (is_draft), but open to the reviewers named on it (rule 6).
    in_review: bool = False

    @property
    def is_client_content(self) -> bool:
        return self.client_id is not None


class UnknownTargetError(TypeError):
    """An object the access engine does not know: fail loudly, never fall through to 'allowed'."""


def _dossier_chain(client: Client) -> tuple[tuple[str, int], ...]:
    chain: tuple[tuple[str, int], ...] = (("client", client.id),)
    if client.workspace_id is not None and not client.block_inheritance:
        chain += (("workspace", client.workspace_id),)
    return chain


def target_of(obj: object) -> Target:
    if isinstance(obj, CaseNote):
        return Target("case_note", obj.id, obj.client_id, DataCategory(obj.data_category),
                      Confidentiality(obj.confidentiality), obj.state == NoteState.DRAFT, obj.author_id,
                      (("case_note", obj.id), *_dossier_chain(obj.client)))
    if isinstance(obj, Client):
        return Target("client", obj.id, obj.id, DataCategory.GENERAL, Confidentiality.ZAAKVERTROUWELIJK, False,
                      None, _dossier_chain(obj))
    if isinstance(obj, Consent):
        return Target("consent", obj.id, obj.client_id, DataCategory.GENERAL, Confidentiality.ZAAKVERTROUWELIJK,
                      False, obj.created_by_id, (("consent", obj.id), *_dossier_chain(obj.client)))
    if isinstance(obj, Workspace):
        return Target("workspace", obj.id, None, DataCategory.GENERAL, Confidentiality.INTERN, False, None,
                      (("workspace", obj.id),), workspace_id=obj.id)
    if isinstance(obj, Document):
        return _document(obj)
    if isinstance(obj, WooRequest):
        # For the audit trail only: who may see a request is decided in access/woo.py.
        return Target("woo_request", obj.id, None, DataCategory.GENERAL, Confidentiality.INTERN, False, obj.owner_id,
                      (("woo_request", obj.id),))
    raise UnknownTargetError(f"no access rules for {type(obj).__name__}")


def _document(doc: Document) -> Target:
    """A letter or plan. Drafts and documents in review are unpublished (rule 6); a client plan is
    client content like a case note, a project document belongs to its workspace (rule 2)."""
    unpublished = doc.state in {DocState.DRAFT, DocState.IN_REVIEW}
    level = Confidentiality(doc.confidentiality)
    in_review = doc.state == DocState.IN_REVIEW
    if doc.client_id is not None:
        return Target("document", doc.id, doc.client_id, DataCategory.GENERAL, level, unpublished, doc.owner_id,
                      (("document", doc.id), *_dossier_chain(doc.client)), in_review=in_review)
    chain: tuple[tuple[str, int], ...] = (("document", doc.id),)
    if doc.workspace_id is not None:
        chain += (("workspace", doc.workspace_id),)
    return Target("document", doc.id, None, DataCategory.GENERAL, level, unpublished, doc.owner_id, chain,
                  workspace_id=doc.workspace_id, in_review=in_review)
