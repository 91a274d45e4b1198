"""Demo letterheads: a fictional address, contact lines, a house colour and a logo drawn in code.

Saved through the letterhead service by the demo functional admin, so the demo shows versions and
the audit trail as a real save would. Nothing here is a real organisation's logo or address.
"""

from __future__ import annotations

import io

from flask import current_app, has_app_context
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.archive import Archive
from portal.audit import Where
from portal.models import Organisation, User
from portal.services import letterheads

# code: (colour, address lines, phone, e-mail/website stem)
LETTERHEADS = {
    "GGD": ("#0B5A55", ("Postbus 9001", "6500 AA Nijmegen"), "024 000 1000", "ggd-demo"),
    "BK10": ("#7A2E7F", ("Voorbeeldstraat 10", "6511 AB Nijmegen"), "024 000 2000", "bindkracht-demo"),
    "IRIS": ("#9E3B14", ("Proefweg 3", "6512 CD Nijmegen"), "024 000 3000", "iriszorg-demo"),
    "HHM": ("#2F4F6F", ("Denkbeeldlaan 7", "7500 EF Enschede"), "053 000 4000", "hhm-demo"),
    "MO": ("#1F4E79", ("Postbus 9105", "6500 HG Nijmegen"), "14 024", "gemeente-demo"),
}


def logo_png(code: str, colour: str) -> bytes:
    """A small fictional logo: the organisation code on a rounded block in its house colour."""
    img = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((4, 4, 116, 116), radius=18, fill=colour)
    draw.ellipse((34, 34, 86, 86), fill="white")
    draw.text((132, 60), code, fill=colour, anchor="lm", font=ImageFont.load_default(size=56))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def load(session: Session) -> int:
    """Give the demo organisations a letterhead (once); returns how many were saved."""
    if not has_app_context():  # the logo lives in the instance's archive
        return 0
    archive = Archive(current_app.config["PORTAL"].instance_path / "archive")
    admin = session.scalar(select(User).where(User.username == "bas"))
    if admin is None:
        return 0
    saved = 0
    for code, (colour, lines, phone, stem) in LETTERHEADS.items():
        org = session.scalar(select(Organisation).where(Organisation.code == code))
        if org is None or letterheads.current(session, org.id) is not None:
            continue
        letterheads.save(session, actor=admin, organisation=org, archive=archive, address="\n".join(lines),
                         phone=phone, email=f"info@{stem}.invalid", website=f"www.{stem}.invalid", colour=colour,
                         logo=logo_png(code, colour), logo_filename=f"{code.lower()}.png", where=Where("demo"))
        saved += 1
    return saved
