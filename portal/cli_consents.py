"""The `verify-pdf` command: is this consent PDF sealed by us, archived, and valid today?"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from portal.extensions import db

#: Exit codes of verify-pdf: 0 valid today; 1 seal broken or not our archived file; 2 cannot read the
#: file; 3 genuine and unaltered but not valid today (revoked, expired, not yet valid).
EXIT_OK, EXIT_BAD, EXIT_USAGE, EXIT_NOT_VALID = 0, 1, 2, 3


def register_consent_cli(app: Flask) -> None:
    @app.cli.command("verify-pdf")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    def verify_pdf_command(file: Path) -> None:
        """Check a consent PDF: seal intact, matching archived consent, valid/revoked/expired today.

        Exit code 0: valid today; 1: seal broken or not an archived consent; 2: unreadable file;
        3: genuine, but the consent is not valid today.
        """
        from portal import sealing
        from portal.models.base import today
        from portal.services import consents
        from portal.services.errors import ValidationError

        try:
            data = file.read_bytes()
        except OSError as exc:
            click.echo(f"Cannot read {file}: {exc.strerror}", err=True)
            sys.exit(EXIT_USAGE)
        cfg = current_app.config["PORTAL"]
        try:
            result, _consent = consents.verify_pdf(db.session, actor=None, data=data,
                                                   cert_pem=sealing.material(cfg).cert_pem(), today=today())
        except ValidationError as exc:
            click.echo("; ".join(exc.errors.values()), err=True)
            sys.exit(EXIT_USAGE)
        db.session.rollback()  # a check changes nothing
        seal = result.seal
        if seal.ok:
            click.echo(f"Seal: intact ({seal.signer_subject})")
        else:
            click.echo(f"Seal: NOT intact: {'; '.join(seal.errors) or 'no seal'}")
        if result.in_archive:
            click.echo(f"Archive: matches consent {result.reference}")
            click.echo(f"Status today: {_status_word(str(result.status))}")
        else:
            click.echo("Archive: NOT an archived consent file (unknown or altered)")
        click.echo(f"SHA-256: {result.file_sha256}")
        if not result.authentic:
            sys.exit(EXIT_BAD)
        if not result.valid_today:
            sys.exit(EXIT_NOT_VALID)


def _status_word(status: str) -> str:
    return {"signed": "valid", "revoked": "revoked", "expired": "expired", "not_yet_valid": "not yet valid",
            "draft": "not signed"}.get(status, status)
