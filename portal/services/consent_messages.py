"""Consent-domain errors as field-named, translated messages (DESIGN §13).

`consent_forms` raises one class per failure with the field it blames, in English for logs. Here
each class gets the Dutch text the user reads, and each domain field the name of the form field.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consent_forms import errors as e
from portal.services.errors import StateConflictError, ValidationError

#: domain field -> form / API field
FIELDS = {"parties": "organisations", "client_born_on": "client_name", "image_png": "signature",
          "signatures": "signature", "form_version": "form_version", "scan_sha256": "scan"}

MESSAGES: dict[type[e.ConsentError], Any] = {
    e.NoPartiesError: _l("Kies ten minste één organisatie."),
    e.DuplicatePartyError: _l("Een organisatie is twee keer gekozen."),
    e.InvalidIdentifierError: _l("Deze organisatie kan niet op het formulier."),
    e.NoCategoriesError: _l("Kies ten minste één soort gegevens."),
    e.DuplicateCategoryError: _l("Een soort gegevens is twee keer gekozen."),
    e.UnknownCategoryError: _l("Onbekende soort gegevens."),
    e.InvalidPeriodError: _l("De einddatum moet na de begindatum liggen."),
    e.PeriodTooLongError: _l("De toestemming mag hoogstens twee jaar gelden. Kies een eerdere einddatum."),
    e.InvalidBirthDateError: _l("De geboortedatum in het dossier klopt niet; pas die eerst aan."),
    e.UnsupportedLanguageError: _l("Kies Nederlands of Engels."),
    e.FieldTooLongError: _l("Deze tekst is te lang."),
    e.MissingFieldError: _l("Dit veld is verplicht."),
    e.UnknownTemplateError: _l("Deze formulierversie bestaat niet in de gekozen taal."),
    e.UnknownPlaceholderError: _l("De tekst gebruikt een onbekend invulveld tussen accolades."),
    e.MalformedTemplateError: _l(
        "De tekst bevat een accolade die niet klopt; gebruik {{ en }} voor een losse accolade."),
    e.TemplateLanguageMismatchError: _l("Deze formulierversie is er niet in de gekozen taal."),
    e.NotAPngError: _l("De handtekening is geen PNG-afbeelding. Teken opnieuw."),
    e.MalformedImageError: _l("De handtekening kon niet worden gelezen. Teken opnieuw."),
    e.SignatureTooLargeError: _l("De handtekening is te groot. Teken opnieuw."),
    e.SignatureDimensionsError: _l("Het tekenvlak van de handtekening is te klein of te groot."),
    e.EmptySignatureError: _l("De handtekening is leeg. Laat de cliënt tekenen in het vak."),
    e.EmptyScanError: _l("Het bestand is leeg. Kies de scan van het getekende formulier."),
    e.ScanTooLargeError: _l("De scan is te groot (hoogstens 20 MB en 50 pagina's)."),
    e.UnsupportedScanTypeError: _l("De scan moet een PDF-, JPEG- of PNG-bestand zijn."),
    e.EncryptedPdfError: _l("De PDF is versleuteld of met een wachtwoord beveiligd. Scan opnieuw zonder beveiliging."),
    e.MalformedScanError: _l("De scan is beschadigd of onvolledig. Scan opnieuw."),
    e.ActiveContentPdfError: _l(
        "De PDF bevat scripts of ingesloten bestanden en is geweigerd. Scan het getekende papier opnieuw."),
    e.RevocationReasonRequiredError: _l("Geef de reden van de intrekking."),
    e.MissingSignatureError: _l("Er is geen handtekening gegeven."),
    e.MissingClientSignatureError: _l("De cliënt moet eerst tekenen."),
    e.ContentHashMismatchError: _l(
        "De tekst van het formulier is veranderd sinds het werd opgesteld. Stel het opnieuw op."),
}

#: State errors: 409, with their own words.
STATE_MESSAGES: dict[type[e.ConsentError], Any] = {
    e.AlreadySignedError: _l("Dit formulier is al ondertekend."),
    e.DuplicateSignatureError: _l("Dit formulier is al ondertekend."),
    e.ConsentRevokedError: _l(
        "Deze toestemming is ingetrokken; er kan niets meer mee. Stel zo nodig een nieuwe op."),
    e.ConsentExpiredError: _l("De einddatum van dit formulier is verstreken. Stel een nieuw formulier op."),
    e.NotSignedError: _l("Dit formulier is nog niet ondertekend."),
}


def _lookup(table: dict[type[e.ConsentError], Any], exc: e.ConsentError) -> Any:
    return next((msg for cls, msg in table.items() if isinstance(exc, cls)), None)


def to_validation_error(exc: e.ConsentError, *, default_field: str = "consent") -> ValidationError:
    """The portal error for a domain error: 409 for a state problem, 400 naming the field otherwise."""
    state = _lookup(STATE_MESSAGES, exc)
    if state is not None:
        return StateConflictError({"consent": str(state)})
    message = _lookup(MESSAGES, exc) or _l("De invoer is niet in orde.")
    field = FIELDS.get(exc.field or "", exc.field) or default_field
    return ValidationError({field: str(message)})
