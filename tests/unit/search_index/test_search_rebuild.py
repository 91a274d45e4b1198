"""Rebuild swaps a fresh index in while searches go on; check() finds a damaged index."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from search_index_factories import reopen

from search_index import SearchRequest, open_index

ME = frozenset({"u:1"})


def total(index, q: str) -> int:
    return index.search(SearchRequest(q=q), principals=ME).total


def test_rebuild_while_searching(backend, make_doc):
    backend.upsert([make_doc(n, "oud") for n in range(20)])
    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def searching() -> None:
        while not stop.is_set():
            try:
                seen.add(total(backend, "oud OR nieuw"))
            except BaseException as exc:  # noqa: BLE001 - any failure fails the test below
                errors.append(exc)
                return

    def slow_docs():
        for n in range(30):
            if n == 10:
                time.sleep(0.2)
            yield make_doc(n, "nieuw")

    thread = threading.Thread(target=searching)
    thread.start()
    progress: list[int] = []
    try:
        time.sleep(0.05)
        backend.upsert([make_doc(99, "nieuw voor rebuild")])  # the rebuild source is authoritative
        assert backend.rebuild(slow_docs(), progress=progress.append) == 30
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert seen <= {20, 21, 30}  # old, old + upsert, new: never a half-built index
    assert progress[-1] == 30
    assert total(backend, "oud") == 0
    assert total(backend, "nieuw") == 30
    if backend.name == "postgres":  # tables are swapped by renaming: nothing of the build is left over
        assert build_tables(backend) == []
        return
    generations = {p.name for p in backend.path.iterdir() if p.name.startswith("gen-")}
    assert len(generations) == 2  # the live one and the previous one, kept for searches in flight
    backend.rebuild([make_doc(1, "nieuwer")])
    later = {p.name for p in backend.path.iterdir() if p.name.startswith("gen-")}
    assert len(later) == 2
    assert not generations <= later


def build_tables(index) -> list[str]:
    """Tables of unfinished PostgreSQL rebuilds in the index's schema."""
    with index._pool.connection() as conn:
        return [r[0] for r in conn.execute(r"SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                           r"AND tablename LIKE 'fts\_%\_\_%'")]


def test_writes_during_rebuild_are_kept(backend, make_doc):
    def docs():
        backend.upsert([make_doc(500, "tussendoor")])
        yield make_doc(1, "nieuw")

    backend.rebuild(docs())
    assert total(backend, "tussendoor") == 1
    assert backend.count() == 2


def test_failed_rebuild_keeps_live_index(backend, make_doc):
    backend.upsert([make_doc(1, "oud")])

    def broken():
        yield make_doc(2, "nieuw")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert total(backend, "oud") == 1
    if backend.name == "postgres":
        assert build_tables(backend) == []
    else:
        assert len([p for p in backend.path.iterdir() if p.name.startswith("gen-")]) == 1


def test_second_process_follows_the_swap(backend, make_doc):
    other = reopen(backend)
    try:
        backend.upsert([make_doc(1, "oud")])
        assert total(other, "oud") == 1
        backend.rebuild([make_doc(2, "nieuw")])
        assert total(other, "nieuw") == 1
        assert total(other, "oud") == 0
    finally:
        other.close()


def test_concurrent_writers_and_readers(backend, make_doc):
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(offset, offset + 10):
                backend.upsert([make_doc(n, "parallel")])
                total(backend, "parallel")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert total(backend, "parallel") == 40


def _live_dir(index) -> Path:
    return index.path / (index.path / "CURRENT").read_text().strip()


def test_check_detects_damage_and_rebuild_repairs(backend, make_doc):
    if backend.name == "postgres":
        pytest.skip("damaged index files; PostgreSQL's own case is in test_search_postgres.py")
    docs = [make_doc(n, "woning " * 50 + f"nummer{n}") for n in range(200)]
    backend.rebuild(docs)
    assert backend.check() is True
    files = sorted((p for p in _live_dir(backend).iterdir() if p.is_file() and p.suffix not in (".json", ".lock")
                    and not p.name.endswith("_LOCK") and not p.name.startswith("_") or p.suffix == ".seg"),
                   key=lambda p: p.stat().st_size, reverse=True)
    victim = files[0]
    # Write the damaged copy as a new file: truncating in place would pull pages from under the live
    # handle's memory map (SIGBUS), which is not what a damaged index found at startup looks like.
    damaged = victim.with_name(victim.name + ".damaged")
    damaged.write_bytes(victim.read_bytes()[: victim.stat().st_size // 3])
    damaged.replace(victim)
    assert backend.check() is False
    backend.rebuild(docs)
    assert backend.check() is True
    assert total(backend, "woning") == 200


def test_whoosh_check_reads_each_unchanged_segment_once(tmp_path, make_doc, monkeypatch):
    """A worker starting on a big index must not read every posting again: check() reads a segment
    whose files are unchanged since it was last read back whole only once, a new segment when it
    appears, and a replaced (damaged) one again."""
    from search_index.backends import whoosh_backend

    index = open_index("whoosh", tmp_path / "ix")
    try:
        index.rebuild([make_doc(n, "woning " * 20 + f"nummer{n}") for n in range(300)])
        read = []
        real = whoosh_backend._read_segment
        monkeypatch.setattr(whoosh_backend, "_read_segment", lambda reader: read.append(1) or real(reader))
        assert index.check() is True
        assert len(read) == 1
        assert index.check() is True
        assert len(read) == 1  # unchanged: not read again
        index.upsert([make_doc(1000, "nieuw")])
        assert index.check() is True
        assert len(read) == 2  # only the new segment
        big = max(_live_dir(index).glob("*.seg"), key=lambda p: p.stat().st_size)
        damaged = big.with_name(big.name + ".damaged")
        damaged.write_bytes(big.read_bytes()[: big.stat().st_size // 3])
        damaged.replace(big)
        assert index.check() is False
    finally:
        index.close()


def test_check_detects_missing_segment(backend, make_doc):
    if backend.name == "postgres":
        pytest.skip("index files; PostgreSQL's own case is in test_search_postgres.py")
    backend.upsert([make_doc(n, "woning") for n in range(10)])
    live = _live_dir(backend)
    biggest = max((p for p in live.iterdir() if p.is_file() and "LOCK" not in p.name and p.suffix != ".lock"
                   and p.name != "meta.json" and not p.name.startswith("_MAIN") and not p.name.endswith(".toc")),
                  key=lambda p: p.stat().st_size)
    biggest.unlink()
    assert backend.check() is False


def test_whoosh_index_of_an_older_schema_is_searchable_then_rebuilt(tmp_path, make_doc):
    """An index written before the ``pairs`` field existed still answers phrases (from positions), and
    check() reports it, so the portal rebuilds it from the database as it does a damaged index."""
    from whoosh import index as windex

    from search_index.backends.whoosh_backend import doc_fields
    from search_index.backends.whoosh_schema import build_schema

    root = tmp_path / "ix"
    open_index("whoosh", root).close()
    live = root / (root / "CURRENT").read_text(encoding="ascii").strip()
    for path in live.iterdir():
        path.unlink()
    old_schema = build_schema()
    old_schema.remove("pairs")
    ix = windex.create_in(str(live), old_schema)
    writer = ix.writer()
    for n, text in enumerate(["huur van de woning", "woning huur", "de woning van huur"]):
        writer.add_document(**{k: v for k, v in doc_fields(make_doc(n, text)).items() if k != "pairs"})
    writer.commit()
    ix.close()

    index = open_index("whoosh", root)
    try:
        assert total(index, '"woning huur"') == 1
        assert total(index, '"huur van de woning"') == 1
        assert index.check() is False
        index.rebuild(make_doc(n, text) for n, text in enumerate(["huur van de woning", "woning huur"]))
        assert index.check() is True
        assert (total(index, '"woning huur"'), total(index, '"huur van de woning"')) == (1, 1)
    finally:
        index.close()


def test_whoosh_commits_merge_small_segments_but_never_big_ones(tmp_path, make_doc, monkeypatch):
    """One-note commits must not pile up segments (each makes searches slower) nor rewrite a big segment
    (seconds at 100k notes, inside a request): small ones merge in tiers, big ones wait for optimize()."""
    from search_index.backends import whoosh_backend

    monkeypatch.setattr(whoosh_backend, "MAX_COMMIT_MERGE_DOCS", 25)
    index = open_index("whoosh", tmp_path / "ix")
    try:
        index.rebuild(make_doc(n, "woning") for n in range(30))
        with index._using() as handle:
            (big,) = [s.segment_id() for s in handle.ix._segments()]
        for n in range(30, 70):
            index.upsert([make_doc(n, "woning werk")])
        index.delete(["note:31"])
        with index._using() as handle:
            segments = [s.segment_id() for s in handle.ix._segments()]
        assert big in segments
        assert len(segments) < 12
        assert (total(index, "woning"), total(index, "werk")) == (69, 39)
    finally:
        index.close()
