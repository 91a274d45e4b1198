"""Parse the user's query into a small engine-neutral tree, which each backend compiles.

Syntax: words (AND by default), "phrases", AND/OR/NOT (also EN/OF/NIET and a leading '-'),
parentheses, prefix ``woon*`` and fuzzy ``word~`` / ``word~2``. Anything that does not parse falls
back to its plain words, AND-ed: user input never makes a search raise.
Prefix and fuzzy terms match unstemmed folded words; terms and phrases match stems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import STOP_WORDS, fold, normalize, stem, words

_LEX = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_OPERATORS = {"AND": "AND", "EN": "AND", "OR": "OR", "OF": "OR", "NOT": "NOT", "NIET": "NOT"}
MAX_FUZZY = 2


@dataclass(frozen=True)
class Term:
    """A bare word; ``word`` is folded, ``stem`` its Dutch stem."""

    word: str
    stem: str


@dataclass(frozen=True)
class Phrase:
    """Consecutive stems, stop words included (they are indexed)."""

    words: tuple[str, ...]
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    """Folded words starting with ``prefix``."""

    prefix: str


@dataclass(frozen=True)
class Fuzzy:
    """Folded words within Levenshtein ``distance`` of ``word``."""

    word: str
    distance: int


@dataclass(frozen=True)
class And:
    """All children match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Every document except those matching ``child``."""

    child: Node


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every (visible) document."""


@dataclass(frozen=True)
class MatchNone:
    """A query with nothing left to match (for example only stop words)."""


Node = Term | Phrase | Prefix | Fuzzy | And | Or | Not | MatchAll | MatchNone


class _SyntaxError(Exception):
    pass


def _word_node(lexeme: str) -> Node | None:
    """Turn one lexed word into a leaf (or a phrase when it holds several words, as 'e-mail')."""
    fuzzy = re.fullmatch(r"(.+?)~([0-9]?)", lexeme)
    is_prefix = lexeme.endswith("*") and not fuzzy
    parts = words(fuzzy.group(1) if fuzzy else lexeme)
    if not parts:
        return None
    if len(parts) > 1:
        return Phrase(tuple(parts), tuple(stem(p) for p in parts))
    word = parts[0]
    if fuzzy:
        distance = min(int(fuzzy.group(2) or 1), MAX_FUZZY)
        return Fuzzy(word, distance)
    if is_prefix:
        return Prefix(word)
    if word in STOP_WORDS:
        return None
    return Term(word, stem(word))


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        lexeme = self.tokens[self.pos]
        self.pos += 1
        return lexeme

    def parse(self) -> Node | None:
        node = self.or_expr()
        if self.peek() is not None:
            raise _SyntaxError("unexpected " + str(self.peek()))
        return node

    def or_expr(self) -> Node | None:
        children = [self.and_expr()]
        while _OPERATORS.get(self.peek() or "") == "OR":
            self.take()
            children.append(self.and_expr())
        kept = tuple(c for c in children if c is not None)
        return None if not kept else kept[0] if len(kept) == 1 else Or(kept)

    def and_expr(self) -> Node | None:
        children = [self.unary()]
        while (lexeme := self.peek()) is not None and lexeme != ")" and _OPERATORS.get(lexeme) != "OR":
            if _OPERATORS.get(lexeme) == "AND":
                self.take()
            children.append(self.unary())
        kept = tuple(c for c in children if c is not None)
        return None if not kept else kept[0] if len(kept) == 1 else And(kept)

    def unary(self) -> Node | None:
        lexeme = self.peek()
        if lexeme is None or _OPERATORS.get(lexeme) in ("AND", "OR"):
            raise _SyntaxError("operator without operand")
        if _OPERATORS.get(lexeme) == "NOT" or (lexeme.startswith("-") and len(lexeme) > 1):
            if lexeme.startswith("-") and _OPERATORS.get(lexeme) != "NOT":
                self.tokens[self.pos] = lexeme[1:]
            else:
                self.take()
            child = self.unary()
            return None if child is None else Not(child)
        return self.primary()

    def primary(self) -> Node | None:
        lexeme = self.take()
        if lexeme == "(":
            node = self.or_expr()
            if self.peek() != ")":
                raise _SyntaxError("missing )")
            self.take()
            return node
        if lexeme == ")":
            raise _SyntaxError("unbalanced )")
        if lexeme.startswith('"'):
            parts = words(lexeme.strip('"'))
            if not parts:
                return None
            if len(parts) == 1:
                return None if parts[0] in STOP_WORDS else Term(parts[0], stem(parts[0]))
            return Phrase(tuple(parts), tuple(stem(p) for p in parts))
        return _word_node(lexeme)


def _fallback(text: str) -> Node:
    terms = tuple(Term(w, stem(w)) for w in words(text) if w not in STOP_WORDS and w.upper() not in _OPERATORS)
    if not terms:
        return MatchNone()
    return terms[0] if len(terms) == 1 else And(terms)


def parse(text: str) -> Node:
    """Parse ``text``; never raises. Empty input gives ``MatchAll``; only stop words ``MatchNone``."""
    text = normalize(text)
    if not text.strip():
        return MatchAll()
    try:
        node = _Parser(_LEX.findall(text)).parse()
    except (_SyntaxError, IndexError):
        return _fallback(text)
    if node is None:
        return MatchNone()
    if isinstance(node, Not):
        return And((MatchAll(), node))
    return node


def leaves(node: Node, *, positive: bool = True) -> list[Term | Phrase | Prefix | Fuzzy]:
    """Leaves a document can match by containing them (those under NOT left out when ``positive``)."""
    if isinstance(node, Term | Phrase | Prefix | Fuzzy):
        return [node]
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in leaves(child, positive=positive)]
    if isinstance(node, Not):
        return [] if positive else leaves(node.child, positive=positive)
    return []


def replace_word(text: str, word: str, replacement: str) -> str:
    """Replace whole words of ``text`` that fold to ``word`` (for "did you mean")."""
    def swap(match: re.Match[str]) -> str:
        return replacement if fold(match.group()) == word else match.group()

    return re.sub(r"[^\W_]+", swap, normalize(text))
