"""Dutch text analysis shared by indexing, querying, highlighting and tests.

Tokens are runs of Unicode letters and digits (as tantivy's ``simple`` tokenizer), dropped when
40 bytes or longer (as ``remove_long(40)``), lowercased and folded to ASCII so that "cliënt" and
"client" meet. The stemmed form uses Snowball's Dutch stemmer through PyStemmer: Whoosh's bundled
Dutch stemmer keeps "huisarts" and "huisartsen" apart (DESIGN §8), PyStemmer's does not, and it is
the same algorithm tantivy's ``Filter.stemmer("dutch")`` runs.

Stop words are kept in the index and dropped from queries (bare words only). Keeping them in the
index means phrase positions are the same in every engine, so a phrase matches exactly the same
documents in Whoosh and tantivy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

TOKEN_RE = re.compile(r"[^\W_]+")
MAX_TOKEN_BYTES = 40

#: Dutch stop words (Snowball list, folded). Dropped from queries, never highlighted or suggested.
STOP_WORDS: frozenset[str] = frozenset({
    "de", "en", "van", "ik", "te", "dat", "die", "in", "een", "hij", "het", "niet", "zijn", "is", "was", "op",
    "aan", "met", "als", "voor", "had", "er", "maar", "om", "hem", "dan", "zou", "of", "wat", "mijn", "men",
    "dit", "zo", "door", "over", "ze", "zich", "bij", "ook", "tot", "je", "mij", "uit", "der", "daar", "haar",
    "naar", "heb", "hoe", "heeft", "hebben", "deze", "u", "want", "nog", "zal", "me", "zij", "nu", "ge", "geen",
    "omdat", "iets", "worden", "toch", "al", "waren", "veel", "meer", "doen", "toen", "moet", "ben", "zonder",
    "kan", "hun", "dus", "alles", "onder", "ja", "eens", "hier", "wie", "werd", "altijd", "doch", "wordt",
    "wezen", "kunnen", "ons", "zelf", "tegen", "na", "reeds", "wil", "kon", "niets", "uw", "iemand", "geweest",
    "andere",
})

_SPECIAL_FOLDS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
                                "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ı": "i"})
_stemmer = Stemmer.Stemmer("dutch")


def normalize(text: str) -> str:
    """NFC-normalise so composed and decomposed accents tokenise alike in every engine."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase and strip accents: 'Cliënt' -> 'client', 'financiële' -> 'financiele'."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_SPECIAL_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def stem(folded_word: str) -> str:
    """Dutch Snowball stem of an already folded word: 'woningen' -> 'woon'."""
    return _stemmer.stemWord(folded_word)


def iter_tokens(text: str) -> Iterator[re.Match[str]]:
    """Yield the word matches of ``text`` that the engines index (long tokens dropped)."""
    for match in TOKEN_RE.finditer(text):
        # A token under 10 characters is under 40 bytes in any encoding: skip the encode then.
        if match.end() - match.start() < 10 or len(match.group().encode()) < MAX_TOKEN_BYTES:
            yield match


def words(text: str) -> list[str]:
    """Folded, unstemmed words in order: the vocabulary for prefixes, fuzzy terms and suggestions."""
    return [fold(m.group()) for m in iter_tokens(normalize(text))]


def stems(text: str) -> list[str]:
    """Folded and stemmed words in order: what full-text terms and phrases match."""
    return [stem(w) for w in words(text)]


def levenshtein(a: str, b: str, limit: int = 2) -> int:
    """Edit distance (insert, delete, substitute), or ``limit + 1`` as soon as it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)
