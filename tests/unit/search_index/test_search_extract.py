"""extract_text on real good and bad files: a bad file gives a reason, never an exception or a hang."""

from __future__ import annotations

import io
import time
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from search_index.extract import DOCX, PDF, extract_text


def make_pdf(*lines: str) -> bytes:
    """A minimal valid one-page PDF showing ``lines`` (built by hand, with a correct xref table)."""
    text = " ".join(f"({line}) Tj 0 -14 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "tabelcel"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_pdf_text():
    result = extract_text(make_pdf("Gesprek over de woning", "met de huisarts"), PDF)
    assert result.skipped_reason is None
    assert "woning" in result.text
    assert "huisarts" in result.text


def test_docx_text_includes_tables():
    result = extract_text(make_docx("Plan van aanpak", "schuldhulp"), DOCX)
    assert result.skipped_reason is None
    assert "schuldhulp" in result.text
    assert "tabelcel" in result.text


def test_plain_text_with_charset_and_bad_bytes():
    result = extract_text("cliënt\x00 woning".encode() + b"\xff", "text/plain; charset=utf-8")
    assert result.text.startswith("cliënt woning")
    assert result.skipped_reason is None


def test_encrypted_pdf_is_skipped():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("geheim"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = extract_text(buffer.getvalue(), PDF)
    assert result.text == ""
    assert result.skipped_reason == "encrypted PDF"


@pytest.mark.parametrize("data", [
    make_pdf("woning")[:120],  # truncated
    b"%PDF-1.7\n" + b"\x00garbage" * 100,
    b"not a pdf at all",
    b"",
])
def test_malformed_pdf_is_skipped(data):
    result = extract_text(data, PDF)
    assert result.text == ""
    assert result.skipped_reason


@pytest.mark.parametrize("data", [make_docx("woning")[:300], b"PK\x03\x04broken", b"plain text"])
def test_malformed_docx_is_skipped(data):
    result = extract_text(data, DOCX)
    assert result.text == ""
    assert result.skipped_reason


def test_docx_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 50_000_000 + b"</w:document>")
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    started = time.monotonic()
    result = extract_text(data, DOCX)
    assert result.text == ""
    assert "zip bomb" in (result.skipped_reason or "")
    assert time.monotonic() - started < 2


def test_oversize_file_is_skipped():
    result = extract_text(b"x" * 2000, "text/plain", max_bytes=1000)
    assert result.text == ""
    assert "too large" in (result.skipped_reason or "")


def test_unsupported_type_is_skipped():
    assert extract_text(b"GIF89a", "image/gif").skipped_reason == "unsupported media type: image/gif"


def test_long_text_is_truncated():
    result = extract_text(b"woning " * 1000, "text/plain", max_chars=100)
    assert len(result.text) == 100
    assert result.truncated


def test_time_limit_is_enforced():
    pages = make_pdf(*["woning"] * 5)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pages)))
    for _ in range(400):
        writer.add_page(writer.pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    started = time.monotonic()
    result = extract_text(buffer.getvalue(), PDF, timeout_s=0.01)
    assert time.monotonic() - started < 2
    assert result.text == ""
    assert "longer than" in (result.skipped_reason or "")
