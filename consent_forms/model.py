"""The consent's data: what is shared, by whom, for what, until when, and who signed.

All classes are frozen and check their invariants on creation, so a `ConsentSpec` that exists
is one the portal may render and have signed. Timestamps are aware UTC (`*_at`), dates `*_on`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from consent_forms import errors

#: Longest a consent may run unless the caller configures otherwise (DESIGN §6).
DEFAULT_MAX_YEARS = 2
#: Default duration of a consent (DESIGN §6: "default: one year").
DEFAULT_YEARS = 1
MAX_NAME_LENGTH = 200
MAX_PURPOSE_LENGTH = 2000

_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class Language(StrEnum):
    NL = "nl"
    EN = "en"


class DataCategory(StrEnum):
    """Categories of personal data a consent may cover; drawn from the ZRM life domains."""

    GENERAL = "general"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    ADDICTION = "addiction"
    SEXUAL_HEALTH = "sexual_health"
    HOUSING = "housing"
    FINANCES = "finances"
    WORK_INCOME = "work_income"
    DAYTIME_ACTIVITIES = "daytime_activities"
    SOCIAL_NETWORK = "social_network"
    JUSTICE = "justice"
    MEDIA = "media"

    def label(self, language: str = "nl") -> str:
        """The plain-language name shown to the client, Dutch by default."""
        nl, en = _CATEGORY_LABELS[self]
        return en if language == Language.EN else nl


_CATEGORY_LABELS: dict[DataCategory, tuple[str, str]] = {
    DataCategory.GENERAL: ("Algemene gegevens (naam, geboortedatum, contactgegevens)",
                           "General details (name, date of birth, contact details)"),
    DataCategory.HEALTH: ("Lichamelijke gezondheid", "Physical health"),
    DataCategory.MENTAL_HEALTH: ("Psychische gezondheid", "Mental health"),
    DataCategory.ADDICTION: ("Middelengebruik en verslaving", "Substance use and addiction"),
    DataCategory.SEXUAL_HEALTH: ("Seksuele gezondheid", "Sexual health"),
    DataCategory.HOUSING: ("Wonen en opvang", "Housing and shelter"),
    DataCategory.FINANCES: ("Financiën en schulden", "Finances and debts"),
    DataCategory.WORK_INCOME: ("Werk en inkomen (uitkering)", "Work and income (benefits)"),
    DataCategory.DAYTIME_ACTIVITIES: ("Dagbesteding", "Daytime activities"),
    DataCategory.SOCIAL_NETWORK: ("Sociaal netwerk en relaties", "Social network and relationships"),
    DataCategory.JUSTICE: ("Justitie en politie", "Justice and police"),
    DataCategory.MEDIA: ("Hulp bij ongewenste foto's in de media", "Help with unwanted photos in the media"),
}


class SignerRole(StrEnum):
    CLIENT = "client"
    CASE_MANAGER = "case_manager"


class SignatureMethod(StrEnum):
    DRAWN = "drawn"  # on a tablet, stored as a PNG
    PAPER_SCAN = "paper_scan"  # signed on paper, the scan is archived separately


class SignerIdentification(StrEnum):
    """How the case manager established who signed."""

    ID_DOCUMENT = "id_document"  # in person, identity document seen
    KNOWN_TO_TEAM = "known_to_team"  # in person, known to the team over time
    REPRESENTATIVE = "representative"  # a legal representative signed, with identity document
    PORTAL_LOGIN = "portal_login"  # a staff member signing while logged in (2FA)

    def label(self, language: str = "nl") -> str:
        nl, en = _IDENTIFICATION_LABELS[self]
        return en if language == Language.EN else nl


_IDENTIFICATION_LABELS: dict[SignerIdentification, tuple[str, str]] = {
    SignerIdentification.ID_DOCUMENT: ("Persoonlijk, identiteitsbewijs gezien", "In person, identity document seen"),
    SignerIdentification.KNOWN_TO_TEAM: ("Persoonlijk, bekend bij het team", "In person, known to the team"),
    SignerIdentification.REPRESENTATIVE: ("Door een wettelijk vertegenwoordiger", "By a legal representative"),
    SignerIdentification.PORTAL_LOGIN: ("Ingelogd medewerker", "Logged-in staff member"),
}


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February becomes 28 February in a non-leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _require_text(value: str, name: str, max_length: int = MAX_NAME_LENGTH) -> None:
    if not isinstance(value, str) or not value.strip():
        raise errors.MissingFieldError(f"{name} is required", field=name)
    if len(value) > max_length:
        raise errors.FieldTooLongError(f"{name} is longer than {max_length} characters", field=name)


def _require_utc(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() != timedelta(0):
        raise errors.NaiveDatetimeError(f"{name} must be an aware UTC datetime", field=name)


def _require_sha256(value: str, name: str) -> None:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise errors.InvalidHashError(field=name)


@dataclass(frozen=True)
class Party:
    """An organisation named on the consent as one that may share the client's data."""

    organisation_id: str
    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.organisation_id, str) or not _IDENTIFIER.fullmatch(self.organisation_id):
            raise errors.InvalidIdentifierError(field="parties")
        _require_text(self.name, "parties")


@dataclass(frozen=True)
class ConsentSpec:
    """What the client is asked to agree to. Everything here is printed on the form and hashed.

    `ends_on` defaults to one year after `starts_on`; it must come after `starts_on` and may
    not lie more than `max_years` after it.

    :raise ConsentError: a subclass naming the field at fault.
    """

    client_name: str
    parties: tuple[Party, ...]
    categories: tuple[DataCategory, ...]
    purpose: str
    starts_on: date
    ends_on: date | None = None
    client_born_on: date | None = None
    language: Language = Language.NL
    form_version: str = "2026-1"
    #: Not part of what is signed: a policy limit the portal may configure.
    max_years: int = field(default=DEFAULT_MAX_YEARS, compare=False)

    def __post_init__(self) -> None:
        _require_text(self.client_name, "client_name")
        _require_text(self.purpose, "purpose", MAX_PURPOSE_LENGTH)
        _require_text(self.form_version, "form_version", 32)
        self._check_parties()
        self._check_categories()
        try:
            object.__setattr__(self, "language", Language(self.language))
        except ValueError:
            raise errors.UnsupportedLanguageError(field="language") from None
        if self.ends_on is None:
            object.__setattr__(self, "ends_on", add_years(self.starts_on, DEFAULT_YEARS))
        assert self.ends_on is not None
        if self.ends_on <= self.starts_on:
            raise errors.InvalidPeriodError(field="ends_on")
        if self.ends_on > add_years(self.starts_on, self.max_years):
            raise errors.PeriodTooLongError(
                f"the consent may run at most {self.max_years} years", field="ends_on")
        if self.client_born_on is not None and not (
                date(1900, 1, 1) <= self.client_born_on <= self.starts_on):
            raise errors.InvalidBirthDateError(field="client_born_on")

    def _check_parties(self) -> None:
        object.__setattr__(self, "parties", tuple(self.parties))
        if not self.parties:
            raise errors.NoPartiesError(field="parties")
        ids = [p.organisation_id for p in self.parties]
        if len(set(ids)) != len(ids):
            raise errors.DuplicatePartyError(field="parties")

    def _check_categories(self) -> None:
        try:
            cats = tuple(DataCategory(c) for c in self.categories)
        except ValueError:
            raise errors.UnknownCategoryError(field="categories") from None
        if not cats:
            raise errors.NoCategoriesError(field="categories")
        if len(set(cats)) != len(cats):
            raise errors.DuplicateCategoryError(field="categories")
        object.__setattr__(self, "categories", cats)

    @property
    def valid_until_on(self) -> date:
        """`ends_on`, typed as always present (it is filled in on creation)."""
        assert self.ends_on is not None
        return self.ends_on

    def names(self, organisation_id: str, category: DataCategory) -> bool:
        """Whether this consent covers `category` for `organisation_id` (ignoring validity)."""
        return category in self.categories and any(p.organisation_id == organisation_id for p in self.parties)


@dataclass(frozen=True)
class Signature:
    """One person's signature over the content with hash `content_sha256`.

    A drawn signature carries its PNG; a paper signature carries the SHA-256 of the uploaded
    scan (the scan itself is archived by the portal). A case manager always has a user id.
    """

    role: SignerRole
    signer_name: str
    method: SignatureMethod
    signed_at: datetime
    identification: SignerIdentification
    content_sha256: str
    user_id: str | None = None
    image_png: bytes | None = field(default=None, repr=False)
    scan_sha256: str | None = None

    def __post_init__(self) -> None:
        for name, enum in (("role", SignerRole), ("method", SignatureMethod),
                           ("identification", SignerIdentification)):
            try:
                object.__setattr__(self, name, enum(getattr(self, name)))
            except ValueError:
                raise errors.InvalidSignatureError(f"unknown {name}", field=name) from None
        _require_text(self.signer_name, "signer_name")
        _require_utc(self.signed_at, "signed_at")
        _require_sha256(self.content_sha256, "content_sha256")
        if self.method is SignatureMethod.DRAWN and not self.image_png:
            raise errors.InvalidSignatureError("a drawn signature needs its image", field="image_png")
        if self.method is SignatureMethod.PAPER_SCAN:
            if self.scan_sha256 is None:
                raise errors.InvalidSignatureError("a paper signature needs the scan's hash", field="scan_sha256")
            _require_sha256(self.scan_sha256, "scan_sha256")
        if self.role is SignerRole.CASE_MANAGER and not self.user_id:
            raise errors.InvalidSignatureError("a case manager signs as a portal user", field="user_id")


@dataclass(frozen=True)
class SigningRecord:
    """What the signing record page states: the document, its hash and every signature."""

    reference: str
    form_version: str
    content_sha256: str
    signatures: tuple[Signature, ...]
    #: The organisation that issued and seals the consent.
    issued_by: str

    def __post_init__(self) -> None:
        _require_text(self.reference, "reference", 64)
        _require_text(self.issued_by, "issued_by")
        _require_sha256(self.content_sha256, "content_sha256")
        object.__setattr__(self, "signatures", tuple(self.signatures))
        if not self.signatures:
            raise errors.MissingSignatureError(field="signatures")
        for sig in self.signatures:
            if sig.content_sha256 != self.content_sha256:
                raise errors.ContentHashMismatchError(field="signatures")
