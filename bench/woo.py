"""Benchmark of the Woo domain code: detectors, PDF rebuild and the leak check.

Run: .venv/bin/python bench/woo.py [runs]
Prints the median (ms) per step for a letter-sized text (about 1,500 words) with 300 known names
and 300 special-category notes to match, a 20-page uploaded PDF rebuilt, and the leak check over
it. No Flask, no database: the portal adds one query per list and the letter renderer.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from woo import detect, leak  # noqa: E402
from woo.model import Span, redact_segments, withheld  # noqa: E402
from woo.pdf import OutPage, read_pages, write_pdf  # noqa: E402

PARA = ("Cliënte Roos wordt begeleid door casemanager Sanne Veldkamp (sanne@demo.invalid, 06-12345678). "
        "De woonplek aan de Voorbeeldstraat 12, 6511 AB Nijmegen kost € 1.150,00 per maand; BSN 123456782. "
        "Het project loopt volgens plan en de partners werken goed samen in de projectgroep. ")
TEXT = "\n\n".join([PARA] * 30)
NAMES = [f"Voornaam{i} Achternaam{i}" for i in range(298)] + ["Roos", "Sanne Veldkamp"]
PASSAGES = [f"Cliënte {i} gebruikt medicatie en heeft contact met de verslavingszorg over haar gebruik." * 2
            for i in range(300)]


def _timed(fn, runs: int) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def _pdf(pages: int) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    for _ in range(pages):
        for i, line in enumerate(PARA.split("; ")):
            c.drawString(40, 780 - 14 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def main(runs: int = 5) -> None:
    ms, found = _timed(lambda: detect.find_all(TEXT, names=NAMES, passages=PASSAGES), runs)
    print(f"detectors, {len(TEXT.split())} words, 300 names, 300 notes: {ms:8.1f} ms ({len(found)} findings)")
    data = _pdf(20)
    ms, pages = _timed(lambda: read_pages(data), runs)
    print(f"read 20-page PDF:                                {ms:8.1f} ms")
    segs = {p.segment: p.text for p in pages}
    spans = [Span(name, f.start, f.end, f.ground) for name, text in segs.items()
             for f in detect.find_all(text, names=NAMES)]
    red = redact_segments(segs, spans)
    ms, out = _timed(lambda: write_pdf([OutPage(red[p.segment]) for p in pages]), runs)
    print(f"rebuild 20-page PDF ({len(spans)} redactions):       {ms:8.1f} ms")
    secrets = withheld(segs, spans)
    ms, leaks = _timed(lambda: leak.find_leaks({"out.pdf": out}, secrets), runs)
    print(f"leak check of the rebuilt PDF:                   {ms:8.1f} ms ({len(leaks)} leaks)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
