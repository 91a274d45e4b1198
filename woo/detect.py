"""Detectors: where in a text are names, contact details, BSNs, addresses, amounts and special data?

Each detector returns `Finding`s (start, end, ground, kind) on one text. `find_all` runs them all
and merges overlapping findings into one, keeping the strongest ground, so proposals never overlap.
The detectors are deliberately eager: a reviewer removes a false positive in one click, while a
missed name would be published.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from woo.grounds import BSN, BUSINESS, PRIVACY, SPECIAL, strength


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    ground: str
    #: Which detector: name, email, phone, bsn, address, money, category.
    kind: str


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
#: A Dutch phone number: 0 or +31/0031, then 9 more digits with spaces, dashes or an area code in brackets.
PHONE = re.compile(r"(?<![\w+(])(?:(?:\+31|0031)[\s-]?(?:\(0\)[\s-]?)?\d|\(0\d{1,3}\)[\s-]?\d|0\d)"
                   r"(?:[\s.-]?\d){6,9}(?!\d)")
BSN_CANDIDATE = re.compile(r"(?<![\d.,])\d{3,4}[.\s]?\d{2,3}[.\s]?\d{3}(?!\d|[.,]\d)")
POSTCODE = re.compile(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b(?:[ \t]+[A-Z][A-Za-zÀ-ÿ'-]+(?:[ -][A-Z][A-Za-zÀ-ÿ'-]+)*)?")
_STREET_ENDS = ("straat|laan|weg|plein|singel|gracht|kade|dijk|pad|steeg|hof|markt|dreef|park|plantsoen|wal|"
                "baan|ring|veld|berg|dal|burcht|poort|haven|oord")
STREET = re.compile(rf"\b(?:[A-Z][\wÀ-ÿ'-]*[ -])*[A-Z]?[\wÀ-ÿ'-]*(?:{_STREET_ENDS})\s+\d{{1,5}}(?:\s?[a-zA-Z]\b|-\d+)?",
                    re.UNICODE)
MONEY = re.compile(
    r"(?:€|EUR\b)\s?-?\d{1,3}(?:[.\s]\d{3})*(?:,(?:\d{1,2}|-{1,2}))?(?:\s?(?:miljoen|mln|duizend))?"
    r"|\b\d{1,3}(?:\.\d{3})*(?:,\d{2})?\s?(?:euro|EUR)\b")


def eleven_test(digits: str) -> bool:
    """The BSN 'elfproef': 9 digits, weights 9..2 and -1, the sum divisible by 11 and not zero."""
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def _phone_ok(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    for prefix in ("+31", "0031"):
        if raw.startswith(prefix):
            rest = digits[len(prefix.lstrip("+")):]
            digits = rest if rest.startswith("0") else "0" + rest
    return len(digits) == 10 and digits.startswith("0") and digits[1] != "0"


def find_emails(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), PRIVACY, "email") for m in EMAIL.finditer(text)]


def find_phones(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), PRIVACY, "phone") for m in PHONE.finditer(text) if _phone_ok(m.group())]


def find_bsns(text: str) -> list[Finding]:
    out = []
    for m in BSN_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if eleven_test(digits):
            out.append(Finding(m.start(), m.end(), BSN, "bsn"))
    return out


def find_addresses(text: str) -> list[Finding]:
    """Street and house number, postcode (and town); a street followed by its postcode becomes one finding."""
    raw = sorted([(m.start(), m.end()) for m in STREET.finditer(text)]
                 + [(m.start(), m.end()) for m in POSTCODE.finditer(text)])
    merged: list[list[int]] = []
    for start, end in raw:
        if merged and re.fullmatch(r"[\s,]*", text[merged[-1][1]:start]):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Finding(s, e, PRIVACY, "address") for s, e in merged]


def find_money(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), BUSINESS, "money") for m in MONEY.finditer(text)]


def _phrase(words: Sequence[str]) -> str:
    body = r"\s+".join(re.escape(w) for w in words)
    left = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    right = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return left + body + right


def _present(words: Sequence[str], folded: str) -> bool:
    """Cheap necessary condition before compiling a pattern: every word occurs somewhere in the text."""
    return all(w.casefold() in folded for w in words)


def find_names(text: str, names: Iterable[str]) -> list[Finding]:
    """Each known name (client, staff, partner), whole words, any case, line breaks allowed between words."""
    out = []
    folded = text.casefold()
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        if not _present(name.split(), folded):
            continue
        pattern = re.compile(_phrase(name.split()), re.IGNORECASE)
        out += [Finding(m.start(), m.end(), PRIVACY, "name") for m in pattern.finditer(text)]
    return out


#: Passages shorter than this are not searched as sentences on their own (too many false hits).
MIN_SENTENCE = 25


def find_passages(text: str, passages: Iterable[str]) -> list[Finding]:
    """Text copied from a dossier's special categories (health, addiction, sexual life, justice).

    Whole passages and each of their sentences of at least MIN_SENTENCE characters are looked for,
    whitespace-insensitively, because a document usually quotes only part of a note.
    """
    pieces: set[str] = set()
    for passage in passages:
        words = passage.split()
        if not words:
            continue
        pieces.add(" ".join(words))
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(words)):
            if len(sentence) >= MIN_SENTENCE:
                pieces.add(sentence.strip())
    out = []
    folded = text.casefold()
    for piece in sorted(pieces, key=len, reverse=True):
        if not _present(piece.split(), folded):
            continue
        pattern = re.compile(_phrase(piece.split()), re.IGNORECASE)
        out += [Finding(m.start(), m.end(), SPECIAL, "category") for m in pattern.finditer(text)]
    return out


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """Overlapping or touching findings become one span with the strongest ground (absolute first)."""
    result: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if result and f.start < result[-1].end:
            last = result[-1]
            best = min((last, f), key=lambda x: strength(x.ground))
            result[-1] = Finding(last.start, max(last.end, f.end), best.ground, best.kind)
        else:
            result.append(f)
    return result


def find_all(text: str, *, names: Iterable[str] = (), passages: Iterable[str] = ()) -> list[Finding]:
    """All detectors on one text, merged: non-overlapping findings in text order."""
    found = (find_names(text, names) + find_emails(text) + find_phones(text) + find_bsns(text)
             + find_addresses(text) + find_money(text) + find_passages(text, passages))
    return merge(found)
