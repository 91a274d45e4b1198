"""Language choice: the user's setting, else the session's choice, else Dutch."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_login import current_user

LANGUAGES = ("nl", "en")


def select_locale() -> str:
    if not has_request_context():
        return str(current_app.config["PORTAL"].default_locale)
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    lang = session.get("lang")
    if lang in LANGUAGES:
        return str(lang)
    return str(current_app.config["PORTAL"].default_locale)


def init_app(app: Flask) -> None:
    @app.context_processor
    def _lang() -> dict[str, object]:
        return {"current_lang": select_locale(), "languages": LANGUAGES}
