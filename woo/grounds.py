"""The grounds for withholding information in the Woo (Wet open overheid, art. 5.1 and 5.2).

Absolute grounds (5.1.1) allow no weighing of interests; relative grounds (5.1.2) do. Every
redaction carries exactly one ground, printed where the text was removed, e.g. '[5.1.2e]'.
"""

from __future__ import annotations

from dataclasses import dataclass

from woo.errors import UnknownGroundError


@dataclass(frozen=True)
class Ground:
    code: str
    #: Short Dutch description, as printed in inventory lists.
    label: str
    absolute: bool

    @property
    def marker(self) -> str:
        """What replaces withheld text in an output file."""
        return f"[{self.code}]"


GROUNDS: dict[str, Ground] = {g.code: g for g in (
    Ground("5.1.1c", "Vertrouwelijk verstrekte bedrijfs- en fabricagegegevens", True),
    Ground("5.1.1d", "Bijzondere persoonsgegevens", True),
    Ground("5.1.1e", "Identificatienummers (BSN)", True),
    Ground("5.1.2a", "Internationale betrekkingen", False),
    Ground("5.1.2c", "Opsporing en vervolging van strafbare feiten", False),
    Ground("5.1.2d", "Inspectie, controle en toezicht", False),
    Ground("5.1.2e", "Eerbiediging van de persoonlijke levenssfeer", False),
    Ground("5.1.2f", "Concurrentiegevoelige bedrijfs- en fabricagegegevens", False),
    Ground("5.1.2h", "Beveiliging van personen en bedrijven", False),
    Ground("5.1.2i", "Goed functioneren van de overheid", False),
    Ground("5.2", "Persoonlijke beleidsopvattingen in intern beraad", False),
)}

PRIVACY = "5.1.2e"
BUSINESS = "5.1.2f"
SPECIAL = "5.1.1d"
BSN = "5.1.1e"


def ground(code: str) -> Ground:
    """:raise UnknownGroundError: for a code not in GROUNDS."""
    try:
        return GROUNDS[code.strip()]
    except (KeyError, AttributeError):
        raise UnknownGroundError(str(code)) from None


def strength(code: str) -> tuple[int, str]:
    """Sort key: absolute grounds first, so the stronger ground wins when two findings merge."""
    g = ground(code)
    return (0 if g.absolute else 1, g.code)
