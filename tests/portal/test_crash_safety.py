"""Crash safety (issue #9): the real server is killed with SIGKILL at random moments, at least 50
times, while client threads upload DOCX files, sign consents (drawn and paper scans) and save case
notes. Afterwards: every request that got a success answer is in the database and its file in the
archive with a matching hash; no row points to a missing file; no half-written file carries a
content name; `archive-verify` and `audit-verify` pass; a search finds every confirmed note and upload.

The server is gunicorn with ``--preload``: most kills hit the worker (the process that handles the
requests), which the master forks again at once; every ``FULL_EVERY``-th kill takes down master and
worker together and boots a new server. The seed is printed; set ``CRASH_SEED`` to replay a run.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("CRASH_KILLS", "50"))  # fewer only to try things out locally
FULL_EVERY = 25  # kills 25 and 50 take down master and worker together
ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CONF = Path(__file__).with_name("crash_gunicorn_conf.py")
PASSWORD = "Demo-wachtwoord-2026"  # noqa: S105 - the factories' password
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on a loopback port, with its own instance folder; killed and restarted on demand."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.port = env, log, _free_port()
        self.proc: subprocess.Popen | None = None
        self.boots = 0

    def start(self) -> None:
        cmd = [str(GUNICORN), "--config", str(CONF), "--no-control-socket", "--preload", "--workers", "1",
               "--worker-class", "gthread", "--threads", "4",
               "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning",
               "portal:create_app()"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True)
        self.boots += 1
        self.wait_ready(timeout=120)

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except FileNotFoundError:
            return []
        return [int(p) for p in children]

    def wait_ready(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            assert self.proc is not None and self.proc.poll() is None, self.tail()
            try:
                if request(self.port, "GET", "/login")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"server not ready after {timeout} s\n{self.tail()}")

    def kill_worker(self) -> None:
        for pid in self.worker_pids():
            os.kill(pid, signal.SIGKILL)

    def kill_all(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        hdrs: dict[str, list[str]] = {}
        for k, v in resp.getheaders():
            hdrs.setdefault(k.lower(), []).append(v)
        return resp.status, hdrs, resp.read()
    finally:
        conn.close()


class ApiClient:
    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    def call(self, method: str, path: str, payload: dict | None = None) -> tuple[int, dict]:
        import json

        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        status, _h, data = request(self.port, method, path, body, headers)
        return status, json.loads(data) if data[:1] == b"{" else {}


class BrowserClient:
    """A logged-in browser: cookies and the CSRF token (both survive restarts: sessions live in the DB)."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies, self.csrf = port, {}, ""

    def _send(self, method: str, path: str, body: bytes | None = None, ctype: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if ctype:
            headers["Content-Type"] = ctype
        status, hdrs, data = request(self.port, method, path, body, headers)
        for cookie in hdrs.get("set-cookie", []):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return status, data

    def token_from(self, path: str) -> str:
        status, page = self._send("GET", path)
        match = _CSRF.search(page.decode())
        assert match, (path, status)
        return match.group(1)

    def form(self, path: str, fields: dict[str, str]) -> int:
        return self._send("POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")[0]

    def login(self, username: str, totp_secret: str) -> None:
        from portal.services import accounts

        token = self.token_from("/login")
        assert self.form("/login", {"username": username, "password": PASSWORD, "csrf_token": token}) == 302
        token = self.token_from("/login/code")
        code = accounts.current_code(totp_secret)
        assert self.form("/login/code", {"code": code, "csrf_token": token}) == 302
        self.csrf = self.token_from("/account")

    def upload(self, path: str, filename: str, data: bytes) -> int:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{self.csrf}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n"
                ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self._send("POST", path, body, f"multipart/form-data; boundary={boundary}")[0]


@dataclass
class Tally:
    """What the clients saw: confirmed objects, attempts cut off by a kill, unexpected answers."""

    notes: list[tuple[int, str]] = field(default_factory=list)
    consents: list[tuple[int, str, str]] = field(default_factory=list)
    uploads: list[tuple[int, str, str]] = field(default_factory=list)
    cut_off: dict[str, int] = field(default_factory=lambda: {"note": 0, "sign": 0, "upload": 0})
    unexpected: list[tuple[str, int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


#: A kill cut this request off (refused connections, while the server is down, do not count).
CUT_OFF = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.HTTPException, TimeoutError)
DOWN = (ConnectionRefusedError,)


def _word(rng: random.Random) -> str:
    """A unique, unstemmable search word (letters only, so the Dutch analyser keeps it whole)."""
    return "kx" + "".join(rng.choice("bcdfghjklmnpqrstvwz") for _ in range(10))


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _note_loop(api: ApiClient, client_id: int, tally: Tally, stop: threading.Event, rng: random.Random) -> None:
    while not stop.is_set():
        word = _word(rng)
        try:
            status, body = api.call("POST", f"/api/v1/clients/{client_id}/case-notes",
                                    {"title": f"Gesprek {word}", "text": f"Afspraak gemaakt over {word}.",
                                     "final": rng.random() < 0.5})
        except DOWN:
            time.sleep(0.05)
            continue
        except CUT_OFF:
            tally.cut_off["note"] += 1
            continue
        with tally.lock:
            if status == 201:
                tally.notes.append((body["id"], word))
            else:
                tally.unexpected.append(("note", status, str(body)[:200]))


def _sign_loop(api: ApiClient, client_id: int, tally: Tally, stop: threading.Event, rng: random.Random) -> None:
    from tests.portal.consents.helpers import make_pdf, make_png

    png = base64.b64encode(make_png()).decode()
    while not stop.is_set():
        try:
            status, body = api.call("POST", "/api/v1/consents", {
                "client-id": client_id, "organisations": ["GGD", "WI"], "categories": ["general", "housing"],
                "form-version": "2026-1", "client-name": "Cliënt Own"})
            if status != 201:
                with tally.lock:
                    tally.unexpected.append(("consent", status, str(body)[:200]))
                continue
            consent_id = body["id"]
            if rng.random() < 0.5:
                sign = {"method": "drawn", "signature-png": png}
            else:
                scan = base64.b64encode(make_pdf(f"Getekend {_word(rng)}")).decode()
                sign = {"method": "paper", "scan": scan, "scan-media-type": "application/pdf"}
            status, body = api.call("POST", f"/api/v1/consents/{consent_id}/sign", {
                **sign, "signer-name": "Cliënt Own", "identification": "known_to_team", "password": PASSWORD})
        except DOWN:
            time.sleep(0.05)
            continue
        except CUT_OFF:
            tally.cut_off["sign"] += 1
            continue
        with tally.lock:
            if status == 200:
                tally.consents.append((consent_id, body["file-sha256"], body["state"]))
            else:
                tally.unexpected.append(("sign", status, str(body)[:200]))


def _upload_loop(browser: BrowserClient, doc_ids: list[int], tally: Tally, stop: threading.Event,
                 rng: random.Random) -> None:
    while not stop.is_set():
        word, doc_id = _word(rng), rng.choice(doc_ids)
        data = _docx(f"Aangepast in Word: {word}.")
        try:
            status = browser.upload(f"/documents/{doc_id}/upload", f"brief-{word}.docx", data)
        except DOWN:
            time.sleep(0.05)
            continue
        except CUT_OFF:
            tally.cut_off["upload"] += 1
            continue
        with tally.lock:
            if status == 302:
                tally.uploads.append((doc_id, hashlib.sha256(data).hexdigest(), word))
            else:
                tally.unexpected.append(("upload", status, ""))


@pytest.fixture
def crash_setup(app, world, session, tmp_path):
    """Two letter drafts of the project lead, API tokens, and the server's environment."""
    from datetime import date

    from portal.models import WorkspaceMember
    from portal.services import accounts, documents
    from tests.portal.documents.conftest import BRIEFING

    lead, cm = world.users["project_lead"], world.users["case_manager"]
    session.add(WorkspaceMember(workspace_id=world.workspaces["PG"].id, user_id=lead.id))
    session.flush()
    doc_ids = [documents.create(session, actor=lead, doc_type="council_briefing", title=f"Brief {n}",
                                fields=dict(BRIEFING), workspace=world.workspaces["PG"], threshold=5,
                                today=date.today()).id for n in range(2)]
    tokens = {name: accounts.create_api_token(session, world.users[name], "crash") for name in
              ("case_manager", "project_lead")}
    secrets = {"project_lead": lead.totp_secret, "case_manager": cm.totp_secret}
    session.commit()
    cfg = app.config["PORTAL"]
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(cfg.instance_path), "PORTAL_TESTING": "1",
           "PORTAL_SECURE_COOKIES": "0", "PORTAL_SECRET_KEY": cfg.secret_key}
    if not cfg.sqlalchemy_url.startswith("sqlite"):
        env["DATABASE_URL"] = cfg.database_url
    setup = {"doc_ids": doc_ids, "tokens": tokens, "secrets": secrets, "env": env,
             "client_id": world.clients["own"].id, "lead": lead.username}
    session.remove()  # hold no connection (on SQLite: no lock) while the server runs
    return setup


def test_sigkill_during_uploads_signing_and_note_saves_loses_nothing_confirmed(app, session, crash_setup, tmp_path):
    seed = int(os.environ.get("CRASH_SEED", random.SystemRandom().randrange(1 << 32)))
    print(f"\ncrash-safety seed: {seed} (replay with CRASH_SEED={seed})")
    rng = random.Random(seed)
    server = Server(crash_setup["env"], tmp_path / "gunicorn.log")
    tally, stop = Tally(), threading.Event()
    started = time.monotonic()
    try:
        server.start()
        browser = BrowserClient(server.port)
        browser.login(crash_setup["lead"], crash_setup["secrets"]["project_lead"])
        cm_api = ApiClient(server.port, crash_setup["tokens"]["case_manager"])
        cid = crash_setup["client_id"]
        threads = [
            threading.Thread(target=_note_loop, args=(cm_api, cid, tally, stop, random.Random(rng.random()))),
            threading.Thread(target=_sign_loop, args=(cm_api, cid, tally, stop, random.Random(rng.random()))),
            threading.Thread(target=_upload_loop, args=(browser, crash_setup["doc_ids"], tally, stop,
                                                        random.Random(rng.random()))),
        ]
        for t in threads:
            t.start()
        for kill in range(1, KILLS + 1):
            # Mostly short gaps (kills in quick saves), sometimes long ones (so slow signings complete too).
            time.sleep(rng.uniform(0.05, 0.8) if rng.random() < 0.6 else rng.uniform(0.8, 2.5))
            if kill % FULL_EVERY == 0:
                server.kill_all()
                server.start()
            else:
                server.kill_worker()
                server.wait_ready(timeout=120)
        time.sleep(1.0)  # let the last requests after the final kill complete
        stop.set()
        for t in threads:
            t.join(120)
        print(f"kills: {KILLS} ({server.boots} server boots) in {time.monotonic() - started:.0f} s; "
              f"confirmed notes {len(tally.notes)}, consents {len(tally.consents)}, uploads {len(tally.uploads)}; "
              f"cut off by a kill: {tally.cut_off}")
        assert not tally.unexpected, tally.unexpected[:5]
        assert tally.notes and tally.consents and tally.uploads, "the load never got through"
        assert sum(tally.cut_off.values()) > 0, "no kill hit a request in flight"
        _assert_search_catches_up(server.port, crash_setup, tally,
                                  _current_upload_words(session, crash_setup["doc_ids"]))
    finally:
        stop.set()
        server.kill_all()
    _assert_database_and_archive_intact(app, session, tally)


def _assert_search_catches_up(port: int, setup: dict, tally: Tally, current_uploads: dict[int, str]) -> None:
    """The outbox survives the kills: a search (which drains it first) finds every confirmed note and the
    text of each letter's current upload (a new upload replaces the previous one's text)."""
    from urllib.parse import quote

    apis = {"note": ApiClient(port, setup["tokens"]["case_manager"]),
            "upload": ApiClient(port, setup["tokens"]["project_lead"])}
    for kind, key, word in ([("note", f"case_note:{i}", w) for i, w in tally.notes]
                            + [("upload", f"document:{d}", w) for d, w in current_uploads.items()]):
        status, body = apis[kind].call("GET", f"/api/v1/search?q={quote(word)}")
        assert status == 200, body
        assert key in [item["id"] for item in body["items"]], (kind, key, word, body)


def _current_upload_words(session, doc_ids: list[int]) -> dict[int, str]:  # noqa: ANN001
    from portal.models import Document

    words = {}
    for doc_id in doc_ids:
        text = session.get(Document, doc_id).upload_text or ""
        match = re.search(r"\bkx[a-z]{10}\b", text)
        if match:
            words[doc_id] = match.group(0)
    session.remove()
    return words


def _assert_database_and_archive_intact(app, session, tally: Tally) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from portal.archive import Archive
    from portal.models import CaseNote, Consent, DocumentVersion, StoredFile

    session.expire_all()
    for note_id, word in tally.notes:
        note = session.get(CaseNote, note_id)
        assert note is not None and word in note.text, (note_id, word)
    archive = Archive(app.config["PORTAL"].instance_path / "archive")
    for consent_id, sha, state in tally.consents:
        consent = session.get(Consent, consent_id)
        assert state == "signed" and consent.state.value == "signed" and consent.sealed_sha256 == sha
        archive.get(sha)  # raises when missing or altered
    uploaded = {(v.document_id, v.file.sha256) for v in
                session.scalars(select(DocumentVersion).where(DocumentVersion.file_id.is_not(None)))}
    for doc_id, sha, _word in tally.uploads:
        assert (doc_id, sha) in uploaded, (doc_id, sha)
        archive.get(sha)
    # No row points to a missing file; no file under a content name is half-written.
    for sha in session.scalars(select(StoredFile.sha256)):
        archive.get(sha)
    leftovers = []
    for path in archive.root.rglob("*"):
        if path.is_file() and path.name.startswith(".tmp-"):
            leftovers.append(path.name)  # an unfinished write: never under a content name, never referenced
        elif path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path
    print(f"temporary files left by kills: {len(leftovers)}")
    session.remove()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["archive-verify"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
