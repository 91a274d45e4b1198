"""Read the text of an uploaded DOCX (e.g. a council letter edited in Word), defensively.

An upload is hostile until proven otherwise. Before anything is decompressed the zip directory
is checked: total declared size, compression ratio per entry, number of entries, encryption.
Python's zipfile never inflates an entry beyond its declared size (it stops and fails the CRC),
so checking the declared sizes bounds the memory used. The XML is parsed by python-docx, whose
parser does not resolve entities.

The text follows `letters.text.document_text` conventions (a line per paragraph, table rows as
tab-separated cells, bullets as '• '), so the text of a DOCX we rendered compares equal,
whitespace aside, to the canonical text of its document.
"""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from letters.errors import MalformedDocxError
from letters.text import BULLET

MB = 1024 * 1024
#: Above this ratio a large entry is treated as a zip bomb (XML compresses ~10-30x).
MAX_RATIO = 200
#: Entries smaller than this may have any ratio: they cannot hurt.
_RATIO_FLOOR = 1 * MB
MAX_ENTRIES = 5000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


class DocxProblem(StrEnum):
    """Why an upload was refused; the portal maps each to a message (and TOO_LARGE to 413)."""

    TOO_LARGE = "too_large"
    NOT_ZIP = "not_zip"
    ENCRYPTED = "encrypted"
    LEGACY_DOC = "legacy_doc"
    ZIP_BOMB = "zip_bomb"
    NOT_DOCX = "not_docx"
    MALFORMED = "malformed"


def extract_docx_text(data: bytes, *, max_bytes: int = 20 * MB, max_uncompressed: int = 100 * MB) -> str:
    """The body text of a DOCX upload: paragraphs and table rows in document order.

    Headers, footers, comments and deleted (tracked) text are left out; inserted text is kept.

    :raise MalformedDocxError: with ``reason`` a `DocxProblem`, if the upload is larger than
        `max_bytes`, not a zip, password-protected, a legacy .doc, a zip bomb (declared size
        above `max_uncompressed`, too many entries, or a suspicious compression ratio), not a
        Word document, or unreadable.
    """
    if len(data) > max_bytes:
        raise MalformedDocxError(f"file is larger than {max_bytes // MB} MB", reason=DocxProblem.TOO_LARGE)
    if data.startswith(_OLE_MAGIC):
        # Word saves password-protected DOCX files as an OLE container with an encrypted package.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise MalformedDocxError("document is password-protected", reason=DocxProblem.ENCRYPTED)
        raise MalformedDocxError("legacy .doc file; save it as .docx", reason=DocxProblem.LEGACY_DOC)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise MalformedDocxError("not a DOCX file (not a zip archive)", reason=DocxProblem.NOT_ZIP) from exc
    with archive:
        _check_directory(archive.infolist(), max_uncompressed)
        if "[Content_Types].xml" not in archive.namelist():
            raise MalformedDocxError("not a Word document (a zip of other files)", reason=DocxProblem.NOT_DOCX)
        try:
            document = docx.Document(io.BytesIO(data))
        except PackageNotFoundError as exc:
            raise MalformedDocxError("not a Word document", reason=DocxProblem.NOT_DOCX) from exc
        except ValueError as exc:  # python-docx: wrong main content type (.xlsx, .docm, ...)
            raise MalformedDocxError(f"not a Word document: {exc}", reason=DocxProblem.NOT_DOCX) from exc
        except (KeyError, AttributeError, TypeError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError,
                EOFError) as exc:
            # AttributeError/TypeError: python-docx meeting parts without the expected OPC namespaces.
            raise MalformedDocxError("damaged DOCX file", reason=DocxProblem.MALFORMED) from exc
    return "\n".join(_body_lines(document.element.body))


def _check_directory(entries: list[zipfile.ZipInfo], max_uncompressed: int) -> None:
    if len(entries) > MAX_ENTRIES:
        raise MalformedDocxError("archive has too many entries", reason=DocxProblem.ZIP_BOMB)
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise MalformedDocxError("document is encrypted", reason=DocxProblem.ENCRYPTED)
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise MalformedDocxError(f"suspicious compression ratio in {info.filename!r}",
                                     reason=DocxProblem.ZIP_BOMB)
    if total > max_uncompressed:
        raise MalformedDocxError(f"unpacks to more than {max_uncompressed // MB} MB", reason=DocxProblem.ZIP_BOMB)


def _body_lines(body: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in body:
        if child.tag == qn("w:p"):
            lines.append(_paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_lines(child))
        elif child.tag == qn("w:sdt"):  # content controls wrap ordinary body content
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                lines.extend(_body_lines(content))
    return [line for line in lines if line.strip()]


def _table_lines(tbl: etree._Element) -> list[str]:
    lines = []
    for tr in tbl.iterchildren(qn("w:tr")):
        cells = []
        for tc in tr.iterchildren(qn("w:tc")):
            cells.append(" ".join(_paragraph_text(p) for p in tc.iterchildren(qn("w:p"))).strip())
        lines.append("\t".join(cells))
    return lines


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if any(a.tag == _MC_FALLBACK for a in el.iterancestors()):
            continue  # the VML fallback repeats the text of a text box
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            # A w:tab inside w:tabs (pPr) is a tab stop, not a tab character.
            if el.getparent() is not None and el.getparent().tag != qn("w:tabs"):
                parts.append("\t")
        else:
            parts.append("\n")
    text = "".join(parts)
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is not None and (style.get(qn("w:val")) or "").startswith("ListBullet"):
        text = f"{BULLET} {text}"
    return text
