"""The canonical plain text of a document's body, shared by both renderers.

`document_text` is what the PDF and the DOCX must both contain, in order: the search index
stores it, the version history diffs it, and the tests compare both renderings against it.
Letterhead, headers, footers and page numbers are not part of it.

Conventions: one line per heading, paragraph line, bullet ('• item'), key/value pair and table
row (cells separated by a tab); table captions follow their table, a chart is represented by
its title, an image by its caption. Blocks are separated by a blank line.
"""

from __future__ import annotations

import re

from letters.model import (
    Block,
    BulletList,
    Chart,
    Document,
    Heading,
    Image,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
)

BULLET = "•"

# Characters that XML 1.0 (and so DOCX) cannot hold, plus other C0/C1 controls that would only
# confuse a reader. Tab and newline are kept.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text as both renderers draw it: invalid control characters removed, CR/LF unified.

    Renderers call this on every string they draw, so what a user typed can never break the
    XML of a DOCX or the markup of a PDF paragraph.
    """
    return _INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def block_lines(block: Block) -> list[str]:
    """The canonical text lines of one block (empty for a page break or uncaptioned image)."""
    match block:
        case Heading(text=text):
            return [clean_text(text).replace("\n", " ")]
        case Paragraph(text=text):
            return clean_text(text).split("\n")
        case BulletList(items=items):
            return [f"{BULLET} {clean_text(item)}" for item in items]
        case KeyValue(pairs=pairs):
            return [f"{clean_text(k)}\t{clean_text(v)}" for k, v in pairs]
        case Table():
            rows = (block.columns, *block.rows, *block.footer_rows)
            lines = ["\t".join(clean_text(cell) for cell in row) for row in rows]
            return lines + ([clean_text(block.caption)] if block.caption else [])
        case Chart(title=title):
            return [clean_text(title)] if title else []
        case Image(caption=caption):
            return [clean_text(caption)] if caption else []
        case PageBreak():
            return []
    raise TypeError(f"unknown block type: {type(block).__name__}")


def document_text(doc: Document) -> str:
    """The canonical plain text of the body blocks of `doc` (see the module docstring)."""
    chunks = ["\n".join(lines) for lines in map(block_lines, doc.blocks) if lines]
    return "\n\n".join(chunks)
