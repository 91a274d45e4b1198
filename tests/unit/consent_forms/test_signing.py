"""consent_forms.signing: the content hash, drawn signatures, uploaded scans."""

from __future__ import annotations

import io
import struct
import unicodedata
import zlib
from collections.abc import Callable
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfWriter

from consent_forms import errors, signing
from consent_forms.model import ConsentSpec, DataCategory, Party
from consent_forms.texts import FilledTexts, fill, get_template


def _hash(spec: ConsentSpec) -> str:
    return signing.content_hash(spec, fill(get_template("2026-1", spec.language), spec))


def test_content_hash_is_stable(create_spec: Callable[..., ConsentSpec]) -> None:
    assert _hash(create_spec()) == _hash(create_spec())
    assert len(_hash(create_spec())) == 64


def test_content_hash_ignores_unicode_normal_form(create_spec: Callable[..., ConsentSpec]) -> None:
    decomposed = unicodedata.normalize("NFD", "Cliënt A")
    assert _hash(create_spec(client_name=decomposed)) == _hash(create_spec(client_name="Cliënt A"))


@pytest.mark.parametrize("overrides", [
    {"client_name": "Cliënt B"},
    {"client_born_on": date(1990, 5, 18)},
    {"client_born_on": None},
    {"parties": (Party("ggd", "GGD Gelderland-Zuid"),)},
    {"parties": (Party("ggd", "GGD Gelderland-Zuid"), Party("iriszorg", "IrisZorg Nijmegen"))},
    {"categories": (DataCategory.GENERAL, DataCategory.HOUSING)},
    {"categories": (DataCategory.GENERAL, DataCategory.HOUSING, DataCategory.JUSTICE)},
    {"purpose": "Samen werken aan een veilige woonplek en passende zorg!"},
    {"starts_on": date(2026, 3, 2)},
    {"ends_on": date(2027, 2, 28)},
    {"language": "en"},
])
def test_content_hash_changes_with_any_field(create_spec: Callable[..., ConsentSpec],
                                             overrides: dict[str, object]) -> None:
    assert _hash(create_spec(**overrides)) != _hash(create_spec())


def test_content_hash_changes_with_the_text(spec: ConsentSpec, texts: FilledTexts) -> None:
    from dataclasses import replace
    edited = replace(texts, letter_subject=texts.letter_subject + ".")
    assert signing.content_hash(spec, edited) != signing.content_hash(spec, texts)


def test_canonical_content_is_plain_json(spec: ConsentSpec, texts: FilledTexts) -> None:
    import json
    doc = json.loads(signing.canonical_content(spec, texts))
    assert doc["scheme"] == signing.HASH_SCHEME
    assert doc["consent"]["ends_on"] == "2027-03-01"


# --- drawn signatures ---------------------------------------------------------------------------


def test_drawn_signature_accepted_and_reencoded(png_factory: Callable[..., bytes]) -> None:
    original = png_factory()
    cleaned = signing.check_drawn_signature(original)
    with Image.open(io.BytesIO(cleaned)) as img:
        assert img.format == "PNG"
        assert img.mode == "RGBA"
        assert img.size == (400, 150)


def test_drawn_signature_metadata_is_dropped(png_factory: Callable[..., bytes]) -> None:
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    out = io.BytesIO()
    with Image.open(io.BytesIO(png_factory())) as img:
        img.save(out, format="PNG", pnginfo=info)
    assert b"script" not in signing.check_drawn_signature(out.getvalue())


@pytest.mark.parametrize("kwargs", [
    {},
    {"mode": "RGB", "background": (255, 255, 255)},
    {"mode": "RGB", "background": (0, 0, 0)},
], ids=["transparent", "white", "black"])
def test_blank_signature_refused(png_factory: Callable[..., bytes], kwargs: dict[str, object]) -> None:
    with pytest.raises(errors.EmptySignatureError) as exc:
        signing.check_drawn_signature(png_factory(ink=False, **kwargs))
    assert exc.value.field == "signature"


def test_single_dot_is_not_a_signature() -> None:
    img = Image.new("RGBA", (400, 150), (0, 0, 0, 0))
    img.putpixel((10, 10), (0, 0, 0, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    with pytest.raises(errors.EmptySignatureError):
        signing.check_drawn_signature(out.getvalue())


def test_white_signature_on_transparent_background_is_empty() -> None:
    # White ink on a transparent canvas shows nothing on paper.
    img = Image.new("RGBA", (400, 150), (0, 0, 0, 0))
    for x in range(50, 350):
        img.putpixel((x, 75), (255, 255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    with pytest.raises(errors.EmptySignatureError):
        signing.check_drawn_signature(out.getvalue())


@pytest.mark.parametrize("size", [(10, 10), (59, 150), (400, 19), (4001, 150), (400, 2001)])
def test_signature_dimensions_limited(png_factory: Callable[..., bytes], size: tuple[int, int]) -> None:
    with pytest.raises(errors.SignatureDimensionsError):
        signing.check_drawn_signature(png_factory(size))


def test_huge_signature_file_refused() -> None:
    with pytest.raises(errors.SignatureTooLargeError):
        signing.check_drawn_signature(signing.PNG_MAGIC + b"\0" * signing.MAX_SIGNATURE_BYTES)


@pytest.mark.parametrize("data", [b"", b"GIF89a....", b"%PDF-1.4\n", b"<svg/>", b"\xff\xd8\xff\xe0"])
def test_not_a_png_refused(data: bytes) -> None:
    with pytest.raises(errors.NotAPngError):
        signing.check_drawn_signature(data)


def test_truncated_png_refused(png_factory: Callable[..., bytes]) -> None:
    png = png_factory()
    with pytest.raises(errors.MalformedImageError):
        signing.check_drawn_signature(png[: len(png) // 2])


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels: enough for Pillow to open, never to decode."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return signing.PNG_MAGIC + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [10_000, 20_000])  # above Pillow's warning and its error threshold
def test_png_bomb_refused_before_decoding(side: int) -> None:
    with pytest.raises(errors.SignatureDimensionsError):
        signing.check_drawn_signature(_png_header_only(side, side))


# --- paper scans --------------------------------------------------------------------------------


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 180, 160)).save(out, format="JPEG", quality=80)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "media_type", "pages"), [
    ("pdf", "application/pdf", 2),
    ("jpeg", "image/jpeg", 1),
    ("png", "image/png", 1),
])
def test_scan_accepted_by_content(png_factory: Callable[..., bytes], pdf_factory: Callable[..., bytes],
                                  kind: str, media_type: str, pages: int) -> None:
    data = {"pdf": lambda: pdf_factory(pages=2), "jpeg": _jpeg, "png": png_factory}[kind]()
    result = signing.check_scan(data, "application/octet-stream")
    assert (result.media_type, result.pages, result.size_bytes) == (media_type, pages, len(data))
    assert result.sha256 == signing.sha256_hex(data)
    assert not result.declared_type_matches


def test_png_named_scan_that_is_a_pdf_is_checked_as_pdf(pdf_factory: Callable[..., bytes]) -> None:
    result = signing.check_scan(pdf_factory(), "image/png")
    assert result.media_type == "application/pdf"
    assert result.declared_media_type == "image/png"
    assert not result.declared_type_matches


def test_encrypted_pdf_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="geheim", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(errors.EncryptedPdfError) as exc:
        signing.check_scan(out.getvalue(), "application/pdf")
    assert exc.value.field == "scan"


def test_truncated_jpeg_refused() -> None:
    jpeg = _jpeg()
    with pytest.raises(errors.MalformedScanError):
        signing.check_scan(jpeg[: len(jpeg) // 2], "image/jpeg")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n garbage", b"%PDF-"])
def test_malformed_pdf_refused(data: bytes) -> None:
    with pytest.raises(errors.MalformedScanError):
        signing.check_scan(data)


@pytest.mark.parametrize("data", [b"GIF89a", b"PK\x03\x04docx", b"hello", b"\x00" * 10])
def test_unsupported_scan_type_refused(data: bytes) -> None:
    with pytest.raises(errors.UnsupportedScanTypeError):
        signing.check_scan(data, "image/png")


def test_empty_and_oversized_scans_refused() -> None:
    with pytest.raises(errors.EmptyScanError):
        signing.check_scan(b"")
    with pytest.raises(errors.ScanTooLargeError):
        signing.check_scan(b"%PDF-" + b"\0" * signing.MAX_SCAN_BYTES)


@pytest.mark.parametrize("side", [10_000, 20_000])  # above Pillow's warning and its error threshold
def test_scan_image_bomb_refused(side: int) -> None:
    with pytest.raises(errors.ScanTooLargeError):
        signing.check_scan(_png_header_only(side, side))
