"""Bring a rendered PDF closer to PDF/A-2b before it is sealed: XMP metadata and an output intent.

The letters renderer already embeds its fonts (DejaVu subsets) and draws no transparency in
signature images (`render._flatten`). This adds what reportlab leaves out: an sRGB output
intent, an XMP packet that matches the document information dictionary and declares PDF/A-2B,
and a file identifier. It is not validated against veraPDF here; treat the claim as best effort.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import cache
from xml.sax.saxutils import escape

from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from consent_forms import errors

PRODUCER = "care-portal consent_forms"


@cache
def _srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()  # type: ignore[no-any-return]


def _pdf_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp(title: str, author: str, subject: str, created_at: datetime, language: str) -> bytes:
    iso = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    t, a, s = escape(title), escape(author), escape(subject)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{a}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{s}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{iso}</xmp:CreateDate>
   <xmp:ModifyDate>{iso}</xmp:ModifyDate>
   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def make_pdfa(pdf: bytes, *, title: str, author: str, subject: str, created_at: datetime,
              language: str = "nl", file_id: bytes | None = None) -> bytes:
    """Return `pdf` rewritten with PDF/A-2b metadata and an sRGB output intent.

    `file_id` (16 bytes) fixes the trailer /ID, so the same input gives the same output.

    :raise InvalidPdfError: `pdf` cannot be read.
    """
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise errors.InvalidPdfError(f"cannot read PDF: {exc}") from None
    stamp = _pdf_date(created_at)
    info = writer._info.get_object() if writer._info is not None else None
    for key in ("/Keywords", "/Trapped"):  # not mirrored in the XMP packet, so PDF/A wants them gone
        if info is not None and key in info:
            del info[key]
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": PRODUCER,
                         "/Producer": PRODUCER, "/CreationDate": stamp, "/ModDate": stamp})
    metadata = DecodedStreamObject()
    metadata.set_data(_xmp(title, author, subject, created_at, language))
    metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    icc = DecodedStreamObject()
    icc.set_data(_srgb_profile())
    icc[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/DestOutputProfile"): writer._add_object(icc),
    })
    root = writer._root_object
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    if file_id is not None:
        writer._ID = ArrayObject([ByteStringObject(file_id), ByteStringObject(file_id)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
