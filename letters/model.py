"""Structured documents: the neutral form every letter, plan and form is assembled into.

A document is a letterhead (sender, reference, date, subject, recipient) plus a list of blocks.
The PDF and DOCX renderers take the same `Document` and produce the same text, so what a
reviewer approves in one format is what is sent in the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from letters.errors import InvalidFieldError

_REFERENCE = re.compile(r"^(?P<series>[A-Z][A-Z0-9-]{0,15})/(?P<year>\d{4})/(?P<number>\d{4,6})$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Reference:
    """A unique document number such as ``STAP/2026/0042`` (kenmerk)."""

    series: str
    year: int
    number: int

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Z0-9-]{0,15}", self.series):
            raise InvalidFieldError("series", "series must be 1-16 capitals, digits or '-'")
        if not 1900 <= self.year <= 9999 or not 0 < self.number < 1_000_000:
            raise InvalidFieldError("reference", "year or number out of range")

    def __str__(self) -> str:
        return f"{self.series}/{self.year}/{self.number:04d}"

    @classmethod
    def parse(cls, text: str) -> Reference:
        m = _REFERENCE.match(text.strip())
        if not m:
            raise InvalidFieldError("reference", f"not a reference: {text!r}")
        return cls(m["series"], int(m["year"]), int(m["number"]))


@dataclass(frozen=True)
class Sender:
    """The organisation a document is sent from; drawn as the letterhead."""

    organisation: str
    department: str = ""
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    #: PNG bytes of the logo, or None for a text-only letterhead.
    logo_png: bytes | None = None
    #: House colour as ``#RRGGBB``; used for rules and headings.
    colour: str = "#1F4E79"

    def __post_init__(self) -> None:
        if not self.organisation.strip():
            raise InvalidFieldError("organisation", "an organisation name is required")
        if not _COLOUR.match(self.colour):
            raise InvalidFieldError("colour", "colour must look like #1F4E79")


@dataclass(frozen=True)
class Recipient:
    name: str
    address_lines: tuple[str, ...] = ()


# --- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 or 2


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class KeyValue:
    """A two-column list of labels and values (e.g. 'Naam' / 'Cliënt A')."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    #: Rows drawn in bold at the bottom (subtotal, VAT, total).
    footer_rows: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in (*self.rows, *self.footer_rows):
            if len(row) != width:
                raise InvalidFieldError("table", f"row has {len(row)} cells, expected {width}")


@dataclass(frozen=True)
class Chart:
    """A bar chart, drawn as a picture in both formats.

    ``series`` maps a legend label to one value per category (e.g. 'eerste meting' and
    'laatste meting' over the life domains). ``horizontal`` draws bars sideways (planning).
    """

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    horizontal: bool = False
    y_max: float | None = None
    #: For planning charts: (start, length) per category instead of a single value.
    spans: tuple[tuple[float, float], ...] = ()
    #: Axis titles, e.g. 'Week' for a planning or 'Gemiddelde score' for ZRM averages.
    x_label: str = ""
    y_label: str = ""

    def __post_init__(self) -> None:
        for label, values in self.series:
            if len(values) != len(self.categories):
                raise InvalidFieldError("chart", f"series {label!r} has {len(values)} values")


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str = ""
    width_cm: float = 6.0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | BulletList | KeyValue | Table | Chart | Image | PageBreak


@dataclass(frozen=True)
class Document:
    """A complete document: letterhead fields plus body blocks."""

    sender: Sender
    subject: str
    blocks: tuple[Block, ...]
    reference: Reference | None = None
    dated_on: date | None = None
    recipient: Recipient | None = None
    #: 'nl' or 'en': labels of the letterhead ('Kenmerk'/'Reference', 'Pagina'/'Page').
    language: str = "nl"
    #: Shown small at the foot of every page (e.g. confidentiality level).
    footer_note: str = ""
    metadata: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if not self.subject.strip():
            raise InvalidFieldError("subject", "a subject is required")
        if self.language not in {"nl", "en"}:
            raise InvalidFieldError("language", "language must be 'nl' or 'en'")
