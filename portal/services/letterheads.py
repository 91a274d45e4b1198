"""Letterheads per organisation, managed by the functional admin (issue #5).

Every save is a new version (rows are never changed); new renders use the newest version, while
documents already sent keep the PDF and DOCX frozen in the archive. The logo is checked by its
content (never by its name or the browser's claim), flattened to an RGB PNG (no alpha channel,
so the PDF stays fit for PDF/A; no metadata) and stored in the archive before its row.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from pathlib import PurePath

from flask_babel import lazy_gettext as _l
from PIL import Image as PILImage
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from letters.model import Sender
from portal import access
from portal.archive import Archive, ArchiveError
from portal.audit import AuditAction, Where, record
from portal.models import Letterhead, Organisation, StoredFile, User
from portal.services.errors import ConflictError, TooLargeError, ValidationError
from portal.vocab import Action

log = logging.getLogger(__name__)

#: A logo file larger than this is refused (413).
MAX_LOGO_BYTES = 1024 * 1024
#: Pixel limits: larger pictures are refused; a logo is printed at most 55 x 20 mm.
MAX_LOGO_SIDE = 4000
MAX_LOGO_PIXELS = 8_000_000
#: Stored logos are scaled down to fit this box (about 550 dpi at 55 x 20 mm).
STORED_BOX = (1200, 440)
MAX_ADDRESS_LINES = 6

_SNIFF = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
_NAMED = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG"}
_DECLARED = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/pjpeg": "JPEG"}
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
WEBSITE = re.compile(r"[^\s<>\"]+\.[^\s<>\"]+")
DEFAULT_COLOUR = "#1F4E79"


def current(session: Session, organisation_id: int) -> Letterhead | None:
    """The newest letterhead version of an organisation, or None if the admin never set one."""
    return session.scalar(select(Letterhead).where(Letterhead.organisation_id == organisation_id)
                          .order_by(Letterhead.version.desc()).limit(1))


def versions(session: Session, organisation_id: int) -> list[Letterhead]:
    return list(session.scalars(select(Letterhead).where(Letterhead.organisation_id == organisation_id)
                                .order_by(Letterhead.version.desc())))


def sender(session: Session, org: Organisation, *, archive: Archive | None = None, department: str = "") -> Sender:
    """The letterhead of `org` for the letters renderers: the newest version, else name and address only.

    Without `archive` the logo is left out (enough for the text of a document, which never holds
    the letterhead).
    """
    lh = current(session, org.id)
    if lh is None:
        lines = tuple(x.strip() for x in org.address.splitlines() if x.strip())
        return Sender(organisation=org.name, department=department, address_lines=lines)
    logo = None
    if archive is not None and lh.logo_file is not None:
        try:
            logo = archive.get(lh.logo_file.sha256)
        except ArchiveError:
            # `archive-verify` reports the damage; a letter without its logo beats no letter at all.
            log.error("letterhead logo missing or damaged in the archive: file %s", lh.logo_file_id)
    return Sender(organisation=org.name, department=department, address_lines=lh.address_lines, phone=lh.phone,
                  email=lh.email, website=lh.website, logo_png=logo, colour=lh.colour)


def normalise_logo(data: bytes, *, filename: str = "", declared_type: str = "",
                   max_bytes: int = MAX_LOGO_BYTES) -> bytes:
    """Check an uploaded logo and return it as a flattened RGB PNG.

    :raise TooLargeError: ('logo') more than `max_bytes`.
    :raise ValidationError: ('logo') not a PNG or JPEG by its content, a name or declared type that
        says otherwise, a damaged picture, or too many pixels.
    """
    if len(data) > max_bytes:
        raise TooLargeError({"logo": str(_l("Het logo is groter dan %(kb)s kB.", kb=max_bytes // 1024))})
    sniffed = next((fmt for magic, fmt in _SNIFF.items() if data.startswith(magic)), None)
    if sniffed is None:
        raise ValidationError({"logo": str(_l("Het logo moet een PNG- of JPEG-afbeelding zijn."))})
    suffix = PurePath(filename).suffix.lower() if filename else ""
    named = _NAMED.get(suffix) if suffix else sniffed
    declared = _DECLARED.get(declared_type.split(";")[0].strip().lower(), sniffed) if declared_type else sniffed
    if named != sniffed or declared != sniffed:
        raise ValidationError({"logo": str(_l("Het bestand is een %(real)s-afbeelding maar geeft zich uit voor iets "
                                               "anders. Kies een echt PNG- of JPEG-bestand.", real=sniffed))})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as img:
                if img.format != sniffed:
                    raise ValidationError({"logo": str(_l("Het logo moet een PNG- of JPEG-afbeelding zijn."))})
                width, height = img.size
                if max(width, height) > MAX_LOGO_SIDE or width * height > MAX_LOGO_PIXELS:
                    raise ValidationError({"logo": str(_l(
                        "Het logo is te groot: hoogstens %(side)s pixels breed of hoog.", side=MAX_LOGO_SIDE))})
                img.load()
                flat = _flatten(img)
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, PILImage.DecompressionBombWarning,
            PILImage.DecompressionBombError) as exc:
        raise ValidationError({"logo": str(_l("Het logo is beschadigd of geen leesbare afbeelding."))}) from exc
    flat.thumbnail(STORED_BOX)
    out = io.BytesIO()
    flat.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _flatten(img: PILImage.Image) -> PILImage.Image:
    """RGB on white: PDF/A forbids transparency, and a logo on paper has a white background anyway."""
    if img.mode in {"RGBA", "LA", "PA"} or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = PILImage.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return img.convert("RGB")


def _check_fields(*, address: str, phone: str, email: str, website: str, colour: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    lines = [x.strip() for x in address.splitlines() if x.strip()]
    if len(lines) > MAX_ADDRESS_LINES or any(len(x) > 80 for x in lines) or len("\n".join(lines)) > 400:
        errors["address"] = str(_l("Hoogstens %(n)s adresregels van elk hoogstens 80 tekens.", n=MAX_ADDRESS_LINES))
    if len(phone) > 40 or (phone and not re.fullmatch(r"[0-9+()\- ]+", phone)):
        errors["phone"] = str(_l("Een telefoonnummer bestaat uit cijfers, spaties, +, - en haakjes."))
    if email and (len(email) > 200 or not EMAIL.fullmatch(email)):
        errors["email"] = str(_l("Vul een geldig e-mailadres in, of laat het veld leeg."))
    if website and (len(website) > 200 or not WEBSITE.fullmatch(website)):
        errors["website"] = str(_l("Vul een geldig webadres in (zoals www.voorbeeld.nl), of laat het veld leeg."))
    if not COLOUR.fullmatch(colour):
        errors["colour"] = str(_l("Vul de huiskleur in als # en zes hexadecimale cijfers, zoals #1F4E79."))
    return errors


def save(session: Session, *, actor: User, organisation: Organisation, archive: Archive, address: str = "",
         phone: str = "", email: str = "", website: str = "", colour: str = DEFAULT_COLOUR,
         logo: bytes | None = None, logo_filename: str = "", logo_type: str = "", remove_logo: bool = False,
         max_logo_bytes: int = MAX_LOGO_BYTES, where: Where | None = None) -> Letterhead:
    """Save a new letterhead version for `organisation`; the previous logo is kept unless a new
    one is given or `remove_logo`. Nothing is saved if any field is refused.

    :raise AccessDeniedError: not the functional admin.
    :raise ValidationError / TooLargeError: naming the field.
    :raise ConflictError: someone saved a version of this letterhead at the same moment.
    """
    access.require(actor, Action.MANAGE)
    address, phone, email, website, colour = (v.strip() for v in (address, phone, email, website, colour))
    errors = _check_fields(address=address, phone=phone, email=email, website=website, colour=colour)
    png = None
    if logo:
        try:
            png = normalise_logo(logo, filename=logo_filename, declared_type=logo_type, max_bytes=max_logo_bytes)
        except ValidationError as exc:  # TooLargeError included: report it together with the other fields
            if isinstance(exc, TooLargeError):
                raise TooLargeError({**errors, **exc.errors}) from exc
            errors |= exc.errors
    if errors:
        raise ValidationError(errors)
    previous = current(session, organisation.id)
    logo_file_id = None if remove_logo or previous is None else previous.logo_file_id
    if png is not None:
        stored = archive.put(png)  # archive before database (DESIGN §7)
        name = "".join(c for c in PurePath(logo_filename or "logo").stem if c.isalnum() or c in "._- ")[:190]
        file = StoredFile(sha256=stored.sha256, size=stored.size, media_type="image/png",
                          filename=f"{name or 'logo'}.png", created_by_id=actor.id)
        session.add(file)
        session.flush()
        logo_file_id = file.id
    row = Letterhead(organisation_id=organisation.id, version=(previous.version + 1) if previous else 1,
                     logo_file_id=logo_file_id, address="\n".join(x.strip() for x in address.splitlines() if x.strip()),
                     phone=phone, email=email, website=website, colour=colour.upper(), created_by_id=actor.id)
    try:
        with session.begin_nested():  # two admins saving at once: the second gets 409, not a 500
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise ConflictError() from exc
    logo_sha = session.get(StoredFile, logo_file_id).sha256 if logo_file_id else None
    record(session, actor, AuditAction.LETTERHEAD, where=where,
           detail={"organisation": organisation.code, "version": row.version, "logo": logo_sha, "colour": row.colour})
    return row
