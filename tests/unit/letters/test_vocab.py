from __future__ import annotations

import pytest

from letters.errors import InvalidFieldError
from letters.vocab import (
    LIFE_DOMAINS,
    ZRM_SCORES,
    LifeDomain,
    domain_label,
    domain_order,
    zrm_label,
)


def test_thirteen_zrm_domains_plus_media_in_form_order():
    codes = [code for code, _, _ in LIFE_DOMAINS]
    assert len(codes) == 14
    assert codes[0] == "finances"
    assert codes[-2] == "justice"
    assert codes[-1] == "media"
    assert codes == [member.value for member in LifeDomain]


def test_domain_labels_in_dutch_and_english():
    assert domain_label("work_education") == "Werk & opleiding"
    assert domain_label("social_participation", "en") == "Social participation"
    assert domain_label(LifeDomain.BASIC_ADL) == "Basale ADL"
    assert domain_order("finances") < domain_order("justice")


def test_zrm_labels():
    assert [zrm_label(n) for n in range(1, 6)] == [
        "acute problematiek", "niet zelfredzaam", "beperkt zelfredzaam", "voldoende zelfredzaam",
        "volledig zelfredzaam",
    ]
    assert zrm_label(5, "en") == "fully self-sufficient"
    assert set(ZRM_SCORES) == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("score", [0, 6, 2.5, True, "3"])
def test_zrm_score_out_of_range_is_refused(score):
    with pytest.raises(InvalidFieldError):
        zrm_label(score)


def test_unknown_domain_and_language_are_refused():
    with pytest.raises(InvalidFieldError) as err:
        domain_label("hobbies")
    assert err.value.field == "life_domain"
    with pytest.raises(InvalidFieldError) as err:
        domain_label("finances", "de")
    assert err.value.field == "language"
