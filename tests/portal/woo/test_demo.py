"""Done-when: the Woo export of the demo council briefing contains none of the redacted strings."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from portal.archive import Archive
from portal.models import User, WooRequest
from portal.services import woo, woo_export
from woo.model import Status


def test_demo_woo_export_contains_no_redacted_string(app, session):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    archive = Archive(Path(app.config["PORTAL"].instance_path) / "archive")
    req = session.scalars(select(WooRequest)).one()
    eva = session.scalar(select(User).where(User.username == "eva"))
    petra = session.scalar(select(User).where(User.username == "petra"))
    wdoc = req.documents[0]
    segs = woo.segments(wdoc, archive)
    proposed = {segs[r.segment][r.start:r.end] for r in wdoc.redactions}
    assert {"Roos", "Sanne Veldkamp", "sanne@demo.invalid", "06-12345678", "123456782", "€ 1.150,00",
            "Voorbeeldstraat 12, 6511 AB Nijmegen"} <= proposed
    assert any(r.ground == "5.1.1d" for r in wdoc.redactions)  # the sentence from a health note
    for r in list(wdoc.redactions):
        assert r.status == Status.PROPOSED
        woo.set_redaction(session, actor=eva, req=req, redaction=r, status="accepted", ground=None, archive=archive)
    data = woo_export.export(session, actor=petra, req=req, archive=archive, threshold=5)
    session.commit()
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            raw = z.read(name)
            texts.append(raw.decode("utf-8-sig") if name.endswith(".csv") else
                         "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages))
    squashed = " ".join(" ".join(texts).split()).casefold()
    for secret in proposed:
        assert " ".join(secret.split()).casefold() not in squashed, secret
    assert "[5.1.2e]" in squashed and "[5.1.1e]" in squashed and "[5.1.1d]" in squashed
