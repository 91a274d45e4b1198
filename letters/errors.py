"""Errors raised by document assembly."""


class LettersError(Exception):
    """Base class for document assembly errors."""


class InvalidFieldError(LettersError, ValueError):
    """A field of a structured document is missing or invalid; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class MalformedDocxError(LettersError):
    """An uploaded file is not a readable DOCX document.

    `reason` is a short code (see `letters.docx_import.DocxProblem`: 'too_large', 'not_zip',
    'encrypted', 'legacy_doc', 'zip_bomb', 'not_docx', 'malformed') that the portal maps to a
    message in the user's language and a status (413 for 'too_large', 400 otherwise).
    """

    def __init__(self, message: str, *, reason: str = "malformed") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
