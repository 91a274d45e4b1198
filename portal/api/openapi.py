"""The OpenAPI 3 document for /api/v1 (NL API Design Rules: JSON, kebab-case, problem+json)."""

from __future__ import annotations

from typing import Any

from portal.api import bp
from portal.web.guards import public

PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS = {"400": {"description": "Invalid input", **PROBLEM}, "401": {"description": "Not authenticated", **PROBLEM},
          "404": {"description": "Not found (or not visible to you)", **PROBLEM}}


def _op(summary: str, ok: str = "200", body: str | None = None, params: list[str] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {ok: {"description": "OK"}, **ERRORS},
                          "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "integer"}}
                                         for p in params or []]}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{body}"}}}}
    return op


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Zorgportaal API", "version": "1.0.0",
             "description": "Client dossiers and case notes under the same access rules and audit trail as the "
                            "portal's pages. Authenticate with a personal token: Authorization: Bearer <token>."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/clients": {"get": _op("Dossiers you may see")},
        "/clients/{client-id}": {"get": _op("One dossier", params=["client-id"])},
        "/clients/{client-id}/case-notes": {
            "get": _op("Case notes you may see", params=["client-id"]),
            "post": _op("Write a case note", "201", "CaseNoteInput", ["client-id"])},
        "/case-notes/{case-note-id}": {"get": _op("One case note", params=["case-note-id"])},
        "/search": {"get": {**_op("Full-text search over what you may see"), "parameters": [
            {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 500}},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {"name": "type", "in": "query", "schema": {"type": "string"}},
            {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "date"]}}]}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Problem": {"type": "object", "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "invalid-params": {"type": "array", "items": {
                    "type": "object", "properties": {"name": {"type": "string"}, "reason": {"type": "string"}}}}}},
            "CaseNoteInput": {"type": "object", "required": ["title", "text"], "properties": {
                "title": {"type": "string", "maxLength": 200}, "text": {"type": "string", "maxLength": 20000},
                "noted-on": {"type": "string", "format": "date"},
                "life-domains": {"type": "array", "items": {"type": "string"}},
                "data-category": {"type": "string"}, "confidentiality": {"type": "string"},
                "final": {"type": "boolean"}}},
        },
    },
}


@bp.get("/openapi.json")
@public
def openapi() -> Any:
    return SPEC
