"""All models, imported here so metadata and Alembic see every table."""

from portal.models.audit import AuditEntry
from portal.models.base import Base
from portal.models.clients import Assignment, CaseNote, CaseNoteVersion, Client
from portal.models.consents import Consent, ConsentOrganisation
from portal.models.emergency import EmergencyGrant
from portal.models.files import ReferenceCounter, StoredFile
from portal.models.outbox import IndexOutbox
from portal.models.people import ApiToken, Organisation, User, UserSession
from portal.models.sharing import LocalRole
from portal.models.workspaces import Workspace, WorkspaceMember

__all__ = [
    "ApiToken", "Assignment", "AuditEntry", "Base", "CaseNote", "CaseNoteVersion", "Client", "Consent",
    "ConsentOrganisation", "EmergencyGrant", "IndexOutbox", "LocalRole", "Organisation", "ReferenceCounter",
    "StoredFile", "User", "UserSession", "Workspace", "WorkspaceMember",
]
