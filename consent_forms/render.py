"""The information letter, the consent form and the final signed form as `letters` documents.

This module only arranges blocks; `letters.render_pdf` / `letters.render_docx` draw them with the
shared letterhead. The words come from `FilledTexts`, so the PDF shows exactly what was hashed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from PIL import Image as PILImage
from PIL import ImageDraw

from consent_forms import errors
from consent_forms.lifecycle import LOCAL_TZ, local_date
from consent_forms.model import ConsentSpec, Signature, SignatureMethod, SigningRecord
from consent_forms.pdfa import make_pdfa
from consent_forms.texts import FilledTexts, TextBlock, format_date
from consent_forms.texts.labels import label
from letters.model import (
    Block,
    BulletList,
    Document,
    Heading,
    Image,
    KeyValue,
    PageBreak,
    Paragraph,
    Reference,
    Sender,
)

SIGNATURE_WIDTH_CM = 5.5


def _to_blocks(blocks: Sequence[TextBlock]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if block.kind == "heading":
            out.append(Heading(block.text, level=1))
        elif block.kind == "subheading":
            out.append(Heading(block.text, level=2))
        elif block.kind == "bullets":
            out.append(BulletList(block.items))
        elif block.kind == "fields":
            out.append(KeyValue(block.pairs))
        else:
            out.append(Paragraph(block.text))
    return out


def _metadata(texts: FilledTexts, reference: Reference, title: str) -> dict[str, str]:
    return {"title": title, "reference": str(reference), "form_version": texts.form_version,
            "language": str(texts.language)}


def information_letter(spec: ConsentSpec, texts: FilledTexts, sender: Sender, reference: Reference,
                       *, dated_on: date) -> Document:
    """The plain-language information letter that goes with the consent form."""
    return Document(
        sender=sender, subject=texts.letter_subject, blocks=tuple(_to_blocks(texts.letter_blocks)),
        reference=reference, dated_on=dated_on, language=str(spec.language),
        footer_note=label("footer", spec.language), metadata=_metadata(texts, reference, texts.letter_subject),
    )


@cache
def blank_signature_box() -> bytes:
    """A light-grey box with a baseline, drawn where a signature goes on the printed form."""
    img = PILImage.new("RGB", (700, 200), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 699, 199), outline=(150, 150, 150), width=3)
    draw.line((40, 160, 660, 160), fill=(190, 190, 190), width=2)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _signature_area(spec: ConsentSpec) -> list[Block]:
    lang = spec.language
    blocks: list[Block] = [Heading(label("signatures", lang), level=2)]
    for role, name in (("client", spec.client_name), ("case_manager", "")):
        blocks.append(KeyValue(((label(role, lang), name or "____________________"),)))
        blocks.append(Paragraph(label("blank_date", lang)))
        blocks.append(Image(blank_signature_box(), caption=label("signature", lang), width_cm=SIGNATURE_WIDTH_CM))
    return blocks


def consent_form(spec: ConsentSpec, texts: FilledTexts, sender: Sender, reference: Reference,
                 *, dated_on: date) -> Document:
    """The consent form to sign: the consent text and an empty signature area for both signers."""
    return Document(
        sender=sender, subject=texts.form_title,
        blocks=(*_to_blocks(texts.consent_blocks), *_signature_area(spec)),
        reference=reference, dated_on=dated_on, language=str(spec.language),
        footer_note=label("footer", spec.language), metadata=_metadata(texts, reference, texts.form_title),
    )


def format_local_time(moment: datetime, language: str) -> str:
    """'1 maart 2026, 14:05:09 CET' in Europe/Amsterdam time."""
    local = moment.astimezone(LOCAL_TZ)
    return f"{format_date(local.date(), language)}, {local:%H:%M:%S} {local.tzname()}"  # type: ignore[arg-type]


def _flatten(png: bytes) -> bytes:
    """The signature on a white background: PDF/A-1 allows no transparency, and print needs none."""
    with PILImage.open(io.BytesIO(png)) as img:
        rgba = img.convert("RGBA")
    flat = PILImage.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _signature_blocks(sig: Signature, language: str) -> list[Block]:
    pairs = [
        (label(sig.role, language), sig.signer_name),
        (label("signed_at", language), format_local_time(sig.signed_at, language)),
        (label("method", language), label(sig.method, language)),
    ]
    blocks: list[Block] = [KeyValue(tuple(pairs))]
    if sig.method is SignatureMethod.DRAWN and sig.image_png:
        blocks.append(Image(_flatten(sig.image_png), caption=label("signature_of", language, name=sig.signer_name),
                            width_cm=SIGNATURE_WIDTH_CM))
    elif sig.scan_sha256:
        blocks.append(KeyValue(((label("scan_hash", language), sig.scan_sha256),)))
    return blocks


def signing_record_blocks(record: SigningRecord, language: str) -> list[Block]:
    """The signing record page: the document, its content hash, and who signed when and how."""
    blocks: list[Block] = [
        PageBreak(),
        Heading(label("record_title", language), level=1),
        Paragraph(label("record_intro", language, organisation=record.issued_by)),
        KeyValue((
            (label("reference", language), record.reference),
            (label("form_version", language), record.form_version),
            (label("issued_by", language), record.issued_by),
            (label("content_hash", language), record.content_sha256),
        )),
    ]
    zone = label("time_zone", language)
    for sig in record.signatures:
        pairs = [
            (label("name", language), sig.signer_name),
            (label("signed_at", language), f"{format_local_time(sig.signed_at, language)} ({zone})"),
            (label("identification", language), sig.identification.label(language)),
            (label("method", language), label(sig.method, language)),
        ]
        if sig.user_id:
            pairs.append((label("user_id", language), sig.user_id))
        if sig.scan_sha256:
            pairs.append((label("scan_hash", language), sig.scan_sha256))
        blocks += [Heading(label(sig.role, language), level=2), KeyValue(tuple(pairs))]
    blocks.append(Paragraph(label("hash_note", language)))
    return blocks


def final_document(spec: ConsentSpec, texts: FilledTexts, signatures: Sequence[Signature], record: SigningRecord,
                   sender: Sender, reference: Reference) -> Document:
    """The signed form: consent text, the signatures as given, and the signing record page."""
    if not signatures:
        raise errors.MissingSignatureError(field="signatures")
    lang = spec.language
    blocks: list[Block] = [*_to_blocks(texts.consent_blocks), Heading(label("signatures", lang), level=2)]
    for sig in signatures:
        blocks.extend(_signature_blocks(sig, lang))
    blocks.extend(signing_record_blocks(record, lang))
    meta = _metadata(texts, reference, texts.form_title) | {"content_sha256": record.content_sha256}
    return Document(
        sender=sender, subject=texts.form_title, blocks=tuple(blocks), reference=reference,
        dated_on=max(local_date(s.signed_at) for s in signatures), language=str(lang),
        footer_note=label("footer", lang), metadata=meta,
    )


def to_pdf(doc: Document, *, invariant: bool = False) -> bytes:
    """Draw `doc` as PDF with the shared letterhead (letters.render_pdf).

    ``invariant=True`` gives byte-identical output for the same document (fixed dates and id).

    :raise RendererUnavailableError: the letters PDF renderer is not installed.
    """
    try:
        from letters.render_pdf import render_pdf
    except ImportError as exc:
        raise errors.RendererUnavailableError(f"letters.render_pdf: {exc}") from None
    return render_pdf(doc, invariant=invariant)


def to_docx(doc: Document) -> bytes:
    """Draw `doc` as DOCX, for where someone must edit it (letters.render_docx).

    :raise RendererUnavailableError: the letters DOCX renderer is not installed.
    """
    try:
        from letters.render_docx import render_docx
    except ImportError as exc:
        raise errors.RendererUnavailableError(f"letters.render_docx: {exc}") from None
    return render_docx(doc)


@dataclass(frozen=True)
class ComposedForms:
    """The two PDFs handed to the client before signing."""

    letter_pdf: bytes
    form_pdf: bytes


def compose(spec: ConsentSpec, texts: FilledTexts, sender: Sender, reference: Reference,
            *, dated_on: date) -> ComposedForms:
    """Render the information letter and the consent form to PDF."""
    return ComposedForms(
        letter_pdf=to_pdf(information_letter(spec, texts, sender, reference, dated_on=dated_on)),
        form_pdf=to_pdf(consent_form(spec, texts, sender, reference, dated_on=dated_on)),
    )


def render_final(spec: ConsentSpec, texts: FilledTexts, signatures: Sequence[Signature], record: SigningRecord,
                 sender: Sender, reference: Reference) -> bytes:
    """The final PDF with the signatures and the signing record page, ready to seal.

    The same inputs give the same bytes (fixed dates and file id), and the file carries
    PDF/A-2b metadata (see `consent_forms.pdfa`).
    """
    doc = final_document(spec, texts, signatures, record, sender, reference)
    return make_pdfa(
        to_pdf(doc, invariant=True), title=texts.form_title, author=sender.organisation, subject=str(reference),
        created_at=max(s.signed_at for s in signatures), language=str(spec.language),
        file_id=bytes.fromhex(record.content_sha256)[:16],
    )
