"""Vocabularies shared by plans, figures and charts: ZRM life domains and score labels.

The order of `LIFE_DOMAINS` is the order of the ZRM form (zelfredzaamheidsmatrix), with 'media'
appended for the programme's help with unwanted photos in the media (seed 004). Tables and charts
list domains in this order, never alphabetically, so a reader finds them where she expects.
"""

from __future__ import annotations

from enum import StrEnum

from letters.errors import InvalidFieldError


class LifeDomain(StrEnum):
    """A life domain (levensdomein) code as stored in case notes, goals and ZRM measurements."""

    FINANCES = "finances"
    WORK_EDUCATION = "work_education"
    TIME_USE = "time_use"
    HOUSING = "housing"
    DOMESTIC_RELATIONS = "domestic_relations"
    MENTAL_HEALTH = "mental_health"
    PHYSICAL_HEALTH = "physical_health"
    SUBSTANCE_USE = "substance_use"
    BASIC_ADL = "basic_adl"
    INSTRUMENTAL_ADL = "instrumental_adl"
    SOCIAL_NETWORK = "social_network"
    SOCIAL_PARTICIPATION = "social_participation"
    JUSTICE = "justice"
    MEDIA = "media"


#: (code, Dutch label, English label), in ZRM order.
LIFE_DOMAINS: tuple[tuple[str, str, str], ...] = (
    ("finances", "Financiën", "Finances"),
    ("work_education", "Werk & opleiding", "Work & education"),
    ("time_use", "Tijdsbesteding", "Time use"),
    ("housing", "Huisvesting", "Housing"),
    ("domestic_relations", "Huiselijke relaties", "Domestic relations"),
    ("mental_health", "Geestelijke gezondheid", "Mental health"),
    ("physical_health", "Lichamelijke gezondheid", "Physical health"),
    ("substance_use", "Middelengebruik", "Substance use"),
    ("basic_adl", "Basale ADL", "Basic ADL"),
    ("instrumental_adl", "Instrumentele ADL", "Instrumental ADL"),
    ("social_network", "Sociaal netwerk", "Social network"),
    ("social_participation", "Maatschappelijke participatie", "Social participation"),
    ("justice", "Justitie", "Justice"),
    ("media", "Media", "Media"),
)

#: ZRM score -> (Dutch label, English label).
ZRM_SCORES: dict[int, tuple[str, str]] = {
    1: ("acute problematiek", "acute problems"),
    2: ("niet zelfredzaam", "not self-sufficient"),
    3: ("beperkt zelfredzaam", "barely self-sufficient"),
    4: ("voldoende zelfredzaam", "sufficiently self-sufficient"),
    5: ("volledig zelfredzaam", "fully self-sufficient"),
}

_BY_CODE = {code: (nl, en) for code, nl, en in LIFE_DOMAINS}
_ORDER = {code: i for i, (code, _, _) in enumerate(LIFE_DOMAINS)}


def check_language(language: str) -> str:
    """Return `language` if it is 'nl' or 'en'.

    :raise InvalidFieldError: for any other language.
    """
    if language not in {"nl", "en"}:
        raise InvalidFieldError("language", "language must be 'nl' or 'en'")
    return language


def check_domain(code: str, field: str = "life_domain") -> str:
    """Return `code` if it is a known life domain code.

    :raise InvalidFieldError: naming `field` for an unknown code.
    """
    if code not in _BY_CODE:
        raise InvalidFieldError(field, f"unknown life domain: {code!r}")
    return code


def domain_label(code: str, language: str = "nl") -> str:
    """The label of a life domain in 'nl' or 'en'.

    :raise InvalidFieldError: for an unknown code or language.
    """
    nl, en = _BY_CODE[check_domain(code)]
    return nl if check_language(language) == "nl" else en


def domain_order(code: str) -> int:
    """Position of a life domain in ZRM order (for sorting).

    :raise InvalidFieldError: for an unknown code.
    """
    return _ORDER[check_domain(code)]


def check_zrm_score(score: int, field: str = "zrm_score") -> int:
    """Return `score` if it is a whole ZRM score 1-5.

    :raise InvalidFieldError: naming `field` otherwise.
    """
    if isinstance(score, bool) or not isinstance(score, int) or score not in ZRM_SCORES:
        raise InvalidFieldError(field, f"a ZRM score is a whole number 1-5, not {score!r}")
    return score


def zrm_label(score: int, language: str = "nl") -> str:
    """The label of a ZRM score, e.g. ``zrm_label(3) == 'beperkt zelfredzaam'``.

    :raise InvalidFieldError: for a score outside 1-5 or an unknown language.
    """
    nl, en = ZRM_SCORES[check_zrm_score(score)]
    return nl if check_language(language) == "nl" else en
