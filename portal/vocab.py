"""Vocabularies shared by models and access: actions, roles, confidentiality levels, data categories.

Kept dependency-free so models can import it without importing the access engine."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    REVIEW = "review"
    SIGN = "sign"
    REVOKE = "revoke"
    DOWNLOAD = "download"
    SHARE = "share"
    DELETE = "delete"
    VIEW_LOG = "view_log"
    CREATE_NOTE = "create_note"  # on a dossier: add a case note
    CREATE_DOCUMENT = "create_document"  # on a workspace or dossier: start a letter or plan in it
    CREATE_CONSENT = "create_consent"  # on a dossier: compose (or renew) a consent form
    CREATE_CLIENT = "create_client"  # on a team workspace: open a new dossier (intake)
    MANAGE = "manage"  # functional administration: users, organisations, workspaces
    CREATE_WOO = "create_woo"  # open a Woo disclosure request (no object)
    EXPORT_CLIENT_FILE = "export_client_file"  # privacy officer: a client's own file (AVG art. 15)
    MANAGE_RETENTION = "manage_retention"  # privacy officer: retention, legal holds, destruction lists


class GlobalRole(StrEnum):
    CASE_MANAGER = "case_manager"
    PEER_EXPERT = "peer_expert"
    PROJECT_LEAD = "project_lead"
    STAFF = "staff"
    ADMIN = "admin"
    PRIVACY_OFFICER = "privacy_officer"


class LocalRoleName(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    REVIEWER = "reviewer"


class Confidentiality(IntEnum):
    """Levels after the Dutch ZGW standard (vertrouwelijkheidaanduiding), lowest first."""

    OPENBAAR = 1
    BEPERKT_OPENBAAR = 2
    INTERN = 3
    ZAAKVERTROUWELIJK = 4
    VERTROUWELIJK = 5
    CONFIDENTIEEL = 6
    GEHEIM = 7
    ZEER_GEHEIM = 8

    @property
    def named_only(self) -> bool:
        """From vertrouwelijk up, only users named on the object itself may see it (DESIGN §5 rule 5)."""
        return self >= Confidentiality.VERTROUWELIJK

    @property
    def code(self) -> str:
        return self.name.lower()


class DataCategory(StrEnum):
    """What a piece of client data is about; consents name the categories they open."""

    GENERAL = "general"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    ADDICTION = "addiction"
    SEXUAL_HEALTH = "sexual_health"  # sexual health and sexual life: special personal data (AVG art. 9)
    HOUSING = "housing"
    FINANCES = "finances"
    WORK_INCOME = "work_income"
    JUSTICE = "justice"
    SOCIAL = "social"


#: Categories a peer expert sees only when the object is shared with her (DESIGN §1).
PEER_RESTRICTED = frozenset({DataCategory.HEALTH, DataCategory.MENTAL_HEALTH, DataCategory.ADDICTION,
                             DataCategory.SEXUAL_HEALTH, DataCategory.JUSTICE})

#: Roles whose ceiling admits client content at all (rule 1). Admin and privacy officer read none by
#: default; the project lead only what is shared with her by name.
CLIENT_CONTENT_ROLES = frozenset({GlobalRole.CASE_MANAGER, GlobalRole.PEER_EXPERT, GlobalRole.STAFF})

#: Roles that must use two-factor authentication (all that may ever see client data).
TWO_FACTOR_ROLES = frozenset(GlobalRole)
