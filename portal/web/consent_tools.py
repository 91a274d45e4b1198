"""The archive and the sealing material for consent services, built from the app's configuration."""

from __future__ import annotations

from flask import current_app

from portal import sealing
from portal.archive import Archive
from portal.services.consent_signing import Tools


def tools() -> Tools:
    cfg = current_app.config["PORTAL"]
    return Tools(Archive(cfg.instance_path / "archive"), sealing.material(cfg))


def trusted_cert_pem() -> bytes:
    return sealing.material(current_app.config["PORTAL"]).cert_pem()
