"""Errors of the consent domain: one class per failure.

Each error carries a short English ``message`` and, where a form field is to blame, the
``field`` it belongs to. The portal maps the *class* to a Dutch/English text and an HTTP status
(``portal/web/errors.py``), so the messages here are for logs and API clients, not for display.
"""

from __future__ import annotations


class ConsentError(Exception):
    """Base class of every consent-domain failure."""

    #: Default message, overridden per class.
    default_message = "consent error"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        #: The form field to blame, or None when no single field is.
        self.field = field
        super().__init__(self.message)


# --- the consent itself -----------------------------------------------------------------------


class MissingFieldError(ConsentError):
    default_message = "a required field is empty"


class InvalidIdentifierError(ConsentError):
    default_message = "identifier may only hold lowercase letters, digits, '-' and '_'"


class NoPartiesError(ConsentError):
    default_message = "at least one organisation must be named"


class DuplicatePartyError(ConsentError):
    default_message = "an organisation is named twice"


class NoCategoriesError(ConsentError):
    default_message = "at least one data category must be chosen"


class DuplicateCategoryError(ConsentError):
    default_message = "a data category is chosen twice"


class UnknownCategoryError(ConsentError):
    default_message = "unknown data category"


class InvalidPeriodError(ConsentError):
    default_message = "the end date must come after the start date"


class PeriodTooLongError(ConsentError):
    default_message = "the consent may not run longer than the maximum period"


class InvalidBirthDateError(ConsentError):
    default_message = "the date of birth is not plausible"


class UnsupportedLanguageError(ConsentError):
    default_message = "language must be 'nl' or 'en'"


class FieldTooLongError(ConsentError):
    default_message = "text is too long"


class NaiveDatetimeError(ConsentError):
    default_message = "timestamps must be timezone-aware UTC"


class InvalidHashError(ConsentError):
    default_message = "a SHA-256 hash must be 64 lowercase hex digits"


class InvalidSignatureError(ConsentError):
    default_message = "the signature record is inconsistent"


# --- templates --------------------------------------------------------------------------------


class UnknownPlaceholderError(ConsentError):
    default_message = "the template uses an unknown placeholder"


class MalformedTemplateError(ConsentError):
    default_message = "the template text cannot be parsed"


class TemplateLanguageMismatchError(ConsentError):
    default_message = "the template language differs from the consent language"


class UnknownTemplateError(ConsentError):
    default_message = "no template with that version and language"


# --- signatures and scans ---------------------------------------------------------------------


class NotAPngError(ConsentError):
    default_message = "the drawn signature is not a PNG image"


class MalformedImageError(ConsentError):
    default_message = "the image cannot be decoded"


class SignatureTooLargeError(ConsentError):
    default_message = "the drawn signature is too large"


class SignatureDimensionsError(ConsentError):
    default_message = "the drawn signature is too small or too large in pixels"


class EmptySignatureError(ConsentError):
    default_message = "the drawn signature is empty"


class EmptyScanError(ConsentError):
    default_message = "the uploaded scan is empty"


class ScanTooLargeError(ConsentError):
    default_message = "the uploaded scan is too large"


class UnsupportedScanTypeError(ConsentError):
    default_message = "the scan must be a PDF, JPEG or PNG file"


class EncryptedPdfError(ConsentError):
    default_message = "the PDF is encrypted or password-protected"


class MalformedScanError(ConsentError):
    default_message = "the uploaded scan is damaged or incomplete"


class ActiveContentPdfError(ConsentError):
    default_message = "the PDF contains scripts, embedded files or other active content"


# --- lifecycle --------------------------------------------------------------------------------


class InvalidTransitionError(ConsentError):
    default_message = "this step is not possible in the consent's current state"


class AlreadySignedError(InvalidTransitionError):
    default_message = "the consent is already signed"


class NotSignedError(InvalidTransitionError):
    default_message = "the consent has not been signed"


class ConsentRevokedError(InvalidTransitionError):
    default_message = "the consent has been revoked"


class ConsentExpiredError(InvalidTransitionError):
    default_message = "the consent has expired"


class MissingSignatureError(ConsentError):
    default_message = "no signature was given"


class MissingClientSignatureError(ConsentError):
    default_message = "the client must sign before the case manager countersigns"


class DuplicateSignatureError(ConsentError):
    default_message = "this person has already signed"


class ContentHashMismatchError(ConsentError):
    default_message = "the signature was made over different content"


class RevocationReasonRequiredError(ConsentError):
    default_message = "a reason for revocation is required"


# --- rendering, sealing, verification ---------------------------------------------------------


class RendererUnavailableError(ConsentError):
    default_message = "the document renderer is not available"


class CertificateLoadError(ConsentError):
    default_message = "the sealing certificate or key cannot be loaded"


class SealingError(ConsentError):
    default_message = "the PDF could not be sealed"


class InvalidPdfError(ConsentError):
    default_message = "the file is not a readable PDF"
