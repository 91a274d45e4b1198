"""Tables of the PostgreSQL full-text backend and the tsvector we store (plain SQL, no ORM).

We build the tsvector in Python from ``search_index.analysis`` and load it with the 'simple'
configuration's rules (the literal is taken as is), not with PostgreSQL's ``dutch`` configuration:
``dutch`` stems "huisarts" and "huisartsen" apart and drops stop words, which shifts phrase positions,
so its results would differ from Whoosh's and tantivy's. Our own analysis is Snowball Dutch
(the same algorithm as ``dutch``) plus accent folding, so every backend passes one test suite.

One tsvector per document holds two kinds of lexeme:
- stems with positions (``'woon':1,4``): terms, phrases (``<->``) and ranking;
- folded words prefixed with ``_`` and no positions (``'_woningen'``): prefix and fuzzy terms. A token
  never contains ``_`` (``analysis.TOKEN_RE``), so the two kinds never collide.

Suggestions and did-you-mean count words over the visible documents that hold them, by unnesting
those documents' ``_`` lexemes (``tsvector_to_array``): no per-word table to keep in step.
``fts_terms`` is the vocabulary that fuzzy terms and did-you-mean take candidates from. It only grows
between rebuilds: a stale word is harmless because every candidate is matched against visible
documents before it is used or shown.
"""

from __future__ import annotations

from ..analysis import stem, words

TABLE_PREFIX = "fts_"
DOCUMENTS, TERMS = "fts_documents", "fts_terms"
#: The index proper: a rebuild makes new copies of these and swaps them in.
TABLES = (DOCUMENTS, TERMS)
#: Bookkeeping of a running rebuild, shared by every process: ids written meanwhile are copied over.
REBUILDS, JOURNAL = "fts_rebuilds", "fts_journal"
CONTROL_TABLES = (REBUILDS, JOURNAL)
#: PostgreSQL keeps positions up to 16383 and at most 256 per lexeme; a tsvector is at most 1 MB.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_LEXEME = 255
MAX_TSVECTOR_BYTES = 900_000
#: A lexeme that no document holds (tokens never contain '_' alone): "matches nothing".
NOTHING = "'_'"


def table_ddl(suffix: str = "") -> list[str]:
    """CREATE TABLE statements for one generation of the tables (``suffix`` names a build)."""
    d, t = (name + suffix for name in TABLES)
    return [
        f"""CREATE TABLE IF NOT EXISTS {d} (
            id text PRIMARY KEY,
            content tsvector NOT NULL,
            principals text[] NOT NULL,
            type text NOT NULL,
            client text,
            author text NOT NULL,
            organisation text NOT NULL,
            life_domains text[] NOT NULL,
            year integer NOT NULL,
            created_at timestamptz NOT NULL,
            modified_at timestamptz NOT NULL,
            payload text NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS {t} (word text COLLATE "C" PRIMARY KEY)""",
    ]


def control_ddl() -> list[str]:
    """The rebuild bookkeeping tables (never swapped)."""
    return [f"CREATE TABLE IF NOT EXISTS {REBUILDS} (tag text PRIMARY KEY, started_at timestamptz NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {JOURNAL} (doc_id text NOT NULL)"]


def index_ddl(suffix: str = "", *, tag: str = "") -> list[str]:
    """Indexes: GIN on the tsvector and the principals, btree for filters, sorting and deletes.

    ``tag`` keeps index names unique while a build and the live tables exist side by side.
    """
    d = DOCUMENTS + suffix
    tag = tag or "live"
    return [
        f"CREATE INDEX IF NOT EXISTS fts_doc_content_{tag} ON {d} USING gin (content)",
        f"CREATE INDEX IF NOT EXISTS fts_doc_principals_{tag} ON {d} USING gin (principals)",
        f"CREATE INDEX IF NOT EXISTS fts_doc_modified_{tag} ON {d} (modified_at DESC, id)",
        f"CREATE INDEX IF NOT EXISTS fts_doc_created_{tag} ON {d} (created_at)",
    ]


def alembic_include_object(obj: object, name: str | None, type_: str, reflected: bool,
                           compare_to: object | None) -> bool:
    """Alembic ``include_object`` hook: skip our tables (and their indexes), which are no SQLAlchemy models.

    They are created by a migration and swapped by ``reindex``; without this, autogenerate would
    propose dropping them.
    """
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = getattr(table, "name", None) or name or ""
    return not (reflected and compare_to is None and table_name.startswith(TABLE_PREFIX))


def quote_lexeme(lexeme: str) -> str:
    """Quote for tsvector/tsquery input; tokens hold no quotes or backslashes, escape them anyway."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(content: str) -> tuple[str, list[str]]:
    """The tsvector text of ``content`` and its distinct folded words (in first-seen order)."""
    positions: dict[str, list[int]] = {}
    vocabulary: dict[str, None] = {}
    size = 0
    for i, word in enumerate(words(content), 1):
        if word not in vocabulary:
            if size > MAX_TSVECTOR_BYTES:  # PostgreSQL refuses a tsvector over 1 MB: index what fits
                continue
            vocabulary[word] = None
            size += len(word) + 8
        s = stem(word)
        found = positions.get(s)
        if found is None:
            if size > MAX_TSVECTOR_BYTES:
                continue
            positions[s] = found = []
            size += len(s) + 8
        if len(found) < MAX_POSITIONS_PER_LEXEME and i <= MAX_POSITION:
            found.append(i)
            size += 2
        elif not found:  # first seen beyond the last position PostgreSQL keeps
            found.append(MAX_POSITION)
    # Tokens are letters and digits only (analysis.TOKEN_RE): nothing to escape inside the quotes.
    parts = [f"'{s}':{','.join(map(str, p))}" for s, p in positions.items()]
    parts.extend(f"'_{w}'" for w in vocabulary)
    return " ".join(parts), list(vocabulary)
