import pytest

from woo import detect
from woo.grounds import BSN, BUSINESS, PRIVACY, SPECIAL


def _found(text, **kw):
    return [(text[f.start:f.end], f.ground, f.kind) for f in detect.find_all(text, **kw)]


@pytest.mark.parametrize(("digits", "valid"), [
    ("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False), ("12345678", False)])
def test_eleven_test(digits, valid):
    assert detect.eleven_test(digits) is valid


def test_bsn_found_only_when_eleven_test_passes():
    text = "BSN 123456782, ook 1234.56.782; niet 123456789 en niet bedrag 123.456.789,00."
    assert [(t, g) for t, g, _ in _found(text)] == [("123456782", BSN), ("1234.56.782", BSN)]


@pytest.mark.parametrize("phone", ["06-12345678", "06 1234 5678", "+31 6 12345678", "0031612345678",
                                   "024-1234567", "(024) 123 45 67", "+31 (0)24 123 45 67"])
def test_phone_formats(phone):
    assert _found(f"Bel {phone} vandaag.") == [(phone, PRIVACY, "phone")]


@pytest.mark.parametrize("text", ["Kenmerk RIB/2026/0003", "op 2026-11-25", "artikel 5.1.2", "versie 1234"])
def test_no_false_phone_or_bsn(text):
    assert _found(text) == []


def test_email_address_money_and_names():
    text = ("Mevrouw Anna de Wit (anna.dewit@example.nl) woont aan de Hoofdstraat 12a, 6511 AB Nijmegen. "
            "Subsidie € 1.234,56 en 500 euro. ANNA DE WIT belde.")
    assert _found(text, names=["Anna de Wit"]) == [
        ("Anna de Wit", PRIVACY, "name"), ("anna.dewit@example.nl", PRIVACY, "email"),
        ("Hoofdstraat 12a, 6511 AB Nijmegen", PRIVACY, "address"), ("€ 1.234,56", BUSINESS, "money"),
        ("500 euro", BUSINESS, "money"), ("ANNA DE WIT", PRIVACY, "name")]


def test_names_are_whole_words_and_may_wrap():
    assert _found("Jan\nJansen en januari", names=["Jan Jansen", "Jan"]) == [("Jan\nJansen", PRIVACY, "name")]


def test_category_passages_whole_or_by_sentence():
    note = "Cliënte gebruikt dagelijks methadon via de verslavingszorg. Zij is somber."
    text = "In de brief: cliënte gebruikt dagelijks methadon via de\nverslavingszorg. Verder niets."
    assert _found(text, passages=[note]) == [
        ("cliënte gebruikt dagelijks methadon via de\nverslavingszorg.", SPECIAL, "category")]


def test_overlapping_findings_merge_to_strongest_ground():
    text = "Noot: Piet Bakker 123456782 klaar"
    found = detect.merge([detect.Finding(6, 17, PRIVACY, "name"), detect.Finding(11, 27, BSN, "bsn")])
    assert [(text[f.start:f.end], f.ground) for f in found] == [("Piet Bakker 123456782", BSN)]


@pytest.mark.parametrize("amount", ["€ 50", "€50,-", "€ 12.500,00", "EUR 1.000", "€ 2,5 miljoen", "75 euro",
                                    "1.234,56 EUR"])
def test_money_formats(amount):
    assert _found(f"Kosten: {amount} per jaar.") == [(amount, BUSINESS, "money")]


@pytest.mark.parametrize("text", ["grond 5.1.2e", "in 2026", "artikel 10", "week 12 tot 16"])
def test_no_false_money(text):
    assert _found(text) == []


def test_postcode_alone_and_with_town():
    assert _found("Post naar 6511 AB of 1012 JS Amsterdam.") == [("6511 AB", PRIVACY, "address"),
                                                                  ("1012 JS Amsterdam", PRIVACY, "address")]
