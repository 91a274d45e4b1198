"""The access invariant as a property (DESIGN §5): a document shows up in hits, totals, facets,
suggestions or did-you-mean if and only if its principals meet the caller's.

Expected results come from a naive matcher that evaluates the parsed query over each visible
document's analysed words, independently of both engines.
"""

from __future__ import annotations

import itertools
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_index_factories import ENGINES, build_doc, open_engine

from search_index import SearchRequest
from search_index.analysis import STOP_WORDS, levenshtein, stems, words
from search_index.query import And, Fuzzy, MatchAll, MatchNone, Node, Not, Or, Phrase, Prefix, Term, parse

VOCAB = ["woning", "woningen", "huisarts", "huisartsen", "cliënt", "client", "schulden", "uitkering", "zorg",
         "gesprek", "de", "en", "werk", "wonen", "buurt", "financiële", "budget", "budgetten", "hulp"]
PRINCIPALS = ["u:1", "u:2", "u:3", "c:assigned:1", "c:consent:1:health", "o:7"]
AUTHORS = ["Jan", "Piet", "Els"]
COUNTER = itertools.count()


def matches(node: Node, doc_words: list[str], doc_stems: list[str]) -> bool:
    """Naive evaluation of the query tree over one document's words."""
    if isinstance(node, MatchAll):
        return True
    if isinstance(node, MatchNone):
        return False
    if isinstance(node, Term):
        return node.stem in doc_stems
    if isinstance(node, Phrase):
        n = len(node.stems)
        return any(tuple(doc_stems[i:i + n]) == node.stems for i in range(len(doc_stems) - n + 1))
    if isinstance(node, Prefix):
        return any(w.startswith(node.prefix) for w in doc_words)
    if isinstance(node, Fuzzy):
        return any(levenshtein(w, node.word, node.distance) <= node.distance for w in doc_words)
    if isinstance(node, And):
        return all(matches(c, doc_words, doc_stems) for c in node.children)
    if isinstance(node, Or):
        return any(matches(c, doc_words, doc_stems) for c in node.children)
    assert isinstance(node, Not)
    return not matches(node.child, doc_words, doc_stems)


texts = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=8).map(" ".join)
docs_strategy = st.lists(st.tuples(texts, st.frozensets(st.sampled_from(PRINCIPALS), max_size=3),
                                   st.sampled_from(AUTHORS)), min_size=1, max_size=12)
query_word = st.sampled_from([*VOCAB, "wonign", "huisarst", "zorgg"])
queries = st.one_of(
    query_word, st.lists(query_word, min_size=2, max_size=3).map(" ".join),
    st.tuples(query_word, query_word).map(lambda t: f"{t[0]} OR {t[1]}"),
    st.tuples(query_word, query_word).map(lambda t: f"{t[0]} NOT {t[1]}"),
    st.tuples(query_word, query_word).map(lambda t: f'"{t[0]} {t[1]}"'),
    query_word.map(lambda w: w[:3] + "*"), query_word.map(lambda w: w + "~"), st.just(""))
users = st.frozensets(st.sampled_from(PRINCIPALS), max_size=4)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=docs_strategy, user=users, q=queries, prefix=st.sampled_from(["wo", "hu", "sc", "bu", "cl", "zo"]))
def test_results_equal_the_principal_intersection(docs, user, q, prefix):
    indexed = [build_doc(n, text, principals=pr, author=author) for n, (text, pr, author) in enumerate(docs)]
    visible = [d for d in indexed if d.principals & user]
    node = parse(q)
    expected = {d.id for d in visible if matches(node, words(d.text + " " + d.title), stems(d.title + " " + d.text))}
    expected_authors = Counter(d.author for d in visible if d.id in expected)
    vocabulary = Counter(w for d in visible for w in set(words(d.title + " " + d.text)))
    expected_suggestions = sorted(((w, n) for w, n in vocabulary.items() if w.startswith(prefix)
                                   and w not in STOP_WORDS), key=lambda item: (-item[1], item[0]))[:8]
    for engine in ENGINES:
        with tempfile.TemporaryDirectory() as tmp, open_engine(engine, Path(tmp)) as index:
            index.upsert(indexed)
            page = index.search(SearchRequest(q=q, per_page=100), principals=user)
            assert {h.id for h in page.hits} == expected, engine
            assert page.total == len(expected), engine
            assert dict(page.facets["author"]) == dict(expected_authors), engine
            assert sum(n for _, n in page.facets["type"]) == len(expected), engine
            assert index.suggest(prefix, principals=user) == [w for w, _ in expected_suggestions], engine
            if page.did_you_mean is not None:
                fixed = parse(page.did_you_mean)
                assert any(matches(fixed, words(d.title + " " + d.text), stems(d.title + " " + d.text))
                           for d in visible), engine
                assert all(w in vocabulary or w in words(q) for w in words(page.did_you_mean)), engine
