"""Search benchmark: index throughput, size, freshness and query latency for each backend.

Usage: python bench/search.py [--sizes 10000 100000] [--backends whoosh tantivy postgres] [--queries 40]
                              [--database-url postgresql://postgres@127.0.0.1:5432/test]
                              [--keep DIR] [--kinds "one word" phrase] [--build-only] [--cold]
The postgres backend runs in a schema of its own in that database, dropped afterwards.
``--keep DIR`` builds each embedded index once under DIR and reuses it on later runs (a 100k Whoosh
build takes minutes); delete DIR to rebuild, for example after a schema change.
Builds synthetic Dutch case notes, then measures through the package's own API (security filter,
facets and highlighted top 10 included) for a user with 3 principals and one with ~200.
``--cold`` turns off the Whoosh backend's cache of decoded posting lists, so every query decodes the
posting blocks of its words: the first search for a word after a worker starts or a segment merges.
Prints figures only; speed is never asserted (STYLE: no timing assertions in tests). Besides wall
time it prints the process CPU time per query, which a machine shared with other work inflates less.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search_index import IndexDoc, SearchRequest, open_index  # noqa: E402

_WORDS_TEXT = """
cliënt client gesprek huisbezoek woning woningen huisarts huisartsen schulden schuldhulp uitkering budget
budgetbeheer bewindvoering inkomen werk werkloos dagbesteding vrijwilligerswerk opleiding school kinderen
gezin partner moeder vader zoon dochter familie netwerk buurt wijkteam wijkagent politie justitie reclassering
verslaving alcohol drugs middelengebruik psychiatrie depressie angst stress slaap medicatie apotheek ziekenhuis
opname ontslag crisis veiligheid huiselijk geweld melding zorgen signalen afspraak afspraken plan doelen
evaluatie voortgang overleg casusoverleg regie casemanager hulpverlener begeleiding ondersteuning indicatie
beschikking wmo jeugdwet participatiewet toeslagen huurachterstand energierekening incasso deurwaarder
beslag schuldeiser aflossing regeling sanering huisvesting dakloos opvang nachtopvang urgentie corporatie
verhuurder huur reparatie vocht schimmel hygiëne voeding boodschappen vervoer mobiliteit rolstoel thuiszorg
mantelzorg mantelzorger respijt eenzaamheid contact bezoek telefoon bericht brief formulier toestemming
handtekening privacy gegevens dossier rapportage verslag notitie financiële lichamelijke geestelijke gezondheid
zelfredzaamheid zrm score domein stabiel verbeterd verslechterd afgesproken gebeld gemaild langsgegaan
rustig onrustig boos verdrietig blij gemotiveerd afwachtend meewerkend weigerachtig positief negatief
"""
_FILLER_TEXT = "de het een en van in op met voor is was heeft zijn wordt bij naar over om niet ook nog"
WORDS = _WORDS_TEXT.split()
FILLER = _FILLER_TEXT.split()
TYPES = ["case_note"] * 8 + ["plan", "minutes"]
DOMAINS = ["huisvesting", "financiën", "werk", "gezondheid", "netwerk", "justitie", "verslaving"]
CATEGORIES = ["health", "housing", "finances", "addiction"]


def note_text(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) if rng.random() < 0.65 else rng.choice(FILLER) for _ in range(n_words))


def make_note(i: int, rng: random.Random, n_clients: int, now: datetime) -> IndexDoc:
    client = rng.randrange(n_clients)
    author = rng.randrange(300)
    created = now - timedelta(days=rng.randrange(1500), minutes=rng.randrange(1440))
    return IndexDoc(
        id=f"note:{i}", type=rng.choice(TYPES), title=note_text(rng, 4).capitalize(),
        text=note_text(rng, rng.randrange(40, 160)), client=f"Cliënt {client:05d}", client_id=client,
        author=f"Medewerker {author}", organisation=f"Organisatie {author % 12}",
        life_domains=tuple(rng.sample(DOMAINS, rng.randrange(1, 3))), data_category=rng.choice(CATEGORIES),
        state="published", confidentiality="intern", created_at=created, modified_at=created,
        principals=frozenset({f"u:{author}", f"c:assigned:{client}",
                              f"c:consent:{client}:{rng.choice(CATEGORIES)}"}),
        url=f"/notes/{i}")


def notes(count: int, seed: int = 7) -> Iterator[IndexDoc]:
    rng = random.Random(seed)
    n_clients = max(50, count // 50)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(count):
        yield make_note(i, rng, n_clients, now)


def disk_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pg_schema(database_url: str) -> tuple[str, str]:
    """A fresh schema for one run, and the URL whose search_path points at it."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema, f"{database_url}?options={quote(f'-csearch_path={schema},public')}"


def pg_size(database_url: str, schema: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                           "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'", (schema,)).fetchone()
    return int(row[0] or 0)


def pg_drop(database_url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def query_sets(rng: random.Random, sample_texts: list[str], n: int) -> dict[str, list[str]]:
    def phrase() -> str:
        words = [w for w in rng.choice(sample_texts).split() if w in WORDS]
        start = rng.randrange(max(1, len(words) - 1))
        return '"' + " ".join(words[start:start + 2]) + '"'

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word))
        return word[:i] + rng.choice("aeioux") + word[i + 1:] + "~"

    return {
        "one word": [rng.choice(WORDS) for _ in range(n)],
        "two words": [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(n)],
        "phrase": [phrase() for _ in range(n)],
        "fuzzy": [typo(rng.choice([w for w in WORDS if len(w) > 5])) for _ in range(n)],
    }


def bench_backend(backend: str, size: int, n_queries: int, database_url: str = "", keep: Path | None = None,
                  kinds: list[str] | None = None) -> None:
    if backend == "postgres":
        keep = None  # a schema of its own, made and dropped per run
    root = keep / f"{backend}-{size}" if keep else Path(tempfile.mkdtemp(prefix=f"bench-{backend}-"))
    reuse = keep is not None and (root / "CURRENT").is_file()
    schema, url = pg_schema(database_url) if backend == "postgres" else ("", "")
    try:
        index = open_index(backend, root, database_url=url or None)
        print(f"\n== {backend}, {size:,} notes ==")
        if reuse and index.count() >= size:
            print(f"index: reused {root}, size on disk {disk_size(root) / 1e6:.1f} MB")
        else:
            started = time.perf_counter()
            index.rebuild(notes(size))
            elapsed = time.perf_counter() - started
            size_bytes = pg_size(database_url, schema) if schema else disk_size(root)
            print(f"index: {size / elapsed:,.0f} docs/s ({elapsed:.1f} s), size on disk {size_bytes / 1e6:.1f} MB")

        rng = random.Random(11)
        n_clients = max(50, size // 50)
        few = frozenset({"u:5", "c:assigned:17", "c:consent:42:health"})
        many = frozenset({f"c:assigned:{rng.randrange(n_clients)}" for _ in range(200)})
        fresh, fresh_cpu = [], []
        for k in range(10):
            doc = make_note(size + k, rng, n_clients, datetime(2026, 11, 2, tzinfo=UTC))
            doc = IndexDoc(**{**{f: getattr(doc, f) for f in doc.__slots__}, "text": f"uniekwoord{k} " + doc.text})
            t0, c0 = time.perf_counter(), time.process_time()
            index.upsert([doc])
            page = index.search(SearchRequest(q=f"uniekwoord{k}"), principals=doc.principals)
            fresh.append((time.perf_counter() - t0) * 1000)
            fresh_cpu.append((time.process_time() - c0) * 1000)
            assert page.total == 1
        print(f"add one note until searchable: p50 {statistics.median(fresh):.1f} ms, max {max(fresh):.1f} ms"
              f"  (cpu p50 {statistics.median(fresh_cpu):.1f} ms)")

        sample_texts = [d.text for d in notes(200, seed=7)]
        for label, principals in (("3 principals", few), ("~200 principals", many)):
            for kind, queries in query_sets(rng, sample_texts, n_queries).items():
                if kinds and kind not in kinds:
                    continue
                times, cpu, totals = [], [], []
                index.search(SearchRequest(q=queries[0], per_page=10), principals=principals)  # warm the cache
                for q in queries:
                    t0, c0 = time.perf_counter(), time.process_time()
                    page = index.search(SearchRequest(q=q, per_page=10), principals=principals)
                    times.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                    totals.append(page.total)
                print(f"  {label:16} {kind:10} p50 {percentile(times, 50):7.1f} ms  p95 {percentile(times, 95):7.1f} ms"
                      f"  cpu p50 {percentile(cpu, 50):6.1f} p95 {percentile(cpu, 95):6.1f} ms"
                      f"  (mean hits {statistics.mean(totals):,.0f})")
        for label, principals in (("3 principals", few), ("~200 principals", many)):
            times = []
            for prefix in ("wo", "sch", "huis", "be", "ve", "ge", "ui", "re"):
                t0 = time.perf_counter()
                index.suggest(prefix, principals=principals)
                times.append((time.perf_counter() - t0) * 1000)
            print(f"  {label:16} suggest    p50 {percentile(times, 50):7.1f} ms  p95 {percentile(times, 95):7.1f} ms")
        index.close()
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
        if schema:
            pg_drop(database_url, schema)


def build_only(backend: str, size: int, keep: Path | None) -> None:
    if keep is None:
        raise SystemExit("--build-only needs --keep DIR")
    root = keep / f"{backend}-{size}"
    with open_index(backend, root) as index:
        if index.count() < size:
            started = time.perf_counter()
            index.rebuild(notes(size))
            elapsed = time.perf_counter() - started
            print(f"{backend} {size:,}: {size / elapsed:,.0f} docs/s ({elapsed:.1f} s), "
                  f"size on disk {disk_size(root) / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["tantivy", "whoosh"])
    parser.add_argument("--queries", type=int, default=40, help="queries per kind and user")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test",
                        help="PostgreSQL database for the postgres backend (a schema is made and dropped)")
    parser.add_argument("--keep", type=Path, help="build embedded indexes under this directory once and reuse them")
    parser.add_argument("--kinds", nargs="+", help="only these query kinds (one word, two words, phrase, fuzzy)")
    parser.add_argument("--build-only", action="store_true", help="build (or reuse) the indexes, measure nothing")
    parser.add_argument("--cold", action="store_true", help="whoosh: no cache of decoded posting lists")
    args = parser.parse_args(argv)
    if args.cold:
        from search_index.backends import whoosh_fast

        whoosh_fast.POSTING_CACHE_BYTES = 0
    for size in args.sizes:
        for backend in args.backends:
            if args.build_only:
                build_only(backend, size, args.keep)
            else:
                bench_backend(backend, size, args.queries, args.database_url, args.keep, args.kinds)


if __name__ == "__main__":
    main()
