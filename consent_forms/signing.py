"""What is signed and with what: the content hash, drawn signatures and paper scans.

The content hash is taken over a canonical serialisation of the texts the client reads and the
details she agrees to, not over PDF bytes, so re-rendering (another renderer version, DOCX
instead of PDF) yields the same hash as long as the words are the same.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from consent_forms import errors
from consent_forms.model import ConsentSpec
from consent_forms.texts import FilledTexts, TextBlock

#: Version tag of the canonical serialisation; change it only together with the format.
HASH_SCHEME = "stap-consent-content/1"

MAX_SIGNATURE_BYTES = 512 * 1024
MIN_SIGNATURE_SIZE = (60, 20)
MAX_SIGNATURE_SIZE = (4000, 2000)
#: A signature must differ from its background in at least this many pixels (not a stray tap).
MIN_INK_PIXELS = 25

MAX_SCAN_BYTES = 20 * 1024 * 1024
MAX_SCAN_PIXELS = 60_000_000
MAX_SCAN_PAGES = 50

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"
_IMAGE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError)
_BOMBS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


@contextmanager
def _no_bombs() -> Iterator[None]:
    """Make Pillow's decompression-bomb *warning* an error too, so a huge image is refused, not decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _blocks(blocks: tuple[TextBlock, ...]) -> list[dict[str, Any]]:
    return [{"kind": b.kind, "items": [_nfc(i) for i in b.items]} for b in blocks]


def canonical_content(spec: ConsentSpec, texts: FilledTexts) -> bytes:
    """The bytes `content_hash` is taken over: sorted-key JSON in UTF-8 of every visible word."""
    doc = {
        "scheme": HASH_SCHEME,
        "form_version": texts.form_version,
        "language": str(texts.language),
        "consent": {
            "client_name": _nfc(spec.client_name),
            "client_born_on": spec.client_born_on.isoformat() if spec.client_born_on else None,
            "parties": [[p.organisation_id, _nfc(p.name)] for p in spec.parties],
            "categories": [str(c) for c in spec.categories],
            "purpose": _nfc(spec.purpose),
            "starts_on": spec.starts_on.isoformat(),
            "ends_on": spec.valid_until_on.isoformat(),
            "language": str(spec.language),
            "form_version": spec.form_version,
        },
        "letter": {"subject": _nfc(texts.letter_subject), "blocks": _blocks(texts.letter_blocks)},
        "form": {"title": _nfc(texts.form_title), "blocks": _blocks(texts.consent_blocks)},
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash(spec: ConsentSpec, texts: FilledTexts) -> str:
    """SHA-256 (hex) of exactly what the client reads and signs: the letter, the form and her details."""
    return sha256_hex(canonical_content(spec, texts))


def check_drawn_signature(png: bytes) -> bytes:
    """Validate a signature drawn on the tablet and return it re-encoded as a clean RGBA PNG.

    Re-encoding drops any metadata chunks the browser or an attacker put in the file.

    :raise SignatureTooLargeError: more than `MAX_SIGNATURE_BYTES`.
    :raise NotAPngError: the bytes do not start with the PNG signature.
    :raise MalformedImageError: the PNG cannot be decoded.
    :raise SignatureDimensionsError: smaller than `MIN_SIGNATURE_SIZE` or larger than `MAX_SIGNATURE_SIZE`.
    :raise EmptySignatureError: all pixels transparent, all one colour, or hardly any ink.
    """
    if len(png) > MAX_SIGNATURE_BYTES:
        raise errors.SignatureTooLargeError(field="signature")
    if not png.startswith(PNG_MAGIC):
        raise errors.NotAPngError(field="signature")
    try:
        with _no_bombs(), Image.open(io.BytesIO(png), formats=["PNG"]) as img:
            width, height = img.size
            if not (MIN_SIGNATURE_SIZE[0] <= width <= MAX_SIGNATURE_SIZE[0]
                    and MIN_SIGNATURE_SIZE[1] <= height <= MAX_SIGNATURE_SIZE[1]):
                raise errors.SignatureDimensionsError(
                    f"signature is {width}x{height} pixels; allowed {MIN_SIGNATURE_SIZE} to {MAX_SIGNATURE_SIZE}",
                    field="signature")
            rgba = img.convert("RGBA")
    except _BOMBS:
        raise errors.SignatureDimensionsError("the signature has far too many pixels", field="signature") from None
    except _IMAGE_ERRORS:
        raise errors.MalformedImageError(field="signature") from None
    if _ink_pixels(rgba) < MIN_INK_PIXELS:
        raise errors.EmptySignatureError(field="signature")
    out = io.BytesIO()
    rgba.save(out, format="PNG", compress_level=1)  # archived once, decoded often: speed over size
    return out.getvalue()


def _ink_pixels(rgba: Image.Image) -> int:
    """Number of visible pixels that differ from the most common visible colour."""
    alpha = rgba.getchannel("A")
    if alpha.getextrema()[1] == 0:
        return 0  # fully transparent
    # Flatten on white so a transparent background and a white one count the same.
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=alpha)
    grey = flat.convert("L")
    histogram = grey.histogram()
    background = max(range(256), key=histogram.__getitem__)
    return sum(count for level, count in enumerate(histogram) if abs(level - background) > 32)


@dataclass(frozen=True)
class ScanCheck:
    """The outcome of checking an uploaded scan of a paper consent."""

    #: The type found by reading the bytes: application/pdf, image/jpeg or image/png.
    media_type: str
    sha256: str
    size_bytes: int
    #: Pages in a PDF; 1 for an image.
    pages: int
    #: What the browser claimed; kept for the log, never used to decide.
    declared_media_type: str | None

    @property
    def declared_type_matches(self) -> bool:
        return self.declared_media_type is None or self.declared_media_type.lower() == self.media_type


def sniff_media_type(data: bytes) -> str | None:
    """The media type the leading bytes show, or None when it is none of PDF, JPEG, PNG."""
    if data.startswith(PDF_MAGIC):
        return "application/pdf"
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if data.startswith(PNG_MAGIC):
        return "image/png"
    return None


def check_scan(data: bytes, media_type: str | None = None) -> ScanCheck:
    """Check an uploaded scan of a consent signed on paper, trusting only its bytes.

    The file name and `media_type` (the browser's claim) do not decide anything: a ``.png`` that
    holds a PDF is checked as a PDF.

    :raise EmptyScanError: no bytes.
    :raise ScanTooLargeError: more than `MAX_SCAN_BYTES`, pixels or pages.
    :raise UnsupportedScanTypeError: not a PDF, JPEG or PNG.
    :raise EncryptedPdfError: a password-protected or encrypted PDF.
    :raise MalformedScanError: the file cannot be read completely.
    """
    if not data:
        raise errors.EmptyScanError(field="scan")
    if len(data) > MAX_SCAN_BYTES:
        raise errors.ScanTooLargeError(f"the scan is larger than {MAX_SCAN_BYTES // (1024 * 1024)} MB", field="scan")
    sniffed = sniff_media_type(data)
    if sniffed is None:
        raise errors.UnsupportedScanTypeError(field="scan")
    pages = _check_pdf(data) if sniffed == "application/pdf" else _check_image(data, sniffed)
    return ScanCheck(sniffed, sha256_hex(data), len(data), pages, media_type)


def _check_pdf(data: bytes) -> int:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise errors.EncryptedPdfError(field="scan")
        pages = len(reader.pages)
        _refuse_active_content(reader)
    except errors.ConsentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise errors.MalformedScanError("the PDF cannot be read", field="scan") from None
    if pages == 0:
        raise errors.MalformedScanError("the PDF has no pages", field="scan")
    if pages > MAX_SCAN_PAGES:
        raise errors.ScanTooLargeError(f"the PDF has more than {MAX_SCAN_PAGES} pages", field="scan")
    return pages


#: PDF names that make a file do something when opened or clicked, or carry other files. A scanner
#: never writes them; a PDF that has them is refused rather than archived and handed to others.
ACTIVE_PDF_NAMES = frozenset({"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
                              "/XFA", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"})
#: Objects visited at most while looking for them; more is not a scan (and bounds the work).
MAX_PDF_OBJECTS = 100_000


def _refuse_active_content(reader: PdfReader) -> None:
    """Walk every object reachable from the trailer (each indirect object once, so reference loops end).

    :raise ActiveContentPdfError: a name in `ACTIVE_PDF_NAMES` is a key or a value.
    :raise MalformedScanError: more than `MAX_PDF_OBJECTS` objects.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    todo: list[Any] = [reader.trailer]
    visited = 0
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise errors.MalformedScanError("the PDF has too many objects", field="scan")
        if isinstance(obj, DictionaryObject):  # also a stream's dictionary; its data is not inspected
            for name, value in obj.items():
                if name in ACTIVE_PDF_NAMES or (isinstance(value, NameObject) and value in ACTIVE_PDF_NAMES):
                    raise errors.ActiveContentPdfError(field="scan")
                todo.append(value)
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)


def _check_image(data: bytes, media_type: str) -> int:
    fmt = "JPEG" if media_type == "image/jpeg" else "PNG"
    try:
        with _no_bombs(), Image.open(io.BytesIO(data), formats=[fmt]) as img:
            width, height = img.size
            if width * height > MAX_SCAN_PIXELS:
                raise errors.ScanTooLargeError("the image has too many pixels", field="scan")
            img.load()  # decodes everything: a truncated file fails here
    except errors.ConsentError:
        raise
    except _BOMBS:
        raise errors.ScanTooLargeError("the image has too many pixels", field="scan") from None
    except _IMAGE_ERRORS:
        raise errors.MalformedScanError("the image is damaged or incomplete", field="scan") from None
    return 1
