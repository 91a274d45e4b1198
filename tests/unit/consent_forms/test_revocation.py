"""The revocation confirmation letter."""

from __future__ import annotations

from datetime import UTC, date, datetime

from consent_forms.render import to_pdf
from consent_forms.revocation import Revocation, revocation_letter
from letters.model import KeyValue, Sender


def _facts(language: str = "nl") -> Revocation:
    return Revocation(client_name="Cliënt A", consent_reference="STAP/2026/0042", organisations=["GGD", "IrisZorg"],
                      revoked_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC), reason="Wil niet meer.",
                      language=language)


def test_letter_states_what_stopped_and_when():
    doc = revocation_letter(_facts(), Sender("GGD"))
    assert doc.dated_on == date(2026, 3, 2)  # 00:30 in Amsterdam counts for the local day
    pairs = dict(next(b for b in doc.blocks if isinstance(b, KeyValue)).pairs)
    assert pairs["Kenmerk toestemming"] == "STAP/2026/0042" and pairs["Reden"] == "Wil niet meer."
    assert "GGD, IrisZorg" in pairs.values()
    assert to_pdf(doc).startswith(b"%PDF")


def test_letter_in_english():
    doc = revocation_letter(_facts("en"), Sender("GGD"))
    assert doc.subject.startswith("Confirmation") and doc.language == "en"
