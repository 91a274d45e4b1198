"""Fixtures for the consent domain: specs, texts, signatures, a seal certificate. No app, no DB."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from consent_forms import sealing
from consent_forms.model import (
    ConsentSpec,
    DataCategory,
    Party,
    Signature,
    SignatureMethod,
    SignerIdentification,
    SignerRole,
)
from consent_forms.texts import FilledTexts, default_templates, fill
from letters.model import Reference, Sender

STARTS_ON = date(2026, 3, 1)
SIGNED_AT = datetime(2026, 3, 1, 13, 5, tzinfo=UTC)


@pytest.fixture
def create_spec() -> Callable[..., ConsentSpec]:
    def create(**overrides: Any) -> ConsentSpec:
        fields: dict[str, Any] = {
            "client_name": "Cliënt A",
            "parties": (Party("ggd", "GGD Gelderland-Zuid"), Party("iriszorg", "IrisZorg")),
            "categories": (DataCategory.GENERAL, DataCategory.HOUSING, DataCategory.ADDICTION),
            "purpose": "Samen werken aan een veilige woonplek en passende zorg.",
            "starts_on": STARTS_ON,
            "client_born_on": date(1990, 5, 17),
        }
        fields.update(overrides)
        return ConsentSpec(**fields)

    return create


@pytest.fixture
def spec(create_spec: Callable[..., ConsentSpec]) -> ConsentSpec:
    return create_spec()


@pytest.fixture
def texts(spec: ConsentSpec) -> FilledTexts:
    return fill(default_templates()[("2026-1", spec.language)], spec)


@pytest.fixture
def sender() -> Sender:
    return Sender("GGD Gelderland-Zuid", department="STAP-team", address_lines=("Postbus 1120", "6501 BC Nijmegen"))


@pytest.fixture
def reference() -> Reference:
    return Reference.parse("STAP/2026/0042")


def make_png(size: tuple[int, int] = (400, 150), *, ink: bool = True, mode: str = "RGBA",
             background: tuple[int, ...] = (0, 0, 0, 0)) -> bytes:
    img = Image.new(mode, size, background if mode == "RGBA" else background[:3])
    if ink:
        draw = ImageDraw.Draw(img)
        draw.line((20, size[1] - 30, size[0] // 2, 20, size[0] - 20, size[1] - 40), fill="black", width=4)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def png_factory() -> Callable[..., bytes]:
    """`make_png` as a fixture: test modules cannot import from conftest (no packages under tests)."""
    return make_png


@pytest.fixture
def pdf_factory() -> Callable[..., bytes]:
    return make_pdf


@pytest.fixture
def signature_png() -> bytes:
    return make_png()


@pytest.fixture
def create_signature(signature_png: bytes) -> Callable[..., Signature]:
    def create(role: SignerRole, content_sha256: str, **overrides: Any) -> Signature:
        client = role is SignerRole.CLIENT
        fields: dict[str, Any] = {
            "role": role,
            "signer_name": "Cliënt A" if client else "Casemanager B",
            "method": SignatureMethod.DRAWN,
            "signed_at": SIGNED_AT,
            "identification": SignerIdentification.KNOWN_TO_TEAM if client else SignerIdentification.PORTAL_LOGIN,
            "content_sha256": content_sha256,
            "user_id": None if client else "u-17",
            "image_png": signature_png,
        }
        fields.update(overrides)
        return Signature(**fields)

    return create


def make_pdf(text: str = "Hallo wereld", pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True)
    for n in range(pages):
        c.drawString(72, 720, f"{text} {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="session")
def seal_material(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One demo certificate for the whole session: (cert_path, key_path)."""
    return sealing.make_demo_certificate("GGD Gelderland-Zuid", tmp_path_factory.mktemp("seal"))


@pytest.fixture(scope="session")
def other_seal_material(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A second self-signed certificate with the same name: must not be trusted in place of the first."""
    return sealing.make_demo_certificate("GGD Gelderland-Zuid", tmp_path_factory.mktemp("other"))


@pytest.fixture(scope="session")
def sealed_pdf(seal_material: tuple[Path, Path]) -> bytes:
    sealer = sealing.load_sealer(*seal_material)
    return sealing.seal(make_pdf(), sealer, reason="Toestemming STAP/2026/0042", location="Nijmegen",
                        signed_at=SIGNED_AT)
