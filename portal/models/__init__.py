"""All models, imported here so metadata and Alembic see every table."""

from portal.models.audit import AuditEntry
from portal.models.base import Base
from portal.models.clients import Assignment, CaseNote, CaseNoteVersion, Client, NoteAttachment
from portal.models.consent_templates import ConsentTemplate
from portal.models.consents import Consent, ConsentOrganisation, ConsentSignature
from portal.models.documents import (
    ActionItem,
    Document,
    DocumentVersion,
    ReviewComment,
    ReviewRequest,
    ZrmMeasurement,
)
from portal.models.emergency import EmergencyGrant
from portal.models.files import ReferenceCounter, StoredFile
from portal.models.letterheads import Letterhead
from portal.models.outbox import IndexOutbox
from portal.models.people import ApiToken, Organisation, User, UserSession
from portal.models.retention import DestructionItem, DestructionList, LegalHold, Tombstone
from portal.models.sharing import LocalRole
from portal.models.woo import WooDocument, WooRedaction, WooRequest
from portal.models.workspaces import Workspace, WorkspaceMember

__all__ = [
    "ActionItem", "ApiToken", "Assignment", "AuditEntry", "Base", "CaseNote", "CaseNoteVersion", "Client", "Consent",
    "ConsentOrganisation", "ConsentSignature", "ConsentTemplate", "DestructionItem", "DestructionList",
    "Document", "DocumentVersion", "EmergencyGrant",
    "IndexOutbox", "LegalHold", "Letterhead", "LocalRole", "NoteAttachment",
    "Organisation", "ReferenceCounter", "ReviewComment", "ReviewRequest", "StoredFile", "Tombstone", "User",
    "UserSession", "WooDocument", "WooRedaction", "WooRequest",
    "Workspace", "WorkspaceMember", "ZrmMeasurement",
]
