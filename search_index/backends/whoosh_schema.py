"""Whoosh schema and analyzers: Dutch stems for full text, folded words for prefixes and suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import columns, fields, formats
from whoosh.analysis import RegexTokenizer, Token, Tokenizer

from ..analysis import fold, iter_tokens, normalize, stem

SEP = "\x1f"  # separates values of multi-valued keyword fields (forbidden inside values)


class DutchTokenizer(Tokenizer):  # type: ignore[misc]
    """Tokenise exactly as ``search_index.analysis`` does; ``stemmed`` picks stems or folded words.

    One tokenizer (not a Whoosh filter chain) so that indexing, querying, highlighting and the tests
    share a single definition of a word.
    """

    def __init__(self, stemmed: bool = True) -> None:
        self.stemmed = stemmed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchTokenizer) and other.stemmed == self.stemmed

    def __hash__(self) -> int:
        return hash(("DutchTokenizer", self.stemmed))

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, match in enumerate(iter_tokens(normalize(value))):
            word = fold(match.group())
            token.text = stem(word) if self.stemmed else word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class PairTokenizer(Tokenizer):  # type: ignore[misc]
    """Adjacent stem pairs ("woon huur") of the text: a two-word phrase becomes one term lookup.

    No positions are stored (neither here nor for ``content``); a phrase of three or more words is
    an AND of its pairs whose candidates are then checked against their stored text.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairTokenizer)

    def __hash__(self) -> int:
        return hash("PairTokenizer")

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        previous = None
        for pos, match in enumerate(iter_tokens(normalize(value))):
            current = stem(fold(match.group()))
            if previous is not None:
                token.text = pair_term(previous, current)
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = start_pos + pos - 1
                yield token
            previous = current


def pair_term(first: str, second: str) -> str:
    """The ``pairs`` term of two adjacent stems."""
    return first + " " + second


def _pairs_field() -> fields.FieldType:
    """Stem pairs with their frequency (for scoring) but no positions and no length column."""
    return fields.FieldType(formats.Frequency(), PairTokenizer(), scorable=False, stored=False)


def _multi_keyword() -> fields.KEYWORD:
    """Exact, multi-valued keyword field whose values may contain spaces (joined with ``SEP``)."""
    field = fields.KEYWORD(scorable=False)
    field.analyzer = RegexTokenizer(r"[^\x1f]+")
    return field


def _words_field() -> fields.KEYWORD:
    """Folded, unstemmed words for prefix, fuzzy, spelling and suggestions: no scores, no lengths.

    Not scorable, so Whoosh keeps no per-document length column for it: that column lookup per
    posting was the largest cost of indexing.
    """
    field = fields.KEYWORD(scorable=False)
    field.analyzer = DutchTokenizer(stemmed=False)
    return field


#: Fields an index must have to be searched by this code; an index without them is rebuilt.
REQUIRED_FIELDS = ("content", "words", "pairs", "principals", "facets")


def build_schema() -> fields.Schema:
    """All fields; ``facets`` is a column read once per segment for fast facet counts."""
    return fields.Schema(
        id=fields.ID(stored=False, unique=True),
        # No positions: decoding them was most of the cost of reading a posting block (phrases use pairs).
        content=fields.TEXT(analyzer=DutchTokenizer(stemmed=True), phrase=False),
        words=_words_field(),
        pairs=_pairs_field(),
        principals=_multi_keyword(),
        type=fields.ID(),
        client=fields.ID(),
        author=fields.ID(),
        organisation=fields.ID(),
        life_domain=_multi_keyword(),
        created=fields.DATETIME(),
        modified=fields.DATETIME(sortable=True),
        payload=fields.STORED(),
        facets=fields.COLUMN(columns.VarBytesColumn()),
    )
