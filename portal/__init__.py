"""The portal's Flask application factory. Wiring only: config, extensions, blueprints, errors, CLI."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from flask import Flask

import config as config_module


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``overrides`` may hold Config field names (lower case) or Flask settings (upper case)."""
    overrides = dict(overrides or {})
    known = {f.name for f in fields(config_module.Config)}
    cfg = config_module.from_env(**{k: v for k, v in overrides.items() if k in known})
    cfg = config_module.ensure_secret_key(cfg)
    cfg.instance_path.mkdir(parents=True, exist_ok=True)

    app = Flask(__name__, instance_path=str(cfg.instance_path), instance_relative_config=False)
    app.config.update(
        PORTAL=cfg,
        SECRET_KEY=cfg.secret_key,
        SQLALCHEMY_DATABASE_URI=cfg.sqlalchemy_url,
        SESSION_COOKIE_NAME="portal_session",
        SESSION_COOKIE_SECURE=cfg.secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=cfg.secure_cookies,
        MAX_CONTENT_LENGTH=cfg.max_upload_mb * 1024 * 1024,
        BABEL_DEFAULT_LOCALE=cfg.default_locale,
        BABEL_TRANSLATION_DIRECTORIES="translations",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the (server-side, idle-limited) session
        TESTING=cfg.testing,
    )
    from portal.db import engine_options
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(cfg.sqlalchemy_url)
    app.config.update({k: v for k, v in overrides.items() if k not in known and k.isupper()})

    from portal.extensions import babel, csrf, db, login_manager, migrate
    from portal.web import i18n

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=str(config_module.BASE_DIR / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)

    with app.app_context():
        from portal.db import install_sqlite_pragmas
        install_sqlite_pragmas(db.engine)

    from portal.web import auth, boundary, errors, guards, headers, uploads
    uploads.init_app(app)
    guards.init_app(app)
    auth.init_app(app)
    boundary.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    from portal.web import labels
    labels.init_app(app)

    from portal.api import bp as api_bp
    from portal.views import register_views
    register_views(app)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies

    from portal.cli import register_cli
    register_cli(app)
    return app
