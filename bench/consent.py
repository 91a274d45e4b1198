"""Benchmark of one consent round: compose, sign, seal, archive-like write.

Run: .venv/bin/python bench/consent.py [runs]
Prints median and p95 (ms) per step and for the whole round with and without the seal.
Aim (DESIGN §1: signed "in a few minutes on a tablet"): the whole round under 300 ms median.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from consent_forms import (  # noqa: E402
    ConsentSpec,
    Party,
    Signature,
    SigningRecord,
    check_drawn_signature,
    compose,
    content_hash,
    draft,
    fill,
    get_template,
    load_sealer,
    make_demo_certificate,
    render_final,
    seal,
    sign,
)
from letters.model import Reference, Sender  # noqa: E402


def _png() -> bytes:
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).line((20, 170, 200, 30, 380, 160, 580, 40), fill="black", width=5)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _archive(data: bytes, folder: Path) -> Path:
    """What portal/archive does: tmp file, fsync, rename, directory fsync."""
    import hashlib
    digest = hashlib.sha256(data).hexdigest()
    final = folder / digest[:2] / digest
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    dir_fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def one_round(spec: ConsentSpec, png: bytes, sender: Sender, reference: Reference, sealer: object,
              now: datetime, archive: Path) -> dict[str, float]:
    """One consent from texts to archived sealed PDF; returns milliseconds per step."""
    marks = [time.perf_counter()]
    texts = fill(get_template("2026-1", "nl"), spec)
    compose(spec, texts, sender, reference, dated_on=now.date())
    marks.append(time.perf_counter())
    digest = content_hash(spec, texts)
    client = Signature("client", "Cliënt A", "drawn", now, "known_to_team", digest,
                       image_png=check_drawn_signature(png))
    manager = Signature("case_manager", "Casemanager B", "drawn", now, "portal_login", digest,
                        user_id="u-17", image_png=check_drawn_signature(png))
    state = sign(draft(spec, digest), [client, manager], now)
    marks.append(time.perf_counter())
    record = SigningRecord(str(reference), "2026-1", digest, state.signatures, sender.organisation)
    pdf = render_final(spec, texts, state.signatures, record, sender, reference)
    marks.append(time.perf_counter())
    sealed = seal(pdf, sealer, reason="Toestemming", location="Nijmegen", signed_at=now)  # type: ignore[arg-type]
    marks.append(time.perf_counter())
    _archive(sealed, archive)
    marks.append(time.perf_counter())
    names = ("compose", "sign", "final", "seal", "archive")
    return {name: (marks[i + 1] - marks[i]) * 1000 for i, name in enumerate(names)}


def main(runs: int = 20) -> None:
    work = Path(tempfile.mkdtemp(prefix="consent-bench-"))
    cert, key = make_demo_certificate("GGD Gelderland-Zuid", work / "cert")
    sealer = load_sealer(cert, key)
    sender = Sender("GGD Gelderland-Zuid", department="STAP-team", address_lines=("Postbus 1120", "Nijmegen"))
    reference = Reference.parse("STAP/2026/0042")
    png = _png()
    spec = ConsentSpec("Cliënt A", (Party("ggd", "GGD Gelderland-Zuid"), Party("iriszorg", "IrisZorg")),
                       ("general", "housing", "addiction", "finances"), "Samen werken aan een veilige woonplek.",
                       date(2026, 3, 1), client_born_on=date(1990, 5, 17))
    now = datetime(2026, 3, 1, 13, 5, tzinfo=UTC)
    timings: dict[str, list[float]] = {k: [] for k in ("compose", "sign", "final", "seal", "archive")}
    for n in range(runs + 1):  # the first round warms fonts and imports and is dropped
        for name, ms in one_round(spec, png, sender, reference, sealer, now, work / "archive").items():
            if n:
                timings[name].append(ms)

    def line(name: str, values: list[float]) -> str:
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]
        return f"{name:<22} median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms"

    for name, values in timings.items():
        print(line(name, values))
    steps = list(zip(*timings.values(), strict=True))
    print(line("round with seal", [sum(s) for s in steps]))
    without = [sum(v for k, v in zip(timings, s, strict=True) if k != "seal") for s in steps]
    print(line("round without seal", without))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
