"""Request facts for the audit trail."""

from flask import has_request_context, request

from portal.audit import Where


def where() -> Where:
    if not has_request_context():
        return Where("cli")
    return Where(request.remote_addr or "")
