"""Demo consents that are really signed, sealed and archived, plus a draft ready to sign on the tablet.

Called from `portal.demo.load` inside the app context (the archive and the demo certificate live in
the instance folder). Goes through the same services as the pages, so the demo shows the real round.
"""

from __future__ import annotations

import io
from datetime import date

from flask import current_app, has_app_context
from PIL import Image, ImageDraw
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import sealing
from portal.archive import Archive
from portal.audit import Where
from portal.models import Assignment, Client, Consent, ReferenceCounter, User
from portal.services import consent_signing, consents

#: Which of the demo case manager's clients get which kind of signature.
_SIGNED = (("drawn", ("GGD", "BK10", "IRIS", "MO", "WI"), ("general", "housing", "finances", "work_income")),
           ("typed", ("GGD", "IRIS", "MO"), ("general", "housing", "health")),
           ("drawn", ("GGD", "BK10", "WON"), ("general", "housing")))
_PURPOSE = ("Samenwerken aan een veilige woonplek, een inkomen en passende zorg, zonder steeds opnieuw je verhaal "
            "te doen.")


def _drawn_png() -> bytes:
    img = Image.new("RGBA", (800, 250), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.line((60, 190, 160, 60, 230, 180, 330, 70, 420, 170, 520, 90, 640, 160, 740, 110),
              fill=(20, 42, 90, 255), width=5, joint="curve")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _sync_reference_counter(session: Session, year: int) -> None:
    """The older demo rows carry STAP references without the counter; move it past them."""
    used = session.scalar(select(func.count()).select_from(Consent).where(
        Consent.reference.like(f"{consents.SERIES}/{year}/%"))) or 0
    counter = session.scalar(select(ReferenceCounter).where(ReferenceCounter.series == consents.SERIES,
                                                            ReferenceCounter.year == year))
    if counter is None:
        session.add(ReferenceCounter(series=consents.SERIES, year=year, last_number=used))
    elif counter.last_number < used:
        counter.last_number = used
    session.flush()


def load(session: Session, *, today: date, password: str) -> int:
    """Sign and seal three consents for the first demo case manager's clients; leave one draft to sign."""
    if not has_app_context():
        return 0
    cfg = current_app.config["PORTAL"]
    tools = consent_signing.Tools(Archive(cfg.instance_path / "archive"), sealing.material(cfg))
    actor = session.scalar(select(User).where(User.username == "sanne"))
    if actor is None:
        return 0
    # Her first client keeps only the older consent row: the browser tests revoke exactly that one.
    clients = session.scalars(select(Client).join(Assignment).where(Assignment.user_id == actor.id)
                              .order_by(Client.id)).all()[1:]
    _sync_reference_counter(session, today.year)
    where = Where("demo")
    made = 0
    for client, (method, orgs, cats) in zip(clients, _SIGNED, strict=False):
        data = consents.ConsentInput(organisation_codes=orgs, categories=cats, purpose=_PURPOSE,
                                     ends_on=consents.default_ends_on(today), client_name=client.display_name)
        draft = consents.create_draft(session, actor=actor, client=client, data=data, today=today, where=where)
        consent_signing.sign(session, actor=actor, consent=draft, tools=tools, today=today, where=where,
                             data=consent_signing.SignInput(
                                 method=method, signer_name=client.display_name, identification="known_to_team",
                                 password=password, signature_png=_drawn_png() if method == "drawn" else None,
                                 typed_confirmed=True))
        made += 1
    if len(clients) > len(_SIGNED):
        client = clients[len(_SIGNED)]
        consents.create_draft(session, actor=actor, client=client, today=today, where=where, data=consents.ConsentInput(
            organisation_codes=("GGD", "IRIS", "MO"), categories=("general", "housing"), purpose=_PURPOSE,
            ends_on=consents.default_ends_on(today), client_name=client.display_name))
    return made
