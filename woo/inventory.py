"""The inventory list (inventarislijst) of a Woo decision, as CSV and PDF, and the export ZIP."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from letters.render_pdf import FONT, register_fonts
from woo.model import DECISION_LABELS, Decision

HEADER = ("Nr.", "Document", "Kenmerk", "Datum", "Beoordeling", "Weigeringsgronden", "Toelichting")


@dataclass(frozen=True)
class InventoryRow:
    number: int
    title: str
    reference: str
    dated_on: date | None
    decision: Decision
    grounds: tuple[str, ...] = ()
    remark: str = ""
    #: File name in the ZIP; '' when the document is not public.
    file_name: str = ""

    def cells(self) -> list[str]:
        return [str(self.number), self.title, self.reference, self.dated_on.isoformat() if self.dated_on else "",
                DECISION_LABELS[self.decision], ", ".join(self.grounds), self.remark]


def _safe_cell(value: str) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas (CSV injection)."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def to_csv(rows: Sequence[InventoryRow]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADER)
    for row in rows:
        w.writerow([_safe_cell(c) for c in row.cells()])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_pdf(rows: Sequence[InventoryRow], *, title: str, reference: str) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, invariant=1, title="", author="",
                            subject="", creator="")
    body = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName=FONT, fontSize=14, leading=18)
    data = [[Paragraph(escape(h), body) for h in HEADER]]
    data += [[Paragraph(escape(c), body) for c in row.cells()] for row in rows]
    table = Table(data, colWidths=[12 * mm, 70 * mm, 32 * mm, 22 * mm, 28 * mm, 40 * mm, 60 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), "#dddddd")]))
    story = [Paragraph(escape(f"Inventarislijst {reference}: {title}"), head), Spacer(1, 6 * mm), table]
    doc.build(story)
    return buf.getvalue()


def build_zip(files: Mapping[str, bytes]) -> bytes:
    """A ZIP with fixed timestamps (the same export gives the same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return buf.getvalue()
