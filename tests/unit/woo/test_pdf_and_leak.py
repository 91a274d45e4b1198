import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from woo import leak
from woo.errors import LeakError, MalformedPdfError
from woo.inventory import InventoryRow, build_zip, to_csv, to_pdf
from woo.model import Decision, Span, redact_segments, withheld
from woo.pdf import OutPage, read_pages, write_pdf

SECRET = "Karel Testpersoon"


def _uploaded(with_image_page: bool = True) -> bytes:
    """A PDF as a partner might send it: text, an author in the metadata, an image page."""
    buf = io.BytesIO()
    c = Canvas(buf)
    c.setAuthor(SECRET)
    c.drawString(72, 750, f"Gesprek met {SECRET} over de subsidie.")
    c.drawString(72, 730, "Tweede regel zonder geheimen.")
    c.showPage()
    if with_image_page:
        from PIL import Image
        img = io.BytesIO()
        Image.new("RGB", (20, 20), "red").save(img, "PNG")
        c.drawImage(ImageReader(io.BytesIO(img.getvalue())), 72, 600, 100, 100)
        c.showPage()
    c.save()
    return buf.getvalue()


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_read_pages_finds_text_and_withholds_image_pages():
    pages = read_pages(_uploaded())
    assert SECRET in pages[0].text and pages[0].problem is None
    assert pages[1].problem == "images" and pages[1].text == ""


@pytest.mark.parametrize(("data", "reason"), [(b"hello", "not_pdf"), (b"%PDF-1.4\n garbage", "malformed")])
def test_read_pages_refuses_bad_files(data, reason):
    with pytest.raises(MalformedPdfError) as exc:
        read_pages(data)
    assert exc.value.reason == reason


def test_read_pages_refuses_encrypted():
    w = PdfWriter(clone_from=io.BytesIO(_uploaded(False)))
    w.encrypt("secret")
    out = io.BytesIO()
    w.write(out)
    with pytest.raises(MalformedPdfError) as exc:
        read_pages(out.getvalue())
    assert exc.value.reason == "encrypted"


def test_redacted_pdf_has_no_withheld_text_metadata_or_revisions():
    pages = read_pages(_uploaded())
    segments = {p.segment: p.text for p in pages if p.problem is None}
    start = segments["page-1"].index(SECRET)
    spans = [Span("page-1", start, start + len(SECRET), "5.1.2e")]
    redacted = redact_segments(segments, spans)
    out = write_pdf([OutPage(redacted.get(p.segment)) if p.problem is None else OutPage(None, reason="afbeelding")
                     for p in pages])
    text = _text(out)
    assert SECRET not in text and "Karel" not in text
    assert "5.1.2e" in text and "Tweede regel zonder geheimen." in text
    assert "Pagina 2 is niet openbaar gemaakt" in text
    assert out.count(b"%%EOF") == 1 and SECRET.encode() not in out
    assert leak.find_leaks({"doc.pdf": out}, withheld(segments, spans)) == []


def test_leak_check_finds_withheld_text_and_unsafe_parts():
    original = _uploaded(False)
    leaks = leak.find_leaks({"orig.pdf": original}, [SECRET])
    assert ("orig.pdf", "1 withheld string(s) found") in leaks  # in the text and in the metadata
    w = PdfWriter(clone_from=io.BytesIO(original))
    w.add_annotation(0, FreeText(text="note", rect=(50, 550, 200, 650)))
    annotated = io.BytesIO()
    w.write(annotated)
    incremental = annotated.getvalue() + b"\n%%EOF\n"
    problems = [p for _, p in leak.find_leaks({"a.pdf": incremental}, [])]
    assert "PDF has annotations" in problems and "incremental update (earlier revision) present" in problems
    with pytest.raises(LeakError) as exc:
        leak.check({"orig.pdf": original}, [SECRET])
    assert SECRET not in str(exc.value)


def test_leak_check_tolerates_wrapping_but_respects_word_boundaries():
    assert leak.find_leaks({"a.txt": b"Karel\nTest persoon"}, [SECRET]) == []  # a different word split
    assert leak.find_leaks({"a.txt": b"KAREL\n  TESTPERSOON"}, [SECRET]) != []
    assert leak.find_leaks({"a.txt": b"januari"}, ["Jan"]) == []


def test_leak_check_reads_docx_text_across_runs():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:p><w:r><w:t>Karel </w:t></w:r><w:r><w:t>Testpersoon</w:t></w:r></w:p>")
    assert leak.find_leaks({"a.docx": buf.getvalue()}, [SECRET]) == [("a.docx", "1 withheld string(s) found")]


def test_inventory_csv_pdf_and_zip():
    rows = [InventoryRow(1, "=Brief", "RIB/2026/0001", None, Decision.PARTLY_PUBLIC, ("5.1.2e",), "", "01.pdf")]
    csv_text = to_csv(rows).decode("utf-8-sig")
    assert "'=Brief" in csv_text and "Deels openbaar" in csv_text and "5.1.2e" in csv_text
    assert "Deels openbaar" in _text(to_pdf(rows, title="Verzoek", reference="WOO/2026/0001"))
    data = build_zip({"b.csv": b"1", "a.pdf": b"2"})
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["a.pdf", "b.csv"]
    assert build_zip({"b.csv": b"1", "a.pdf": b"2"}) == data
