"""Portal configuration, read once from environment variables.

Every setting has a safe default so that a fresh clone runs with no configuration at all.
Environment variables use the ``PORTAL_`` prefix, except ``DATABASE_URL``. Secrets are never
built in: the session secret is generated into the instance folder on first start.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Config:
    """Typed, frozen settings. The field comment names the environment variable."""

    #: PORTAL_INSTANCE_PATH: folder for the SQLite file, archive, index, certificates, secret key.
    instance_path: Path = BASE_DIR / "instance"
    #: DATABASE_URL: SQLAlchemy URL. Default: SQLite file ``portal.sqlite3`` in the instance folder.
    database_url: str = ""
    #: PORTAL_SECRET_KEY: signs session cookies. Default: random, kept in ``instance/secret_key``.
    secret_key: str = ""
    #: PORTAL_SESSION_IDLE_MINUTES: a session unused this long ends (default 15).
    session_idle_minutes: int = 15
    #: PORTAL_SESSION_MAX_HOURS: a session ends this long after login, used or not (default 12).
    session_max_hours: int = 12
    #: PORTAL_REAUTH_MINUTES: how long a password re-entry covers sensitive actions (default 5).
    reauth_minutes: int = 5
    #: PORTAL_LOGIN_MAX_FAILURES: failed logins before an account is locked (default 5).
    login_max_failures: int = 5
    #: PORTAL_LOCKOUT_MINUTES: how long a locked account stays locked (default 15).
    lockout_minutes: int = 15
    #: PORTAL_EMERGENCY_MINUTES: how long an emergency ("break the glass") grant lasts (default 60).
    emergency_minutes: int = 60
    #: PORTAL_SECURE_COOKIES: send cookies only over HTTPS. Default on; ``make run`` turns it off for localhost.
    secure_cookies: bool = True
    #: PORTAL_DEFAULT_LOCALE: ``nl`` (default) or ``en``.
    default_locale: str = "nl"
    #: PORTAL_MAX_UPLOAD_MB: largest accepted upload (default 20 MB); larger requests get 413.
    max_upload_mb: int = 20
    #: PORTAL_SEARCH_BACKEND: ``whoosh``, ``tantivy`` or ``postgres``. Default: ``postgres`` when DATABASE_URL is
    #: PostgreSQL (the index lives in the database, shared by every app process), else ``whoosh``.
    search_backend: str = "whoosh"
    #: PORTAL_SMALL_NUMBER_THRESHOLD: counts below this are shown as "< n" in aggregate figures (default 5).
    small_number_threshold: int = 5
    #: PORTAL_SEAL_CERT / PORTAL_SEAL_KEY: PEM certificate and key used to seal PDFs. Default: demo cert in instance.
    seal_cert: str = ""
    seal_key: str = ""
    #: PORTAL_RETENTION_YEARS: retention period per record kind, as ``kind=years`` pairs separated by commas;
    #: kinds not named keep their default. Defaults (docs/RETENTION.md says why): case notes and client plans
    #: 20 years after their last change (WGBO, art. 7:454 lid 3 BW), consent forms 5 years after they ended.
    retention_years: str = ""
    #: PORTAL_DESTRUCTION_FOUR_EYES: a destruction list must be approved by another privacy officer than the one
    #: who drew it up (default off: DESIGN.md asks no second person, and many municipalities have one officer).
    destruction_four_eyes: bool = False
    #: PORTAL_TESTING: test mode (faster password hashing). Never set in production.
    testing: bool = False
    #: Extra Flask settings passed by create_app(overrides=...).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgres://"):
                url = "postgresql://" + url[len("postgres://"):]
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://"):]
            return url
        return f"sqlite:///{self.instance_path / 'portal.sqlite3'}"

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def is_postgres(self) -> bool:
        return self.sqlalchemy_url.startswith("postgresql")


_ENV: dict[str, tuple[str, type]] = {
    "instance_path": ("PORTAL_INSTANCE_PATH", Path),
    "database_url": ("DATABASE_URL", str),
    "secret_key": ("PORTAL_SECRET_KEY", str),
    "session_idle_minutes": ("PORTAL_SESSION_IDLE_MINUTES", int),
    "session_max_hours": ("PORTAL_SESSION_MAX_HOURS", int),
    "reauth_minutes": ("PORTAL_REAUTH_MINUTES", int),
    "login_max_failures": ("PORTAL_LOGIN_MAX_FAILURES", int),
    "lockout_minutes": ("PORTAL_LOCKOUT_MINUTES", int),
    "emergency_minutes": ("PORTAL_EMERGENCY_MINUTES", int),
    "secure_cookies": ("PORTAL_SECURE_COOKIES", bool),
    "default_locale": ("PORTAL_DEFAULT_LOCALE", str),
    "max_upload_mb": ("PORTAL_MAX_UPLOAD_MB", int),
    "search_backend": ("PORTAL_SEARCH_BACKEND", str),
    "small_number_threshold": ("PORTAL_SMALL_NUMBER_THRESHOLD", int),
    "seal_cert": ("PORTAL_SEAL_CERT", str),
    "seal_key": ("PORTAL_SEAL_KEY", str),
    "retention_years": ("PORTAL_RETENTION_YEARS", str),
    "destruction_four_eyes": ("PORTAL_DESTRUCTION_FOUR_EYES", bool),
    "testing": ("PORTAL_TESTING", bool),
}

#: Retention in years per record kind, counted from the reference date (see docs/RETENTION.md).
DEFAULT_RETENTION_YEARS: dict[str, int] = {"case_note": 20, "plan_of_approach": 20, "consent": 5}


def retention_years(spec: str) -> dict[str, int]:
    """Parse PORTAL_RETENTION_YEARS ('case_note=15,consent=5') over the defaults.

    :raise ValueError: an unknown kind or a period that is not a whole number of years from 1 to 100.
    """
    years = dict(DEFAULT_RETENTION_YEARS)
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kind, _, value = part.partition("=")
        kind = kind.strip()
        if kind not in years:
            raise ValueError(f"PORTAL_RETENTION_YEARS: unknown kind {kind!r} (known: {', '.join(sorted(years))})")
        if not value.strip().isdigit() or not 1 <= int(value) <= 100:
            raise ValueError(f"PORTAL_RETENTION_YEARS: {kind} needs a whole number of years from 1 to 100")
        years[kind] = int(value)
    return years


def from_env(environ: dict[str, str] | None = None, **overrides: Any) -> Config:
    """Build a Config from environment variables, then apply keyword overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, (var, kind) in _ENV.items():
        raw = env.get(var)
        if raw is None or raw == "":
            continue
        values[name] = _bool(raw) if kind is bool else kind(raw)
    known = {f.name for f in fields(Config)}
    values.update({k: v for k, v in overrides.items() if k in known})
    if "search_backend" not in values:
        values["search_backend"] = "whoosh"
        if Config(database_url=values.get("database_url", "")).is_postgres:
            values["search_backend"] = "postgres"
    cfg = Config(**values)
    if not isinstance(cfg.instance_path, Path):
        cfg = replace(cfg, instance_path=Path(cfg.instance_path))
    cfg = replace(cfg, instance_path=cfg.instance_path.resolve())
    if cfg.default_locale not in {"nl", "en"}:
        raise ValueError("PORTAL_DEFAULT_LOCALE must be 'nl' or 'en'")
    if cfg.search_backend not in {"whoosh", "tantivy", "postgres"}:
        raise ValueError("PORTAL_SEARCH_BACKEND must be 'whoosh', 'tantivy' or 'postgres'")
    retention_years(cfg.retention_years)  # refuse to start with a malformed retention setting
    if cfg.search_backend == "postgres" and not cfg.is_postgres:
        raise ValueError("PORTAL_SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL")
    return cfg


def ensure_secret_key(cfg: Config) -> Config:
    """Return cfg with a secret key: the configured one, or one kept in the instance folder."""
    if cfg.secret_key:
        return cfg
    cfg.instance_path.mkdir(parents=True, exist_ok=True)
    path = cfg.instance_path / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return replace(cfg, secret_key=path.read_text().strip())
