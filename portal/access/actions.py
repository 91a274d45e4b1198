"""Re-export of the access vocabularies (they live in portal.vocab so models can use them)."""

from portal.vocab import (
    CLIENT_CONTENT_ROLES,
    PEER_RESTRICTED,
    TWO_FACTOR_ROLES,
    Action,
    Confidentiality,
    DataCategory,
    GlobalRole,
    LocalRoleName,
)

__all__ = ["CLIENT_CONTENT_ROLES", "PEER_RESTRICTED", "TWO_FACTOR_ROLES", "Action", "Confidentiality",
           "DataCategory", "GlobalRole", "LocalRoleName"]
