"""Inputs for consent tests: signature images, scans, form bodies."""

from __future__ import annotations

import base64
import io
from datetime import date, timedelta
from typing import Any

from PIL import Image, ImageDraw

from portal.demo import DEMO_PASSWORD

ORGS = ("GGD", "WI")
CATEGORIES = ("general", "housing")


def make_png(*, ink: bool = True, size: tuple[int, int] = (600, 200)) -> bytes:
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(img).line((20, size[1] - 30, size[0] // 2, 20, size[0] - 20, size[1] - 40), fill="black",
                                 width=5)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def make_pdf(text: str = "Getekend formulier") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(out, format="JPEG")
    return out.getvalue()


def make_encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt("geheim")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def compose_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"organisations": list(ORGS), "categories": list(CATEGORIES),
                            "purpose": "Samen werken aan wonen.", "ends_on": (date.today() + timedelta(days=365)
                                                                                ).isoformat(),
                            "language": "nl", "form_version": "2026-1", "client_name": "Cliënt Own",
                            "action": "save"}
    form.update(overrides)
    return form


def sign_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"method": "drawn", "signer_name": "Cliënt Own", "identification": "known_to_team",
                            "signature": data_url(make_png()), "password": DEMO_PASSWORD}
    form.update(overrides)
    return form
