"""consent_forms.model: invariants of the consent and its signatures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from consent_forms import errors
from consent_forms.model import (
    ConsentSpec,
    DataCategory,
    Language,
    Party,
    Signature,
    SignatureMethod,
    SignerIdentification,
    SignerRole,
    SigningRecord,
    add_years,
)

HASH = "a" * 64


def test_spec_end_date_defaults_to_one_year(create_spec: Callable[..., ConsentSpec]) -> None:
    assert create_spec(starts_on=date(2026, 3, 1)).ends_on == date(2027, 3, 1)


def test_spec_leap_day_default_end_is_28_february(create_spec: Callable[..., ConsentSpec]) -> None:
    assert create_spec(starts_on=date(2028, 2, 29)).ends_on == date(2029, 2, 28)


@pytest.mark.parametrize("ends_on", [date(2026, 3, 1), date(2026, 2, 1)])
def test_spec_end_must_follow_start(create_spec: Callable[..., ConsentSpec], ends_on: date) -> None:
    with pytest.raises(errors.InvalidPeriodError) as exc:
        create_spec(ends_on=ends_on)
    assert exc.value.field == "ends_on"


def test_spec_period_limited_to_two_years_by_default(create_spec: Callable[..., ConsentSpec]) -> None:
    assert create_spec(ends_on=date(2028, 3, 1)).ends_on == date(2028, 3, 1)
    with pytest.raises(errors.PeriodTooLongError):
        create_spec(ends_on=date(2028, 3, 2))


def test_spec_maximum_period_is_configurable(create_spec: Callable[..., ConsentSpec]) -> None:
    with pytest.raises(errors.PeriodTooLongError):
        create_spec(ends_on=date(2027, 3, 2), max_years=1)
    assert create_spec(ends_on=date(2029, 3, 1), max_years=3).ends_on == date(2029, 3, 1)


@pytest.mark.parametrize(("overrides", "error", "field"), [
    ({"parties": ()}, errors.NoPartiesError, "parties"),
    ({"parties": (Party("ggd", "GGD"), Party("ggd", "GGD 2"))}, errors.DuplicatePartyError, "parties"),
    ({"categories": ()}, errors.NoCategoriesError, "categories"),
    ({"categories": ("health", "health")}, errors.DuplicateCategoryError, "categories"),
    ({"categories": ("horoscope",)}, errors.UnknownCategoryError, "categories"),
    ({"client_name": "  "}, errors.MissingFieldError, "client_name"),
    ({"purpose": ""}, errors.MissingFieldError, "purpose"),
    ({"purpose": "x" * 2001}, errors.FieldTooLongError, "purpose"),
    ({"language": "de"}, errors.UnsupportedLanguageError, "language"),
    ({"client_born_on": date(2027, 1, 1)}, errors.InvalidBirthDateError, "client_born_on"),
])
def test_spec_invalid_input_names_the_field(create_spec: Callable[..., ConsentSpec], overrides: dict[str, object],
                                            error: type[errors.ConsentError], field: str) -> None:
    with pytest.raises(error) as exc:
        create_spec(**overrides)
    assert exc.value.field == field


def test_spec_normalises_strings_to_enums(create_spec: Callable[..., ConsentSpec]) -> None:
    spec = create_spec(categories=("health", "justice"), language="en", parties=[Party("ggd", "GGD")])
    assert spec.categories == (DataCategory.HEALTH, DataCategory.JUSTICE)
    assert spec.language is Language.EN
    assert isinstance(spec.parties, tuple)


def test_spec_names_organisation_and_category(spec: ConsentSpec) -> None:
    assert spec.names("ggd", DataCategory.HOUSING)
    assert not spec.names("ggd", DataCategory.JUSTICE)
    assert not spec.names("politie", DataCategory.HOUSING)


@pytest.mark.parametrize("org_id", ["", "GGD", "ggd gelderland", "-ggd", "x" * 65])
def test_party_identifier_is_a_slug(org_id: str) -> None:
    with pytest.raises(errors.InvalidIdentifierError):
        Party(org_id, "GGD")


def test_every_category_has_both_labels() -> None:
    for cat in DataCategory:
        assert cat.label("nl")
        assert cat.label("en")
        assert cat.label("nl") != cat.label("en")


def test_add_years_keeps_day() -> None:
    assert add_years(date(2026, 12, 31), 2) == date(2028, 12, 31)


def _signature(**overrides: object) -> Signature:
    fields: dict[str, object] = {
        "role": SignerRole.CLIENT, "signer_name": "Cliënt A", "method": SignatureMethod.DRAWN,
        "signed_at": datetime(2026, 3, 1, 12, tzinfo=UTC), "identification": SignerIdentification.ID_DOCUMENT,
        "content_sha256": HASH, "image_png": b"png",
    }
    fields.update(overrides)
    return Signature(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("signed_at", [
    datetime(2026, 3, 1, 12),
    datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=1))),
])
def test_signature_time_must_be_aware_utc(signed_at: datetime) -> None:
    with pytest.raises(errors.NaiveDatetimeError):
        _signature(signed_at=signed_at)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"image_png": None}, "image_png"),
    ({"method": SignatureMethod.PAPER_SCAN, "image_png": None}, "scan_sha256"),
    ({"role": SignerRole.CASE_MANAGER, "user_id": None}, "user_id"),
    ({"role": "notary"}, "role"),
])
def test_signature_inconsistent_record_refused(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(errors.InvalidSignatureError) as exc:
        _signature(**overrides)
    assert exc.value.field == field


@pytest.mark.parametrize("bad", ["A" * 64, "a" * 63, "g" * 64, ""])
def test_signature_hash_must_be_sha256_hex(bad: str) -> None:
    with pytest.raises(errors.InvalidHashError):
        _signature(content_sha256=bad)


def test_paper_signature_carries_scan_hash() -> None:
    sig = _signature(method="paper_scan", image_png=None, scan_sha256="b" * 64)
    assert sig.method is SignatureMethod.PAPER_SCAN


def test_signing_record_requires_matching_signatures() -> None:
    with pytest.raises(errors.MissingSignatureError):
        SigningRecord("STAP/2026/0042", "2026-1", HASH, (), "GGD")
    with pytest.raises(errors.ContentHashMismatchError):
        SigningRecord("STAP/2026/0042", "2026-1", "c" * 64, (_signature(),), "GGD")
    assert SigningRecord("STAP/2026/0042", "2026-1", HASH, [_signature()], "GGD").signatures
