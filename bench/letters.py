"""Time rendering a ~6-page council briefing (with a table and a chart) to PDF and DOCX.

Run: .venv/bin/python bench/letters.py [runs]
Prints median and p95 per format, with the chart drawn each time ("cold") and taken from the
chart cache ("warm", as when the PDF and DOCX of one document are made together), plus the median
CPU time of this process: on a shared machine wall time includes waiting for a core, CPU time not.
No assertions: speed is measured here, never in tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from letters import charts  # noqa: E402
from letters.council_briefing import CouncilBriefing, build  # noqa: E402
from letters.figures import count_table, zrm_comparison  # noqa: E402
from letters.model import Document, Reference, Sender  # noqa: E402
from letters.render_docx import render_docx  # noqa: E402
from letters.render_pdf import render_pdf  # noqa: E402

PARAGRAPH = (
    "Het STAP-team heeft per augustus 2021 zorg geboden aan alle straatsekswerkers in Nijmegen. Samen met "
    "politie, handhaving en de projectleiding is geïnventariseerd welke straatsekswerkers op de tippelzone "
    "actief zijn en welke daarbuiten. Vervolgens is met iedereen contact gezocht en is de zorg gestart; daarbij "
    "zijn soms de grenzen bereikt van wat haalbaar is in de ondersteuning."
)


def briefing() -> Document:
    section = "\n\n".join([PARAGRAPH] * 8)
    table = count_table("Vrouwen in beeld bij het STAP-team", {
        "Met vergunning, regelmatig op de zone": 10, "Met vergunning, zelden op de zone": 4,
        "Niet (meer) op de zone": 6, "Uitgestapt": 3,
    })
    first = {code: [1, 2, 2, 3, 2, 1] for code in ("finances", "housing", "mental_health", "substance_use",
                                                  "social_network", "justice")}
    latest = {code: [2, 3, 3, 3, 2, 2] for code in first}
    zrm_table, zrm_chart = zrm_comparison(first, latest)
    fields = CouncilBriefing(
        evaluation_and_explanation=section + "\n\n- Casemanagement werkt\n- Wonen en zorg blijven knelpunten",
        legal_background=section,
        topics_for_discussion=section,
        decisions_requested="\n\n".join([PARAGRAPH] * 3),
        next_steps=section,
        figures=(table, zrm_table, zrm_chart),
        signed_by=("Burgemeester en wethouders van Nijmegen",),
    )
    sender = Sender("Gemeente Nijmegen", "Maatschappelijke Ondersteuning", ("Postbus 9105", "6500 HG Nijmegen"),
                    phone="14 024", email="gemeente@nijmegen.nl", colour="#C00000")
    return build(fields, sender=sender, subject="Evaluatie zorgaanpak straatsekswerkers",
                 reference=Reference.parse("RIB/2026/0007"), dated_on=date(2026, 3, 3),
                 footer_note="Openbaar")


def measure(render: Callable[[Document], bytes], doc: Document, runs: int, *,
            cold: bool) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per run."""
    wall, cpu = [], []
    for _ in range(runs):
        if cold:
            charts._cached_png.cache_clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        render(doc)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    doc = briefing()
    import io

    from pypdf import PdfReader  # only to report the page count

    pages = len(PdfReader(io.BytesIO(render_pdf(doc))).pages)
    render_docx(doc)  # warm up imports and fonts
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"council briefing: {pages} pages, {len(doc.blocks)} blocks, {runs} runs per row")
    for name, render in (("PDF", render_pdf), ("DOCX", render_docx)):
        for cold in (True, False):
            wall, cpu = measure(render, doc, runs, cold=cold)
            times = sorted(wall)
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            label = "chart drawn" if cold else "chart cached"
            print(f"{name:4} ({label:12}): median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
                  f"CPU median {statistics.median(cpu):6.1f} ms")


if __name__ == "__main__":
    main()
