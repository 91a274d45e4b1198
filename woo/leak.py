"""The leak check: extract the text of every exported file; fail if a withheld string is still there.

Run on the finished files, just before the ZIP is released (fail closed). Matching is
case-insensitive and tolerant of line breaks and lost spaces (PDF text extraction rewraps), with
word boundaries at the ends so that a withheld 'Jan' does not trip on 'januari'. PDFs are also
checked for the parts that hide text: annotations, forms, attachments, JavaScript, XMP
metadata and incremental updates.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterable, Mapping

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from woo.errors import LeakError

_UNSAFE_ROOT = ("/AcroForm", "/OpenAction", "/AA", "/Metadata")


def _pdf_text(data: bytes) -> tuple[str, list[str]]:
    problems: list[str] = []
    if data.count(b"%%EOF") > 1:
        problems.append("incremental update (earlier revision) present")
    try:
        reader = PdfReader(io.BytesIO(data))
        parts = [page.extract_text() or "" for page in reader.pages]
        root = reader.trailer["/Root"]
        problems += [f"PDF has {key}" for key in _UNSAFE_ROOT if key in root]
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            problems += [f"PDF has {key}" for key in ("/EmbeddedFiles", "/JavaScript") if key in names]
        if any("/Annots" in page for page in reader.pages):
            problems.append("PDF has annotations")
        meta = reader.metadata or {}
        parts += [str(v) for v in meta.values()]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        return "", [f"PDF cannot be read for checking ({type(exc).__name__})"]
    return "\n".join(parts), problems


def _docx_text(data: bytes) -> tuple[str, list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = [z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels"))]
    except (zipfile.BadZipFile, OSError) as exc:
        return "", [f"DOCX cannot be read for checking ({type(exc).__name__})"]
    text = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>|<w:br/>|<w:tab/>", "\n", "\n".join(xml)))
    return html.unescape(text), []


def extract(name: str, data: bytes) -> tuple[str, list[str]]:
    """(text, structural problems) of one exported file; unknown types are read as UTF-8 text."""
    lower = name.lower()
    if lower.endswith(".pdf"):
        return _pdf_text(data)
    if lower.endswith(".docx"):
        return _docx_text(data)
    return data.decode("utf-8", "replace"), []


def _pattern(secret: str) -> tuple[list[str], re.Pattern[str]] | None:
    words = secret.casefold().split()
    if not words:
        return None
    body = r"\s*".join(re.escape(w) for w in words)
    left = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    right = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return words, re.compile(left + body + right)


def find_leaks(files: Mapping[str, bytes], withheld: Iterable[str]) -> list[tuple[str, str]]:
    """(file name, problem) for each file that still holds a withheld string or an unsafe PDF part."""
    patterns = [p for p in (_pattern(s) for s in set(withheld)) if p is not None]
    leaks: list[tuple[str, str]] = []
    for name, data in files.items():
        text, problems = extract(name, data)
        leaks += [(name, p) for p in problems]
        folded = " ".join(text.casefold().split())
        # Every word must occur for the pattern to match; checking that first skips most regex work.
        hits = sum(1 for words, p in patterns if all(w in folded for w in words) and p.search(folded))
        if hits:
            leaks.append((name, f"{hits} withheld string(s) found"))
    return leaks


def check(files: Mapping[str, bytes], withheld: Iterable[str]) -> None:
    """:raise LeakError: if any file leaks; the withheld strings themselves are never in the error."""
    leaks = find_leaks(files, withheld)
    if leaks:
        raise LeakError(leaks)
