"""Fixed labels of the signature area and the signing record page, Dutch first."""

from __future__ import annotations

from consent_forms.model import Language

_LABELS: dict[str, tuple[str, str]] = {
    "signatures": ("Ondertekening", "Signatures"),
    "client": ("Cliënt", "Client"),
    "case_manager": ("Casemanager", "Case manager"),
    "name": ("Naam", "Name"),
    "date": ("Datum", "Date"),
    "signature": ("Handtekening", "Signature"),
    "signature_of": ("Handtekening van {name}", "Signature of {name}"),
    "signed_at": ("Ondertekend op", "Signed at"),
    "identification": ("Identificatie", "Identification"),
    "method": ("Wijze", "Method"),
    "drawn": ("Getekend op tablet", "Drawn on a tablet"),
    "paper_scan": ("Op papier getekend, scan bewaard", "Signed on paper, scan archived"),
    "scan_hash": ("SHA-256 van de scan", "SHA-256 of the scan"),
    "user_id": ("Gebruiker", "User"),
    "record_title": ("Ondertekeningsverslag", "Signing record"),
    "record_intro": (
        "Dit verslag hoort bij het toestemmingsformulier hierboven. Het document is na ondertekening "
        "verzegeld met het certificaat van {organisation}. Elke wijziging maakt het zegel ongeldig.",
        "This record belongs to the consent form above. After signing, the document was sealed with "
        "the certificate of {organisation}. Any change invalidates the seal.",
    ),
    "reference": ("Kenmerk", "Reference"),
    "form_version": ("Formulierversie", "Form version"),
    "issued_by": ("Uitgegeven door", "Issued by"),
    "content_hash": ("SHA-256 van de ondertekende inhoud", "SHA-256 of the signed content"),
    "role": ("Rol", "Role"),
    "time_zone": ("tijdzone Europe/Amsterdam", "time zone Europe/Amsterdam"),
    "hash_note": (
        "De SHA-256-waarde is berekend over de tekst van de informatiebrief en het formulier zoals de "
        "cliënt die heeft gezien, niet over dit PDF-bestand.",
        "The SHA-256 value is computed over the text of the information letter and the form as the "
        "client saw them, not over this PDF file.",
    ),
    "blank_date": ("Datum: ____________________", "Date: ____________________"),
    "footer": ("Vertrouwelijk – toestemmingsformulier", "Confidential – consent form"),
}


def label(key: str, language: str, **values: str) -> str:
    """The label `key` in `language` ('nl' or 'en'), with ``{name}``-style values filled in."""
    nl, en = _LABELS[key]
    text = en if language == Language.EN else nl
    return text.format(**values) if values else text
