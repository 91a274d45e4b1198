"""HTML blueprints: thin views over the services."""

from flask import Flask


def register_views(app: Flask) -> None:
    from portal.views import admin, audit_log, clients, home, notes, search, sharing

    for module in (home, clients, notes, sharing, search, audit_log, admin):
        app.register_blueprint(module.bp)
