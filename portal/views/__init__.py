"""HTML blueprints: thin views over the services."""

from flask import Flask


def register_views(app: Flask) -> None:
    from portal.views import (
        admin,
        audit_log,
        clients,
        consent_templates,
        consents,
        document_flow,
        documents,
        home,
        letterheads,
        notes,
        privacy,
        search,
        sharing,
        woo,
    )

    for module in (home, clients, notes, sharing, search, audit_log, admin, consents, consent_templates, documents,
                   document_flow, privacy, woo, letterheads):
        app.register_blueprint(module.bp)
