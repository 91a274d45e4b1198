"""Text of uploaded PDF, DOCX and plain-text files for the index, within size and time limits.

A bad file (encrypted, malformed, a zip bomb, too big, too slow) yields ``skipped_reason`` and no
text; it never raises and never hangs the caller. Parsing runs in a worker thread that the caller
waits for at most ``timeout_s``; the worker also checks a deadline between pages and paragraphs, so
it stops soon after the caller has given up. (A single pathological page may keep that worker
busy until pypdf returns from it; pypdf's own decompression limits bound that work.)
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
MAX_BYTES = 20 * 1024 * 1024
MAX_CHARS = 1_000_000
#: Zip-bomb limits for DOCX: total unpacked size, compression ratio per member, number of members.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5_000

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="extract")


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """Extracted text, or an empty text and the reason the file was skipped."""

    text: str
    skipped_reason: str | None = None
    truncated: bool = False


class _DeadlineError(Exception):
    """The worker ran past its time limit."""


class _SkipError(Exception):
    """The file is unusable; the message says why (shown to operators, no file content)."""


def _skipped(reason: str) -> ExtractResult:
    return ExtractResult("", reason)


def _base_type(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def extract_text(data: bytes, media_type: str, *, max_bytes: int = MAX_BYTES, max_chars: int = MAX_CHARS,
                 timeout_s: float = 10.0) -> ExtractResult:
    """Plain text of ``data`` (PDF, DOCX or text/plain), at most ``max_chars`` characters."""
    if len(data) > max_bytes:
        return _skipped(f"file too large: {len(data)} bytes (limit {max_bytes})")
    kind = _base_type(media_type)
    parsers: dict[str, Callable[[bytes, float, int], str]] = {PDF: _pdf_text, DOCX: _docx_text, TEXT: _plain_text}
    parser = parsers.get(kind)
    if parser is None:
        return _skipped(f"unsupported media type: {kind or 'none'}")
    deadline = time.monotonic() + timeout_s
    future = _pool.submit(parser, data, deadline, max_chars)
    try:
        text = future.result(timeout=max(0.0, deadline - time.monotonic()) + 0.5)
    except (FutureTimeout, _DeadlineError):
        return _skipped(f"extraction took longer than {timeout_s:g} s")
    except _SkipError as exc:
        return _skipped(str(exc))
    except Exception as exc:  # a malformed file may make a parser fail in any way; never crash the upload
        return _skipped(f"unreadable {kind} file ({type(exc).__name__})")
    text = text.replace("\x00", "")
    if len(text) > max_chars:
        return ExtractResult(text[:max_chars], None, truncated=True)
    return ExtractResult(text)


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise _DeadlineError


def _plain_text(data: bytes, deadline: float, max_chars: int) -> str:
    return data.decode("utf-8", errors="replace")


def _pdf_text(data: bytes, deadline: float, max_chars: int) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5] == b"%PDF-":
        raise _SkipError("not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except PdfReadError as exc:
        raise _SkipError(f"malformed PDF ({exc.__class__.__name__})") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # missing crypto backend or broken encryption dictionary
            raise _SkipError("encrypted PDF") from exc
        if not opened:
            raise _SkipError("encrypted PDF")
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        _check(deadline)
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= max_chars:
            break
    return "\n".join(parts)


def _check_zip(data: bytes) -> zipfile.ZipFile:
    """Open a DOCX container after checking its directory for bomb-like sizes (nothing is unpacked)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _SkipError("malformed DOCX (not a zip file)") from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _SkipError(f"DOCX has too many parts ({len(members)})")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise _SkipError(f"DOCX unpacks to {total} bytes (limit {MAX_UNZIPPED_BYTES}): possible zip bomb")
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _SkipError(f"DOCX part {member.filename!r} is compressed {MAX_RATIO}x or more: possible zip bomb")
    if "word/document.xml" not in archive.namelist():
        raise _SkipError("malformed DOCX (no word/document.xml)")
    return archive


def _docx_text(data: bytes, deadline: float, max_chars: int) -> str:
    import docx

    _check_zip(data).close()
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types (KeyError, lxml errors) on broken files
        raise _SkipError(f"malformed DOCX ({exc.__class__.__name__})") from exc
    parts: list[str] = []
    size = 0
    for paragraph in document.paragraphs:
        _check(deadline)
        parts.append(paragraph.text)
        size += len(paragraph.text)
        if size >= max_chars:
            return "\n".join(parts)
    for table in document.tables:
        for row in table.rows:
            _check(deadline)
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)
