"""consent_forms.render: letter, form and final PDF through the letters renderers."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date

import pytest
from pypdf import PdfReader

from consent_forms import render
from consent_forms.model import ConsentSpec, Signature, SignatureMethod, SignerIdentification, SignerRole, SigningRecord
from consent_forms.signing import content_hash
from consent_forms.texts import FilledTexts, fill, get_template
from letters.model import Image, Reference, Sender

pytest.importorskip("letters.render_pdf")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def signatures(spec: ConsentSpec, texts: FilledTexts, create_signature: Callable[..., Signature]) -> list[Signature]:
    digest = content_hash(spec, texts)
    return [create_signature(SignerRole.CLIENT, digest), create_signature(SignerRole.CASE_MANAGER, digest)]


def _record(signatures: list[Signature], reference: Reference) -> SigningRecord:
    return SigningRecord(str(reference), "2026-1", signatures[0].content_sha256, tuple(signatures),
                         "GGD Gelderland-Zuid")


def test_compose_renders_letter_and_form(spec: ConsentSpec, texts: FilledTexts, sender: Sender,
                                         reference: Reference) -> None:
    composed = render.compose(spec, texts, sender, reference, dated_on=date(2026, 3, 1))
    letter, form = _flat(_text(composed.letter_pdf)), _flat(_text(composed.form_pdf))
    assert "Autoriteit Persoonsgegevens" in letter
    assert "STAP/2026/0042" in letter
    assert "Middelengebruik en verslaving" in form
    assert "Ondertekening" in form
    assert spec.purpose in form


def test_form_has_a_signature_box_per_signer(spec: ConsentSpec, texts: FilledTexts, sender: Sender,
                                             reference: Reference) -> None:
    doc = render.consent_form(spec, texts, sender, reference, dated_on=date(2026, 3, 1))
    assert sum(isinstance(b, Image) for b in doc.blocks) == 2


def test_form_renders_as_docx(spec: ConsentSpec, texts: FilledTexts, sender: Sender, reference: Reference) -> None:
    pytest.importorskip("letters.render_docx")
    data = render.to_docx(render.consent_form(spec, texts, sender, reference, dated_on=date(2026, 3, 1)))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "Cliënt A" in z.read("word/document.xml").decode("utf-8")


def test_final_pdf_carries_signing_record(spec: ConsentSpec, texts: FilledTexts, sender: Sender,
                                          reference: Reference, signatures: list[Signature]) -> None:
    pdf = render.render_final(spec, texts, signatures, _record(signatures, reference), sender, reference)
    text = _flat(_text(pdf))
    assert "Ondertekeningsverslag" in text
    assert signatures[0].content_sha256 in text.replace(" ", "")
    assert "1 maart 2026, 14:05:00 CET" in text  # 13:05 UTC in Amsterdam
    assert "Persoonlijk, bekend bij het team" in text
    assert "u-17" in text
    assert "Handtekening van Cliënt A" in text
    reader = PdfReader(io.BytesIO(pdf))
    assert sum(len(page.images) for page in reader.pages) >= 2  # both drawn signatures


def test_final_pdf_notes_the_paper_scan(create_spec: Callable[..., ConsentSpec], sender: Sender,
                                        reference: Reference, create_signature: Callable[..., Signature]) -> None:
    spec = create_spec(language="en")
    texts = fill(get_template("2026-1", "en"), spec)
    digest = content_hash(spec, texts)
    client = create_signature(SignerRole.CLIENT, digest, method=SignatureMethod.PAPER_SCAN, image_png=None,
                              scan_sha256="b" * 64, identification=SignerIdentification.ID_DOCUMENT)
    sigs = [client, create_signature(SignerRole.CASE_MANAGER, digest)]
    text = _flat(_text(render.render_final(spec, texts, sigs, _record(sigs, reference), sender, reference)))
    assert "Signing record" in text
    assert "Signed on paper, scan archived" in text
    assert "b" * 64 in text.replace(" ", "")
    assert "In person, identity document seen" in text


def test_content_hash_is_independent_of_rendering(spec: ConsentSpec, texts: FilledTexts, sender: Sender,
                                                  reference: Reference) -> None:
    before = content_hash(spec, texts)
    render.compose(spec, texts, sender, reference, dated_on=date(2026, 3, 1))
    render.compose(spec, texts, sender, reference, dated_on=date(2026, 3, 2))
    assert content_hash(spec, fill(get_template("2026-1", "nl"), spec)) == before


def test_invariant_final_pdf_is_reproducible(spec: ConsentSpec, texts: FilledTexts, sender: Sender,
                                             reference: Reference, signatures: list[Signature]) -> None:
    doc = render.final_document(spec, texts, signatures, _record(signatures, reference), sender, reference)
    assert render.to_pdf(doc, invariant=True) == render.to_pdf(doc, invariant=True)
