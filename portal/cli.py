"""Command line: flask --app portal <command> (or the `portal` console script)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from portal.extensions import db


def _cfg():  # noqa: ANN202
    return current_app.config["PORTAL"]


def init_db() -> None:
    """Bring the database schema to the newest migration (Alembic)."""
    from flask_migrate import upgrade

    upgrade(revision="heads")  # several feature branches may add heads; apply them all


def _ensure_seal_certificate() -> None:
    """Without a configured sealing certificate, create the self-signed demo one in the instance folder."""
    from portal import sealing

    material = sealing.material(_cfg())
    if material.is_demo:
        click.echo(f"Sealing with the demo certificate {material.cert_path} (set PORTAL_SEAL_CERT for a real one).")


def register_cli(app: Flask) -> None:
    from portal.cli_consents import register_consent_cli
    from portal.cli_privacy import register_privacy_cli

    register_consent_cli(app)
    register_privacy_cli(app)

    @app.cli.command("init-db")
    def init_db_command() -> None:
        """Create or upgrade the database schema."""
        init_db()
        _ensure_seal_certificate()
        click.echo("Database is up to date.")

    @app.cli.command("demo")
    def demo_command() -> None:
        """Load the fictional demo data (idempotent) and print the demo accounts."""
        from portal import demo
        from portal.models.base import today

        _ensure_seal_certificate()
        result = demo.load(db.session, today=today(), fast_hash=_cfg().testing)
        db.session.commit()
        click.echo("Demo data loaded." if result.get("created") else "Demo data was already there.")
        _print_accounts()

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", "full_name", default="", help="Full name")
    @click.option("--role", required=True, type=click.Choice([r.value for r in _roles()]))
    @click.option("--organisation", required=True, help="Organisation code, e.g. GGD")
    @click.password_option()
    def create_user_command(username: str, full_name: str, role: str, organisation: str, password: str) -> None:
        """Create a user; she enrols two-factor authentication at first login."""
        from portal.services import users
        from portal.services.errors import ValidationError

        try:
            user = users.create_user(db.session, username=username, full_name=full_name, role=role,
                                     organisation_code=organisation, password=password,
                                     fast_hash=_cfg().testing)
        except ValidationError as exc:
            for field, message in exc.errors.items():
                click.echo(f"{field}: {message}", err=True)
            sys.exit(2)
        db.session.commit()
        click.echo(f"Created user {user.username} ({user.role}).")

    @app.cli.command("create-token")
    @click.argument("username")
    @click.option("--label", default="cli")
    def create_token_command(username: str, label: str) -> None:
        """Print a new personal API token for USERNAME (shown once)."""
        from portal.audit import AuditAction, Where, record
        from portal.models import User
        from portal.services import accounts

        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or not user.is_active:
            click.echo(f"No active user {username!r}.", err=True)
            sys.exit(2)
        token = accounts.create_api_token(db.session, user, label)
        record(db.session, user, AuditAction.TOKEN_CREATED, where=Where("cli"), detail={"label": label})
        db.session.commit()
        click.echo(token)

    @app.cli.command("totp-code")
    @click.argument("username")
    def totp_code_command(username: str) -> None:
        """Print the current two-factor code of a demo account (demo data only)."""
        from portal.demo import demo_totp_secret
        from portal.models import User
        from portal.services import accounts

        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or user.totp_secret != demo_totp_secret(username):
            click.echo("Only demo accounts have a code that can be printed here.", err=True)
            sys.exit(2)
        click.echo(accounts.current_code(user.totp_secret))

    @app.cli.command("reindex")
    def reindex_command() -> None:
        """Rebuild the search index from the database; search stays online meanwhile."""
        from sqlalchemy import delete as sa_delete

        from portal import indexing
        from portal.models import CaseNote, Document, IndexOutbox
        from portal.web.search_glue import get_index

        index = get_index()
        total = sum(db.session.scalar(select(db.func.count()).select_from(model)) or 0
                    for model in (CaseNote, Document))
        db.session.execute(sa_delete(IndexOutbox))  # the rebuild covers everything pending
        with click.progressbar(length=total, label="Reindexing") as bar:
            done = index.rebuild(indexing.all_docs(db.session), progress=lambda n: bar.update(n - bar.pos))
        db.session.commit()
        click.echo(f"Indexed {done} documents.")

    @app.cli.command("indexer")
    @click.option("--once", is_flag=True, help="Drain what is pending and stop.")
    @click.option("--interval", default=1.0, help="Seconds between polls.")
    def indexer_command(once: bool, interval: float) -> None:
        """Apply pending index work from the outbox (a separate worker process)."""
        import time

        from portal import indexing
        from portal.web.search_glue import get_index

        index = get_index()
        while True:
            n = indexing.drain(db.session, index)
            db.session.rollback()  # end the read transaction: on SQLite it holds the write lock
            if n:
                click.echo(f"Applied {n} index updates.")
            if once:
                return
            time.sleep(interval)

    @app.cli.command("backup")
    @click.argument("out", type=click.Path(path_type=__import__("pathlib").Path))
    def backup_command(out) -> None:  # noqa: ANN001
        """Write a consistent backup (database, archive, certificates) to OUT (.tar.gz or folder)."""
        from portal.backup import BackupError, backup

        try:
            with click.progressbar(length=100, label="Backing up") as bar:
                path = backup(_cfg(), out, progress=lambda done, total: bar.update(
                    int(100 * done / max(total, 1)) - bar.pos))
        except BackupError as exc:
            click.echo(f"Backup failed: {exc}", err=True)
            sys.exit(1)
        click.echo(f"Backup written to {path}")

    @app.cli.command("restore")
    @click.argument("src", type=click.Path(exists=True, path_type=__import__("pathlib").Path))
    def restore_command(src) -> None:  # noqa: ANN001
        """Restore a backup into an empty instance, then rebuild the search index."""
        from portal.backup import BackupError, restore

        try:
            manifest = restore(_cfg(), src)
        except BackupError as exc:
            click.echo(f"Restore failed: {exc}", err=True)
            sys.exit(1)
        click.echo(f"Restored backup made at {manifest['made_at']}. Now run: flask --app portal reindex")

    @app.cli.command("archive-verify")
    def archive_verify_command() -> None:
        """Check every archived file against its hash and the database; exit 1 on a missing or altered file."""
        from portal.archive import Archive
        from portal.archive.check import verify

        problems = list(verify(db.session, Archive(_cfg().instance_path / "archive")))
        for p in problems:
            click.echo(f"{p.problem:8} {p.sha256}", err=p.problem != "orphan")
        serious = [p for p in problems if p.problem != "orphan"]
        if serious:
            click.echo(f"Archive damaged: {len(serious)} file(s) missing or altered.", err=True)
            sys.exit(1)
        click.echo("Archive intact." + (f" {len(problems)} orphan file(s) without a record." if problems else ""))

    @app.cli.command("audit-verify")
    def audit_verify_command() -> None:
        """Check the audit trail's hash chain; report the first altered or missing row."""
        from portal import audit

        total = audit.count(db.session)
        with click.progressbar(length=total, label="Checking audit trail") as bar:
            problems = []
            for problem in audit.verify(db.session):
                problems.append(problem)
            bar.update(total)
        if problems:
            first = problems[0]
            click.echo(f"BROKEN at row {first.seq}: {first.problem} ({len(problems)} problem(s) in all)", err=True)
            sys.exit(1)
        click.echo(f"Audit trail intact: {total} rows.")


def _roles():  # noqa: ANN202
    from portal.vocab import GlobalRole

    return list(GlobalRole)


def _print_accounts() -> None:
    from portal.demo import DEMO_PASSWORD, USERS

    click.echo("")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD})")
    for username, name, role, org, _ws in USERS:
        click.echo(f"  {username:8} {name:22} {role.value:16} {org}")
    click.echo("Two-factor code for an account: flask --app portal totp-code USERNAME")
    click.echo("(or add the secret to an authenticator app: see docs/DEMO.md)")


@click.group(cls=FlaskGroup, create_app=lambda: __import__("portal").create_app())
def main() -> None:
    """Care portal management commands."""
