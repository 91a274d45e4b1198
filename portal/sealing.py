"""Where the organisation's sealing certificate lives, and the demo certificate when none is configured.

A real certificate and key are configured by path (PORTAL_SEAL_CERT / PORTAL_SEAL_KEY). Without
them the portal uses a self-signed demo certificate in ``<instance>/certs/``, created by
``init-db``, ``demo`` or the first seal, so a fresh clone can sign and verify at once.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pyhanko.sign import signers

from config import Config
from consent_forms import load_sealer, make_demo_certificate

#: The name in the demo certificate: the care team that issues the consent forms.
DEMO_ORGANISATION = "STAP-team Nijmegen"
DEMO_CERT, DEMO_KEY = "seal.pem", "seal.key"
#: Printed in every seal as the place of signing.
LOCATION = "Nijmegen"

_lock = threading.Lock()
T = TypeVar("T")


def off_event_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `fn` directly, or in a worker thread when this thread runs an asyncio loop.

    pyHanko signs and validates through ``asyncio.run``, which refuses to start inside a running
    loop (an async server, or Playwright driving the demo in the browser tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


@dataclass(frozen=True)
class SealMaterial:
    """The certificate and key that seal consent PDFs; the certificate is also what verification trusts."""

    cert_path: Path
    key_path: Path
    is_demo: bool

    def sealer(self) -> signers.SimpleSigner:
        """:raise CertificateLoadError: the files are missing or unreadable."""
        return load_sealer(self.cert_path, self.key_path)

    def cert_pem(self) -> bytes:
        return self.cert_path.read_bytes()


def ensure_demo_certificate(instance_path: Path) -> tuple[Path, Path]:
    """Create the self-signed demo certificate in ``<instance>/certs/`` unless it is there already."""
    folder = instance_path / "certs"
    cert, key = folder / DEMO_CERT, folder / DEMO_KEY
    with _lock:
        if not (cert.is_file() and key.is_file()):
            made_cert, made_key = make_demo_certificate(DEMO_ORGANISATION, folder)
            os.replace(made_key, key)  # the key keeps its 0600 mode
            os.replace(made_cert, cert)
    return cert, key


def material(cfg: Config) -> SealMaterial:
    """The configured certificate, or the demo one (created on first use)."""
    if cfg.seal_cert and cfg.seal_key:
        return SealMaterial(Path(cfg.seal_cert), Path(cfg.seal_key), is_demo=False)
    cert, key = ensure_demo_certificate(cfg.instance_path)
    return SealMaterial(cert, key, is_demo=True)
