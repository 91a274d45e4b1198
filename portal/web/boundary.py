"""One commit per request, at the boundary; anything else is rolled back (indico)."""

from __future__ import annotations

from flask import Flask, Response

from portal.extensions import db


def init_app(app: Flask) -> None:
    @app.after_request
    def _commit(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
            from portal.web.search_glue import drain_after_commit
            drain_after_commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
