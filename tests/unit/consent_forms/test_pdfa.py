"""consent_forms.pdfa: PDF/A-2b metadata and output intent survive sealing."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from consent_forms import errors, sealing
from consent_forms.pdfa import make_pdfa


def test_pdfa_metadata_added_and_sealable(pdf_factory: Callable[..., bytes], seal_material: tuple[Path, Path]) -> None:
    out = make_pdfa(pdf_factory(), title="Toestemmingsformulier", author="GGD", subject="STAP/2026/0042",
                    created_at=datetime(2026, 3, 1, 13, tzinfo=UTC), file_id=b"\x01" * 16)
    reader = PdfReader(io.BytesIO(out))
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>2</pdfaid:part>" in xmp
    assert b"2026-03-01T13:00:00Z" in xmp
    assert reader.metadata is not None
    assert reader.metadata.title == "Toestemmingsformulier"
    assert "/Keywords" not in reader.metadata
    sealed = sealing.seal(out, sealing.load_sealer(*seal_material), reason="x", location="y")
    assert sealing.verify(sealed, seal_material[0].read_bytes()).ok


def test_pdfa_refuses_non_pdf() -> None:
    with pytest.raises(errors.InvalidPdfError):
        make_pdfa(b"nope", title="t", author="a", subject="s", created_at=datetime(2026, 3, 1, tzinfo=UTC))
