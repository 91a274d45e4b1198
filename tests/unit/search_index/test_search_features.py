"""The shared suite: every feature, run against each engine through the ``backend`` fixture."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from search_index import SearchRequest
from search_index.errors import (
    InvalidSearchRequestError,
    MissingPrincipalsError,
    UnknownFilterValueError,
    UnknownSortError,
)

ME = frozenset({"u:1"})


def ids(page):
    return {hit.id for hit in page.hits}


def search(backend, q="", principals=ME, **kw):
    return backend.search(SearchRequest(q=q, **kw), principals=principals)


@pytest.mark.parametrize(("query", "text"), [
    ("woning", "Er zijn nieuwe woningen gebouwd."),
    ("woningen", "Zij zoekt een woning."),
    ("huisarts", "Gesprek met de huisartsen."),
    ("huisartsen", "De huisarts belde."),
    ("client", "De cliënt kwam op tijd."),
    ("cliënt", "De client kwam op tijd."),
    ("financiele", "Financiële problemen."),
    ("financiële", "financiele problemen"),
])
def test_dutch_stemming_and_folding(backend, make_doc, query, text):
    backend.upsert([make_doc(1, text), make_doc(2, "iets anders")])
    assert ids(search(backend, query)) == {"note:1"}


def test_words_are_anded_and_stop_words_ignored(backend, make_doc):
    backend.upsert([make_doc(1, "woning en schulden"), make_doc(2, "woning"), make_doc(3, "schulden")])
    assert ids(search(backend, "woning schulden")) == {"note:1"}
    assert ids(search(backend, "de woning")) == {"note:1", "note:2"}
    assert search(backend, "de het een").total == 0


def test_boolean_operators(backend, make_doc):
    backend.upsert([make_doc(1, "woning schulden"), make_doc(2, "woning"), make_doc(3, "schulden werk")])
    assert ids(search(backend, "woning OR werk")) == {"note:1", "note:2", "note:3"}
    assert ids(search(backend, "woning NOT schulden")) == {"note:2"}
    assert ids(search(backend, "woning -schulden")) == {"note:2"}
    assert ids(search(backend, "(woning OR werk) AND schulden")) == {"note:1", "note:3"}
    assert ids(search(backend, "NOT woning")) == {"note:3"}


def test_phrase_prefix_and_fuzzy(backend, make_doc):
    backend.upsert([make_doc(1, "zorg voor de cliënt thuis"), make_doc(2, "de cliënt vraagt zorg"),
                    make_doc(3, "woonruimte gezocht")])
    assert ids(search(backend, '"zorg voor de client"')) == {"note:1"}
    assert ids(search(backend, '"client zorg"')) == set()
    assert ids(search(backend, "woon*")) == {"note:3"}
    assert ids(search(backend, "woonruimt~")) == {"note:3"}
    assert ids(search(backend, "wonruimt~2")) == {"note:3"}
    assert ids(search(backend, "wonruimt~1")) == set()


def test_long_phrase_needs_its_words_in_a_row(backend, make_doc):
    """Every adjacent pair of the phrase occurs, but not the whole phrase in a row: no match."""
    backend.upsert([make_doc(1, "huur van de woning"), make_doc(2, "huur van de buren; de woning is klein"),
                    make_doc(3, "de woning van de huur van de woning"), make_doc(4, "woningen huren van de woning")])
    assert ids(search(backend, '"huur van de woning"')) == {"note:1", "note:3", "note:4"}
    assert ids(search(backend, '"de huur van de woning"')) == {"note:3"}
    assert ids(search(backend, '"woning van de huur"')) == {"note:3"}
    assert ids(search(backend, '"woning huur"')) == {"note:4"}  # stems: woningen huren


@pytest.mark.parametrize("query", ['"unclosed', "(((", "AND", "woning AND", "OR OR", ")", "~", "*", "NOT", "a~9"])
def test_syntax_errors_never_raise(backend, make_doc, query):
    backend.upsert([make_doc(1, "woning")])
    page = search(backend, query)
    assert page.total >= 0


def test_empty_principals_see_nothing(backend, make_doc):
    backend.upsert([make_doc(1, "woning", principals={"u:1"})])
    page = search(backend, "woning", principals=frozenset())
    assert (page.total, page.hits, page.did_you_mean) == (0, [], None)
    assert all(values == [] for values in page.facets.values())
    assert backend.suggest("wo", principals=frozenset()) == []


def test_principals_is_required_and_typed(backend):
    with pytest.raises(TypeError):
        backend.search(SearchRequest(q="x"))  # type: ignore[call-arg]
    with pytest.raises(MissingPrincipalsError):
        backend.search(SearchRequest(q="x"), principals=["u:1"])  # type: ignore[arg-type]


def test_hidden_documents_are_not_counted(backend, make_doc):
    backend.upsert([make_doc(1, "woning", principals={"u:1"}),
                    *(make_doc(n, "woning", principals={"u:2"}, author="Geheim") for n in range(2, 12))])
    page = search(backend, "woning")
    assert (page.total, ids(page), page.pages) == (1, {"note:1"}, 1)
    assert dict(page.facets["author"]) == {"Jan de Vries": 1}
    assert backend.suggest("won", principals=ME) == ["woning"]


def test_pagination_and_totals(backend, make_doc):
    backend.upsert([make_doc(n, "woning") for n in range(1, 26)])
    first, third = search(backend, "woning", per_page=10), search(backend, "woning", page=3, per_page=10)
    assert (first.total, first.pages, len(first.hits), len(third.hits)) == (25, 3, 10, 5)
    beyond = search(backend, "woning", page=9, per_page=10)
    assert (beyond.hits, beyond.total) == ([], 25)
    pages = [search(backend, "woning", page=p, per_page=10, sort="date") for p in (1, 2, 3)]
    assert len({hit.id for page in pages for hit in page.hits}) == 25


def test_sort_by_date_newest_first(backend, make_doc):
    backend.upsert([make_doc(n, "woning", modified_at=datetime(2025, 1, n, tzinfo=UTC)) for n in (3, 1, 2)])
    assert [h.id for h in search(backend, "woning", sort="date").hits] == ["note:3", "note:2", "note:1"]


def test_relevance_ranks_more_matches_higher(backend, make_doc):
    backend.upsert([make_doc(1, "woning " + "tekst " * 40), make_doc(2, "woning woning woning schuld")])
    hits = search(backend, "woning").hits
    assert hits[0].id == "note:2"
    assert hits[0].score >= hits[1].score


def test_filters_and_facets(backend, make_doc):
    backend.upsert([
        make_doc(1, "woning", type="case_note", client="A", author="Jan", organisation="Noord",
                 life_domains=("huisvesting", "financiën"), created_at=datetime(2024, 5, 1, tzinfo=UTC)),
        make_doc(2, "woning", type="plan", client="B", author="Piet", organisation="Zuid",
                 life_domains=("werk",), created_at=datetime(2025, 5, 1, tzinfo=UTC)),
        make_doc(3, "woning", type="plan", client=None, author="Piet", organisation="Zuid",
                 life_domains=(), created_at=datetime(2025, 6, 1, tzinfo=UTC)),
        make_doc(4, "schuld", type="minutes", client="C", author="Kees", organisation="West"),
    ])
    page = search(backend, "woning")
    assert page.facets == {
        "type": [("plan", 2), ("case_note", 1)], "client": [("A", 1), ("B", 1)],
        "author": [("Piet", 2), ("Jan", 1)], "organisation": [("Zuid", 2), ("Noord", 1)],
        "life_domain": [("financiën", 1), ("huisvesting", 1), ("werk", 1)], "year": [("2025", 2), ("2024", 1)]}
    assert ids(search(backend, "woning", types=("plan",))) == {"note:2", "note:3"}
    assert ids(search(backend, "woning", types=("plan", "case_note"), authors=("Jan",))) == {"note:1"}
    assert ids(search(backend, "woning", clients=("B",))) == {"note:2"}
    assert ids(search(backend, "woning", organisations=("Noord",))) == {"note:1"}
    assert ids(search(backend, "woning", life_domains=("werk", "financiën"))) == {"note:1", "note:2"}
    assert ids(search(backend, "woning", year=2025)) == {"note:2", "note:3"}
    assert ids(search(backend, "", date_from=date(2025, 5, 1), date_to=date(2025, 5, 31))) == {"note:2"}
    assert ids(search(backend, "", date_to=date(2024, 5, 1))) == {"note:1"}


def test_snippets_are_escaped_with_marks_only(backend, make_doc):
    text = 'Let op: <script>alert("x")</script> & de woningen van \'t huis. ' + "vulling " * 100 + "woning einde"
    backend.upsert([make_doc(1, text)])
    html = search(backend, "woning").hits[0].snippet_html
    assert "<mark>woningen</mark>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&quot;x&quot;" in html
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped
    assert ">" not in stripped
    assert len(stripped) < 300


def test_did_you_mean_only_from_visible_words(backend, make_doc):
    backend.upsert([make_doc(1, "woningen", principals={"u:1"}), make_doc(2, "uitkering", principals={"u:2"})])
    assert search(backend, "woningn").did_you_mean == "woningen"
    assert search(backend, "uitkerin").did_you_mean is None
    assert search(backend, "uitkerin", principals=frozenset({"u:2"})).did_you_mean == "uitkering"
    assert search(backend, "woningen").did_you_mean is None


def test_did_you_mean_needs_a_visible_hit_with_filters(backend, make_doc):
    backend.upsert([make_doc(1, "woningen", type="plan")])
    assert search(backend, "woningn", types=("plan",)).did_you_mean == "woningen"
    assert search(backend, "woningn", types=("minutes",)).did_you_mean is None


def test_suggest_completes_last_word_from_visible_docs(backend, make_doc):
    backend.upsert([make_doc(1, "woning woonruimte", principals={"u:1"}),
                    make_doc(2, "woning", principals={"u:1"}), make_doc(3, "wolken", principals={"u:2"})])
    assert backend.suggest("wo", principals=ME) == ["woning", "woonruimte"]
    assert backend.suggest("schuld wo", principals=ME, limit=1) == ["schuld woning"]
    assert backend.suggest("w", principals=ME) == []
    assert backend.suggest("wol", principals=ME) == []
    assert backend.suggest("wol", principals=frozenset({"u:2"})) == ["wolken"]


def test_upsert_replaces_and_delete_removes(backend, make_doc):
    backend.upsert([make_doc(1, "woning")])
    backend.upsert([make_doc(1, "schuld", principals={"u:9"})])
    assert search(backend, "woning").total == 0
    assert search(backend, "schuld").total == 0
    assert search(backend, "schuld", principals=frozenset({"u:9"})).total == 1
    backend.delete(["note:1", "note:404"])
    assert backend.count() == 0


def test_clear_and_count(backend, make_doc):
    backend.upsert([make_doc(n, "woning") for n in range(5)])
    assert backend.count() == 5
    backend.clear()
    assert backend.count() == 0
    assert search(backend, "woning").total == 0


def test_attachment_text_is_searchable(backend, make_doc):
    backend.upsert([make_doc(1, "brief", attachments_text="bijlage over schuldhulpverlening")])
    assert ids(search(backend, "schuldhulpverlening")) == {"note:1"}


def test_long_query_is_capped(backend, make_doc):
    backend.upsert([make_doc(1, "woning")])
    assert len(SearchRequest(q="woning " * 500).q) <= 500
    assert search(backend, "woning " * 500).total == 1


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"sort": "title"}, UnknownSortError),
    ({"types": ("bogus",)}, UnknownFilterValueError),
    ({"authors": ("",)}, UnknownFilterValueError),
    ({"clients": "A"}, UnknownFilterValueError),
    ({"year": 12}, UnknownFilterValueError),
    ({"page": 0}, InvalidSearchRequestError),
    ({"per_page": 1000}, InvalidSearchRequestError),
    ({"date_from": date(2025, 2, 1), "date_to": date(2025, 1, 1)}, InvalidSearchRequestError),
])
def test_request_validation(kwargs, error):
    with pytest.raises(error):
        SearchRequest(q="x", **kwargs)


def test_index_survives_reopen(backend, make_doc):
    from search_index_factories import reopen

    backend.upsert([make_doc(1, "woning")])
    backend.close()
    reopened = reopen(backend)
    try:
        assert ids(reopened.search(SearchRequest(q="woningen"), principals=ME)) == {"note:1"}
    finally:
        reopened.close()


def test_revoking_takes_effect_on_next_search(backend, make_doc):
    backend.upsert([make_doc(n, "woning", principals={"u:1", "u:2"}) for n in range(1, 4)])
    assert search(backend, "woning").total == 3  # a searcher now exists and must not go stale
    backend.upsert([make_doc(1, "woning", principals={"u:2"})])
    backend.delete(["note:2"])
    page = search(backend, "woning")
    assert (page.total, ids(page)) == (1, {"note:3"})
    assert dict(page.facets["type"]) == {"case_note": 1}
    backend.upsert([make_doc(3, "woning", principals={"u:2"})])
    assert search(backend, "woning").total == 0
    assert backend.suggest("wo", principals=ME) == []


def test_expunge_removes_documents_and_their_words(backend, make_doc):
    backend.upsert([make_doc(1, "geheimwoord woning"), make_doc(2, "woning")])
    backend.expunge(["note:1"], lambda: [make_doc(2, "woning")])
    assert (backend.count(), search(backend, "woning").total, search(backend, "geheimwoord").total) == (1, 1, 0)
    assert backend.suggest("geh", principals=ME) == []
    assert search(backend, "geheimwoor~").total == 0


def test_optimize_keeps_results(backend, make_doc):
    for n in range(5):
        backend.upsert([make_doc(n, "woning")])
    backend.optimize()
    assert search(backend, "woning").total == 5


def test_open_index_names(tmp_path):
    from search_index import open_index
    from search_index.errors import MissingDatabaseUrlError, UnknownBackendError

    with pytest.raises(MissingDatabaseUrlError):
        open_index("postgres", tmp_path)
    with pytest.raises(MissingDatabaseUrlError):
        open_index("postgres", tmp_path, database_url="sqlite:///portal.sqlite3")
    with pytest.raises(UnknownBackendError):
        open_index("elastic", tmp_path)


def test_writer_lock_times_out(tmp_path, make_doc):
    from search_index import open_index
    from search_index.errors import IndexLockedError

    index = open_index("whoosh", tmp_path / "ix", write_timeout=0.2)
    held = index._handle.ix.writer()  # another writer (as from a second process) holds the lock
    try:
        with pytest.raises(IndexLockedError):
            index.upsert([make_doc(1, "woning")])
    finally:
        held.cancel()
        index.close()


def test_whoosh_fast_path_agrees_with_whoosh_query_tree(tmp_path, make_doc, monkeypatch):
    """The Whoosh backend evaluates queries itself within the visible set; over several segments, with
    deletions, filters, NOT, OR, phrases, prefix and fuzzy words it must find what Whoosh's own query
    tree finds (same totals, same hits, same facets, same date order)."""
    from search_index import open_index
    from search_index.backends import whoosh_backend

    index = open_index("whoosh", tmp_path / "ix")
    texts = ["woning schuld huur", "woning werk", "huur van de woning", "schuld werk woning huur", "werk"]
    for n in range(14):  # one commit each: many segments, so segment offsets matter
        index.upsert([make_doc(n, texts[n % len(texts)], principals={"u:1"} if n % 3 else {"u:2"},
                               type="plan" if n % 4 else "minutes",
                               modified_at=datetime(2025, 1, 1 + n, tzinfo=UTC))])
    index.delete(["note:4", "note:7"])
    requests = [SearchRequest(q=q, per_page=50, sort=s, types=t) for q in
                ("woning", "woning NOT schuld", '"woning werk"', '"de woning"', '"huur van de woning"',
                 "schuld OR werk", "", "-werk", "won*", "wonnig~", "(huur OR werk) woning", "woning \"werk huur\"")
                for s in ("relevance", "date") for t in ((), ("plan",))]
    try:
        answers = {}
        for fast in (True, False):
            monkeypatch.setattr(whoosh_backend, "FAST_PATH", fast)
            answers[fast] = [(page.total, sorted(ids(page)) if r.sort == "relevance" else ids(page), page.facets)
                             for r in requests for page in [index.search(r, principals=ME)]]
        assert answers[True] == answers[False]
        assert sum(1 for total, _, _ in answers[True] if total) > len(requests) // 2
    finally:
        index.close()


def test_whoosh_skipped_blocks_and_cached_postings_agree_with_whoosh_query_tree(tmp_path, make_doc, monkeypatch):
    """In one big segment, a user who sees a few documents gets posting blocks without one skipped
    undecoded; a user who sees most gets whole posting lists decoded and cached. Both must answer
    exactly as Whoosh's own query tree does: first time, from the cache, and after deletions."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from search_index import open_index
    from search_index.backends import whoosh_backend

    few, many = frozenset({"u:1"}), frozenset({"u:2"})
    texts = ["woning huur werk", "woning werk schuld", "huur van de woning", "woning schuld"]
    index = open_index("whoosh", tmp_path / "ix")
    index.upsert([make_doc(n, texts[n % 4], principals=few if n < 8 or n == 650 else many,
                           client=f"Cliënt {n % 7}",
                           modified_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=(n * 37) % 700))
                  for n in range(700)])  # one commit: one segment of 700 documents, blocks of 128 postings
    requests = [SearchRequest(q=q, per_page=20, page=page, sort=sort) for q in
                ("woning", "woning werk", '"huur van"', "won*", "woning NOT werk", "schuld OR huur")
                for sort in ("relevance", "date") for page in (1, 2)]
    decoded = []
    read_data = W3LeafMatcher._read_data
    monkeypatch.setattr(W3LeafMatcher, "_read_data", lambda self: decoded.append(1) or read_data(self))

    def answers(principals):
        return [(page.total, sorted(ids(page)) if r.sort == "relevance" else ids(page), page.facets)
                for r in requests for page in [index.search(r, principals=principals)]]

    try:
        assert index.search(SearchRequest(q="woning"), principals=few).total == 9
        assert 0 < len(decoded) < 700 // 128  # "woning" has 6 blocks, the few-documents user read 2
        for principals in (few, many):
            monkeypatch.setattr(whoosh_backend, "FAST_PATH", False)
            expected = answers(principals)
            monkeypatch.setattr(whoosh_backend, "FAST_PATH", True)
            assert answers(principals) == expected
            decoded.clear()
            assert answers(principals) == expected  # again: from the posting cache for ``many``
            if principals == many:
                assert decoded == []
        assert expected[0][0] == 700 - 9
        index.delete(["note:3", "note:200", "note:650"])
        for principals in (few, many):
            monkeypatch.setattr(whoosh_backend, "FAST_PATH", False)
            expected = answers(principals)
            monkeypatch.setattr(whoosh_backend, "FAST_PATH", True)
            assert answers(principals) == expected
        assert index.search(SearchRequest(q="woning"), principals=few).total == 7
    finally:
        index.close()


def test_whoosh_search_does_not_reread_the_table_of_contents(tmp_path, make_doc, monkeypatch):
    """A search of an unchanged Whoosh index must not read its TOC file again: a concurrent commit may
    have removed that file in between (test_concurrent_writers_and_readers failed now and then with
    FileNotFoundError on _MAIN_n.toc, from ``self.ix.schema`` re-reading it on every search)."""
    from whoosh import index as windex

    from search_index import open_index

    index = open_index("whoosh", tmp_path / "ix")
    try:
        index.upsert([make_doc(1, "woning")])
        assert index.search(SearchRequest(q="woning"), principals=ME).total == 1

        def gone(*args, **kwargs):
            raise FileNotFoundError("_MAIN_1.toc removed by a concurrent commit")

        monkeypatch.setattr(windex.TOC, "read", gone)
        assert index.search(SearchRequest(q="woning"), principals=ME).total == 1
        assert index.suggest("won", principals=ME) == ["woning"]
    finally:
        monkeypatch.undo()
        index.close()
