from __future__ import annotations

import io
import zipfile

import pytest

from letters.docx_import import DocxProblem, extract_docx_text
from letters.errors import MalformedDocxError
from letters.render_docx import render_docx
from letters.text import document_text


def _reason(data: bytes, **limits: int) -> str:
    with pytest.raises(MalformedDocxError) as err:
        extract_docx_text(data, **limits)
    assert err.value.message
    return err.value.reason


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_text_of_a_rendered_docx_matches_the_canonical_text(full_doc, squash):
    text = extract_docx_text(render_docx(full_doc))
    assert squash(document_text(full_doc)) in squash(text)
    assert "• Drie vrouwen zijn uitgestapt" in text.splitlines()
    assert "Regel 1\t1\t€ 100,00" in text.splitlines()
    assert "Pagina" not in text  # footers are left out


def test_tracked_changes_keep_inserted_and_drop_deleted_text(full_doc):
    data = render_docx(full_doc)
    src = zipfile.ZipFile(io.BytesIO(data))
    xml = src.read("word/document.xml").decode()
    tracked = ('<w:p><w:ins w:id="1" w:author="a"><w:r><w:t>ingevoegd</w:t></w:r></w:ins>'
               '<w:del w:id="2" w:author="a"><w:r><w:delText>geschrapt</w:delText></w:r></w:del></w:p>')
    xml = xml.replace("<w:sectPr", tracked + "<w:sectPr", 1)
    entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    entries["word/document.xml"] = xml.encode()
    text = extract_docx_text(_zip(entries))
    assert "ingevoegd" in text
    assert "geschrapt" not in text


def test_too_large_upload_is_refused_before_reading():
    assert _reason(b"PK" + b"\0" * 2000, max_bytes=1000) == DocxProblem.TOO_LARGE


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7 not a docx", b"PK\x03\x04 truncated"])
def test_non_zip_is_refused(data):
    assert _reason(data) == DocxProblem.NOT_ZIP


def test_password_protected_docx_is_refused():
    # Word stores an encrypted DOCX as an OLE compound file with an EncryptionInfo stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100
    assert _reason(ole) == DocxProblem.ENCRYPTED


def test_legacy_doc_is_refused():
    assert _reason(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500) == DocxProblem.LEGACY_DOC


def test_zip_with_encrypted_entries_is_refused(full_doc):
    data = bytearray(render_docx(full_doc))
    # Set the 'encrypted' flag bit on the first central directory entry.
    offset = data.find(b"PK\x01\x02")
    data[offset + 8] |= 0x01
    assert _reason(bytes(data)) == DocxProblem.ENCRYPTED


def test_zip_bomb_by_ratio_is_refused_without_inflating():
    bomb = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * (50 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert _reason(bomb) == DocxProblem.ZIP_BOMB


def test_zip_bomb_by_total_size_is_refused():
    entries = {f"word/media/image{i}.bin": bytes(range(256)) * 4096 for i in range(3)}  # 1 MB each, low ratio
    assert _reason(_zip(entries), max_uncompressed=2 * 1024 * 1024) == DocxProblem.ZIP_BOMB


def test_zip_with_too_many_entries_is_refused():
    assert _reason(_zip({f"f{i}": b"" for i in range(5001)}, zipfile.ZIP_STORED)) == DocxProblem.ZIP_BOMB


def test_other_zip_files_are_not_word_documents():
    assert _reason(_zip({"hello.txt": b"hi"})) == DocxProblem.NOT_DOCX


def test_spreadsheet_is_not_a_word_document(full_doc):
    src = zipfile.ZipFile(io.BytesIO(render_docx(full_doc)))
    entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
    assert _reason(_zip(entries)) == DocxProblem.NOT_DOCX


def test_damaged_xml_is_refused(full_doc):
    src = zipfile.ZipFile(io.BytesIO(render_docx(full_doc)))
    entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    entries["word/document.xml"] = entries["word/document.xml"][:500]
    assert _reason(_zip(entries)) == DocxProblem.MALFORMED


def test_entities_are_not_expanded(full_doc):
    src = zipfile.ZipFile(io.BytesIO(render_docx(full_doc)))
    entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    xml = entries["word/document.xml"].decode()
    head, rest = xml.split("?>", 1)
    doctype = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rest = rest.replace("Einde van de brief.", "&b;", 1)
    entries["word/document.xml"] = (head + "?>" + doctype + rest).encode()
    # python-docx's parser does not resolve entities: the reference stays unexpanded.
    assert "a" * 100 not in extract_docx_text(_zip(entries))


@pytest.mark.parametrize("content_types", [b"<Types/>", b"<x:Types xmlns:x='urn:other'/>"])
def test_content_types_without_the_opc_namespace_are_refused(content_types):
    data = _zip({"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>"})
    with pytest.raises(MalformedDocxError) as err:
        extract_docx_text(data)
    assert err.value.reason == DocxProblem.MALFORMED
