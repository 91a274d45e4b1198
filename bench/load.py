"""Load benchmark: simulated users against gunicorn on loopback, on SQLite or PostgreSQL.

Run one configuration:
    .venv/bin/python bench/load.py --db sqlite --workers 2 --users 20 --duration 60
or the whole matrix (20/50 users x 1/2/4 workers x sqlite/postgres), printed as one table:
    .venv/bin/python bench/load.py --matrix [--duration 60] [--json results.json]

Each run gets its own instance folder (a temp dir) and database: a SQLite file in that folder, or a
fresh PostgreSQL database on --pg-url (created from a prepared template, dropped afterwards). The
demo data is loaded once per database kind (`init-db`, `demo`, `reindex`) and copied per run, so
every run starts from the same data. gunicorn (`portal:create_app()`) listens on a free loopback
port; it is stopped when the run ends, also on Ctrl-C or an error.

Simulated users are asyncio tasks with aiohttp (already pinned: pyHanko depends on it). They log in
as the demo accounts (password + TOTP from the demo secret), one server-side session per account,
shared by that account's simulated users like browser tabs. Each user loops over a mix of: start
page, a dossier page, a search, opening and saving her own draft case note (optimistic locking: the
form's version is sent back), the document list; between two requests she pauses --think seconds on
average (uniform 0.5x-1.5x; default 2 s, like a person reading). --think 0 runs flat out, a closed
loop that measures capacity: then latency is simply users / throughput. An error is any status
other than the expected one, or an exception (timeout, connection reset). Requests still running at
the deadline are cancelled and not counted. The client runs on the same machine as the server and takes CPU from it.

Aim (issue #8): zero errors, and dossier page p95 under 100 ms at 20 users.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pyotp

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Demo-wachtwoord-2026"  # noqa: S105 - the published demo password
#: Demo accounts that write case notes (STAP-team) and one that reads project documents.
WRITERS = ["sanne", "ilse", "noor", "fleur", "mirjam"]
READERS = ["eva"]
#: kind -> weight in the mix. "note": open and save her own draft (one GET of the form, one POST).
#: "shared": the same, on one draft that all simulated users of an account edit (tabs, or colleagues
#: correcting one note): optimistic locking must answer a lost race with 409, never a 500.
MIX = {"start": 20, "dossier": 30, "search": 20, "note": 10, "shared": 5, "documents": 15}
WORDS = ["woning", "nachtopvang", "bewind", "schulden", "gesprek", "huisarts", "afspraak", "uitkering",
         "vergunning", "kamer"]
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CLIENT_LINK = re.compile(r'href="/clients/(\d+)"')


def demo_totp_secret(username: str) -> str:
    sys.path.insert(0, str(ROOT))
    from portal.demo import demo_totp_secret as secret

    return secret(username)


# --- setting up an instance and a server ------------------------------------------------------


def _flask(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "portal", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)


def _pg_admin(pg_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _pg_db_url(pg_url: str, name: str) -> str:
    parts = urlsplit(pg_url)
    return parts._replace(path="/" + name).geturl()


@dataclass
class Golden:
    """Demo data loaded once: an instance folder (and a PostgreSQL template database)."""

    db: str
    folder: Path
    pg_url: str = ""
    pg_template: str = ""

    @classmethod
    def prepare(cls, db: str, pg_url: str) -> Golden:
        folder = Path(tempfile.mkdtemp(prefix=f"portal-load-{db}-"))
        golden = cls(db, folder, pg_url)
        env = golden.env(folder)
        if db == "postgres":
            golden.pg_template = f"portal_load_tpl_{secrets.token_hex(4)}"
            _pg_admin(pg_url, f'CREATE DATABASE "{golden.pg_template}"')
            env["DATABASE_URL"] = _pg_db_url(pg_url, golden.pg_template)
        t0 = time.perf_counter()
        for cmd in ("init-db", "demo", "reindex"):
            _flask(env, cmd)
        print(f"# demo data on {db} loaded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        return golden

    def env(self, folder: Path, database_url: str = "") -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_") and k != "DATABASE_URL"}
        env.update(PORTAL_INSTANCE_PATH=str(folder), PORTAL_SECURE_COOKIES="0",
                   PORTAL_SECRET_KEY="bench-" + secrets.token_hex(16))
        if database_url:
            env["DATABASE_URL"] = database_url
        return env

    @contextlib.contextmanager
    def copy(self):  # noqa: ANN201 - yields (folder, environment) for one run
        folder = Path(tempfile.mkdtemp(prefix=f"portal-load-run-{self.db}-"))
        shutil.copytree(self.folder, folder, dirs_exist_ok=True)
        name = ""
        try:
            if self.db == "postgres":
                name = f"portal_load_{secrets.token_hex(4)}"
                _pg_admin(self.pg_url, f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_template}"')
            yield folder, self.env(folder, _pg_db_url(self.pg_url, name) if name else "")
        finally:
            if name:
                _pg_admin(self.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(folder, ignore_errors=True)

    def drop(self) -> None:
        if self.pg_template:
            _pg_admin(self.pg_url, f'DROP DATABASE IF EXISTS "{self.pg_template}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as r:  # noqa: S310 - our own loopback URL
            return r.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path):  # noqa: ANN201 - yields the base URL
    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--timeout", "60", "portal:create_app()"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # workers import the whole app; slow on a busy machine
        while not _healthy(url):
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /health within 180 s; see {log}")
            time.sleep(0.3)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: the master and its workers
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


# --- simulated users --------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)
    conflicts: int = 0

    def ok(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.samples) < 8:
            self.samples.append(f"{kind}: {what}")


@dataclass
class Account:
    username: str
    cookies: dict[str, str]
    csrf: str
    clients: list[int]
    writable: list[int]
    shared_note: int | None = None


class UnexpectedStatusError(Exception):
    pass


async def _text(resp: aiohttp.ClientResponse, expect: tuple[int, ...]) -> str:
    body = await resp.text()
    if resp.status not in expect:
        snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:160]
        raise UnexpectedStatusError(f"{resp.method} {resp.url.path} -> {resp.status}: {snippet}")
    return body


async def login(base: str, username: str, step_offset: int) -> Account:
    """Log in like a person: password, then the TOTP code of the demo secret."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base, cookie_jar=jar) as http:
        async with http.get("/login") as r:
            token = CSRF.search(await _text(r, (200,))).group(1)
        data = {"username": username, "password": PASSWORD, "csrf_token": token}
        async with http.post("/login", data=data, allow_redirects=False) as r:
            await _text(r, (302,))
        async with http.get("/login/code") as r:
            token = CSRF.search(await _text(r, (200,))).group(1)
        totp = pyotp.TOTP(demo_totp_secret(username))
        code = totp.generate_otp(int(time.time() // totp.interval) + step_offset)
        async with http.post("/login/code", data={"code": code, "csrf_token": token}, allow_redirects=False) as r:
            await _text(r, (302,))
        async with http.get("/account") as r:
            token = CSRF.search(await _text(r, (200,))).group(1)
        async with http.get("/clients/") as r:
            clients = sorted({int(c) for c in CLIENT_LINK.findall(await _text(r, (200,)))})
        writable = []
        for client in clients:  # she writes notes only where the dossier offers it
            async with http.get(f"/clients/{client}") as r:
                if f'href="/clients/{client}/notes/new"' in await _text(r, (200,)):
                    writable.append(client)
        cookies = {c.key: c.value for c in jar}
    return Account(username, cookies, token, clients, writable)


class User:
    def __init__(self, n: int, account: Account, http: aiohttp.ClientSession, stats: Stats, rng: random.Random):
        self.n, self.account, self.http, self.stats, self.rng = n, account, http, stats, rng
        self.note_id: int | None = None

    async def timed(self, kind: str, method: str, path: str, expect: tuple[int, ...],
                    data: dict | None = None) -> tuple[str, aiohttp.ClientResponse | None]:
        t0 = time.perf_counter()
        try:
            async with self.http.request(method, path, data=data, allow_redirects=False) as r:
                body = await _text(r, expect)
        except UnexpectedStatusError as exc:
            self.stats.error(kind, str(exc))
            return "", None
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.stats.error(kind, f"{method} {path}: {type(exc).__name__} {exc}")
            return "", None
        self.stats.ok(kind, time.perf_counter() - t0)
        return body, r

    async def step(self) -> None:
        acct = self.account
        kinds = list(MIX)
        if not acct.clients:
            kinds = [k for k in kinds if k != "dossier"]
        if not acct.writable:
            kinds = [k for k in kinds if k not in ("note", "shared")]
        kind = self.rng.choices(kinds, weights=[MIX[k] for k in kinds])[0]
        if kind == "start":
            await self.timed("start", "GET", "/", (200,))
        elif kind == "dossier":
            await self.timed("dossier", "GET", f"/clients/{self.rng.choice(acct.clients)}", (200,))
        elif kind == "search":
            await self.timed("search", "GET", f"/search?q={self.rng.choice(WORDS)}", (200,))
        elif kind == "documents":
            await self.timed("documents", "GET", "/documents", (200,))
        elif kind == "shared" and acct.shared_note is not None:
            await self.edit_note(acct.shared_note, "shared_save", (302, 409))
        else:
            await self.save_note()

    def _note_form(self) -> dict[str, str]:
        return {"title": f"Voortgang {self.n}", "noted_on": time.strftime("%Y-%m-%d"),
                "text": f"Gesprek gevoerd over woning en afspraken ({self.rng.randrange(10**6)}).",
                "life_domains": "housing", "data_category": "general", "confidentiality": "zaakvertrouwelijk",
                "csrf_token": self.account.csrf}

    async def edit_note(self, note_id: int, kind: str, expect: tuple[int, ...]) -> None:
        """Open the edit form, send it back with the version it showed (optimistic locking)."""
        body, r = await self.timed("note_form", "GET", f"/notes/{note_id}/edit", (200,))
        if r is None:
            return
        match = VERSION.search(body)
        if match is None:
            self.stats.error("note_form", "no version field in the edit form")
            return
        _body, r = await self.timed(kind, "POST", f"/notes/{note_id}/edit", expect,
                                    {**self._note_form(), "version": match.group(1)})
        if r is not None and r.status == 409:
            self.stats.conflicts += 1

    async def save_note(self) -> None:
        """Her own draft: created on the first save, then opened and saved with its version."""
        if self.note_id is None:
            client = self.rng.choice(self.account.writable)
            _body, r = await self.timed("note_new", "POST", f"/clients/{client}/notes/new", (302,), self._note_form())
            if r is not None:
                self.note_id = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
            return
        await self.edit_note(self.note_id, "note_save", (302,))

    async def run(self, deadline: float, think: float) -> None:
        if think:  # people do not all click in the same second: spread the first requests
            await asyncio.sleep(self.rng.uniform(0, think))
        while time.monotonic() < deadline:
            await self.step()
            if think:
                await asyncio.sleep(self.rng.uniform(0.5 * think, 1.5 * think))


async def drive(base: str, users: int, duration: float, seed: int, think: float) -> tuple[Stats, float]:
    names = WRITERS + READERS
    accounts = [await login(base, name, 0) for name in names]
    stats = Stats()
    for acct in accounts:
        if acct.writable:
            async with aiohttp.ClientSession(base, cookie_jar=aiohttp.CookieJar(unsafe=True),
                                             cookies=acct.cookies) as http:
                data = {**User(0, acct, http, stats, random.Random(seed))._note_form(), "title": "Gedeelde notitie"}
                async with http.post(f"/clients/{acct.writable[0]}/notes/new", data=data,
                                     allow_redirects=False) as r:
                    await _text(r, (302,))
                    acct.shared_note = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    timeout = aiohttp.ClientTimeout(total=min(30.0, duration))
    connector = aiohttp.TCPConnector(limit=0)
    sessions = []
    tasks = []
    started = time.monotonic()
    deadline = started + duration
    try:
        for n in range(users):
            acct = accounts[n % len(accounts)]
            http = aiohttp.ClientSession(base, connector=connector, connector_owner=False, timeout=timeout,
                                         cookie_jar=aiohttp.CookieJar(unsafe=True), cookies=acct.cookies)
            sessions.append(http)
            user = User(n, acct, http, stats, random.Random(seed * 1000 + n))
            tasks.append(asyncio.create_task(user.run(deadline, think)))
        # Never longer than asked: whatever still runs at the deadline is cancelled, not counted.
        _done, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for t in _done:
            if t.exception() is not None:
                stats.error("user", repr(t.exception()))
    finally:
        for http in sessions:
            await http.close()
        await connector.close()
    return stats, time.monotonic() - started


# --- reporting --------------------------------------------------------------------------------

KINDS = ["start", "dossier", "search", "note_new", "note_form", "note_save", "shared_save", "documents"]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] * 1000


def summarise(db: str, workers: int, users: int, stats: Stats, elapsed: float) -> dict:
    total = sum(len(v) for v in stats.latencies.values())
    row = {"db": db, "workers": workers, "users": users, "seconds": round(elapsed, 1), "requests": total,
           "rps": round(total / elapsed, 1), "errors": sum(stats.errors.values()),
           "conflicts": stats.conflicts, "error_kinds": stats.errors,
           "error_samples": stats.samples, "kinds": {}}
    for kind in KINDS:
        v = stats.latencies.get(kind, [])
        row["kinds"][kind] = {"n": len(v), "p50": round(_pct(v, 0.5), 1), "p95": round(_pct(v, 0.95), 1)}
    dossier_p95 = row["kinds"]["dossier"]["p95"]
    row["aim_met"] = row["errors"] == 0 and (users != 20 or dossier_p95 < 100)
    return row


def print_table(rows: list[dict]) -> None:
    head = ["db", "workers", "users", "req/s", "errors", "409s"] + [f"{k} p50/p95" for k in KINDS]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r["db"], str(r["workers"]), str(r["users"]), f"{r['rps']:.1f}", str(r["errors"]), str(r["conflicts"])]
        cells += [f"{r['kinds'][k]['p50']:.0f}/{r['kinds'][k]['p95']:.0f}" if r["kinds"][k]["n"] else "-"
                  for k in KINDS]
        print("| " + " | ".join(cells) + " |")
    for r in rows:
        if r["errors"]:
            print(f"\nerrors in {r['db']} w{r['workers']} u{r['users']}: {r['error_kinds']}")
            for s in r["error_samples"]:
                print("  " + s)


def run_one(golden: Golden, workers: int, users: int, args: argparse.Namespace) -> dict:
    with golden.copy() as (folder, env):
        log = folder.parent / f"portal-load-gunicorn-{golden.db}-w{workers}-u{users}.log"
        try:
            with gunicorn(env, workers, log) as url:
                stats, elapsed = asyncio.run(drive(url, users, args.duration, args.seed, args.think))
        except Exception as exc:  # noqa: BLE001 - one failed configuration must not hide the others
            stats, elapsed = Stats(), args.duration
            stats.error("run", f"{type(exc).__name__}: {exc}")
    row = summarise(golden.db, workers, users, stats, elapsed)
    row["think"] = args.think
    print(f"# {golden.db} workers={workers} users={users} think={args.think}s: {row['rps']} req/s, "
          f"{row['errors']} errors, dossier p95 {row['kinds']['dossier']['p95']} ms (gunicorn log: {log})",
          file=sys.stderr)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load per configuration")
    ap.add_argument("--matrix", action="store_true", help="20/50 users x 1/2/4 workers x sqlite/postgres")
    ap.add_argument("--pg-url", default=os.environ.get("PORTAL_BENCH_PG_URL",
                                                       "postgresql://postgres@127.0.0.1:5432/postgres"),
                    help="PostgreSQL server (any database on it) where a scratch database is created and dropped")
    ap.add_argument("--think", type=float, default=2.0,
                    help="mean pause between a user's requests, seconds (uniform 0.5x-1.5x); 0 = flat out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    # A plain `kill` must still run the finally blocks that stop gunicorn and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.matrix:
        configs = [(db, w, u) for db in ("sqlite", "postgres") for w in (1, 2, 4) for u in (20, 50)]
    else:
        configs = [(args.db, args.workers, args.users)]
    rows: list[dict] = []
    goldens: dict[str, Golden] = {}
    try:
        for db, workers, users in configs:
            if db not in goldens:
                goldens[db] = Golden.prepare(db, args.pg_url)
            rows.append(run_one(goldens[db], workers, users, args))
            if args.json:
                args.json.write_text(json.dumps(rows, indent=1))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        for golden in goldens.values():
            golden.drop()
    print_table(rows)
    return 0 if rows and all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
