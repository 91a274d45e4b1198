"""CLI for the privacy officer's tasks: client-export and retention."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

import config
from portal.extensions import db


def _actor(username: str):  # noqa: ANN202
    from portal.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        click.echo(f"No active user {username!r}.", err=True)
        sys.exit(2)
    return user


def register_privacy_cli(app: Flask) -> None:
    @app.cli.command("client-export")
    @click.argument("client_code")
    @click.option("--as", "username", required=True, help="The privacy officer who answers the request.")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
    def client_export_command(client_code: str, username: str, out: Path) -> None:
        """Write everything about one client (and who looked at her file) to a ZIP (AVG art. 15)."""
        from portal import access
        from portal.archive import Archive
        from portal.audit import Where
        from portal.models import Client
        from portal.services import client_export

        actor = _actor(username)
        client = db.session.scalar(select(Client).where(Client.code == client_code))
        if client is None:
            click.echo(f"No client with dossier number {client_code!r}.", err=True)
            sys.exit(2)
        try:
            spool = client_export.export_client(
                db.session, actor=actor, client=client,
                archive=Archive(current_app.config["PORTAL"].instance_path / "archive"), where=Where("cli"))
        except access.AccessDeniedError:
            db.session.rollback()
            click.echo(f"{username} is not the privacy officer: only she may export a client's file.", err=True)
            sys.exit(3)
        tmp = out.with_name(out.name + ".part")
        with spool, open(tmp, "wb") as fh:
            shutil.copyfileobj(spool, fh)
        tmp.replace(out)
        db.session.commit()
        click.echo(f"Wrote {out}")

    @app.cli.command("retention")
    @click.option("--execute", "list_id", type=int, default=None, help="Destroy the records of an approved list.")
    @click.option("--as", "username", default="", help="The privacy officer (needed with --execute).")
    @click.option("--scrub", is_flag=True, help="Run the after-destruction scrub again (idempotent).")
    def retention_command(list_id: int | None, username: str, scrub: bool) -> None:
        """List records whose retention period has ended; execute an approved destruction list."""
        from portal import access, indexing
        from portal.archive import Archive
        from portal.audit import Where
        from portal.models import DestructionList
        from portal.models.base import today
        from portal.services import destruction, retention
        from portal.services.errors import StateConflictError
        from portal.web.search_glue import get_index

        cfg = current_app.config["PORTAL"]
        years = config.retention_years(cfg.retention_years)

        def do_scrub() -> None:
            n = destruction.scrub(db.session, archive=Archive(cfg.instance_path / "archive"), index=get_index(),
                                  docs=lambda: indexing.all_docs(db.session), engine=db.engine)
            click.echo(f"Scrubbed: {n} archive file(s) removed; index and database compacted.")

        if list_id is not None:
            if not username:
                click.echo("--execute needs --as USERNAME (the privacy officer).", err=True)
                sys.exit(2)
            actor = _actor(username)
            dl = db.session.get(DestructionList, list_id)
            if dl is None:
                click.echo(f"No destruction list {list_id}.", err=True)
                sys.exit(2)
            try:
                outcome = destruction.execute(db.session, actor=actor, dl=dl, today=today(), years=years,
                                              where=Where("cli"))
            except access.AccessDeniedError:
                db.session.rollback()
                click.echo(f"{username} is not the privacy officer.", err=True)
                sys.exit(3)
            except StateConflictError as exc:
                db.session.rollback()
                click.echo(f"Refused: {'; '.join(exc.errors.values())}", err=True)
                sys.exit(4)
            db.session.commit()
            click.echo(f"Destroyed {outcome.destroyed} record(s); skipped {outcome.skipped}.")
            do_scrub()
            return
        if scrub:
            do_scrub()
            return
        rows = retention.due(db.session, today=today(), years=years)
        click.echo("Retention: " + "; ".join(retention.rule_text(k, years) for k in sorted(years)))
        if not rows:
            click.echo("Nothing is due.")
            return
        click.echo(f"{'kind':17} {'id':>6} {'dossier':12} {'reference':16} {'last change':11} {'due on':10} hold")
        for r in rows:
            click.echo(f"{r.kind:17} {r.object_id:>6} {r.client_code:12} {r.reference:16} "
                       f"{r.last_changed_on.isoformat():11} {r.due_on.isoformat():10} {'yes' if r.on_hold else ''}")
        held = sum(r.on_hold for r in rows)
        click.echo(f"{len(rows)} record(s) due, {held} under a legal hold.")
