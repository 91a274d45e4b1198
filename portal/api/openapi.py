"""The OpenAPI 3 document for /api/v1 (NL API Design Rules: JSON, kebab-case, problem+json)."""

from __future__ import annotations

import copy
from typing import Any

from portal.api import bp
from portal.web.guards import public

PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS = {"400": {"description": "Invalid input", **PROBLEM}, "401": {"description": "Not authenticated", **PROBLEM},
          "404": {"description": "Not found (or not visible to you)", **PROBLEM}}
FORBIDDEN = {"403": {"description": "Not allowed", **PROBLEM}}


def _op(summary: str, ok: str = "200", body: str | None = None, params: list[str] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {ok: {"description": "OK"}, **ERRORS},
                          "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "integer"}}
                                         for p in params or []]}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{body}"}}}}
    return op


_CODE = {"name": "organisation-code", "in": "path", "required": True, "schema": {"type": "string"}}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Zorgportaal API", "version": "1.0.0",
             "description": "Client dossiers and case notes under the same access rules and audit trail as the "
                            "portal's pages. Authenticate with a personal token: Authorization: Bearer <token>."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/clients": {"get": _op("Dossiers you may see"),
                     "post": _op("Intake: open a dossier in a team workspace (case managers who are members); "
                                 "she becomes its case manager", "201", "ClientInput")},
        "/clients/{client-id}": {"get": _op("One dossier", params=["client-id"]),
                                 "patch": _op("Change the dossier data (assigned case manager); 409 when "
                                              "etag-version is stale", body="ClientPatch", params=["client-id"])},
        "/clients/{client-id}/case-notes": {
            "get": _op("Case notes you may see", params=["client-id"]),
            "post": _op("Write a case note", "201", "CaseNoteInput", ["client-id"])},
        "/case-notes/{case-note-id}": {"get": _op("One case note, with its attachments", params=["case-note-id"])},
        "/case-notes/{case-note-id}/attachments": {"post": _op(
            "Attach a file (base64 PDF, DOCX, PNG or JPEG) to a draft, or to a final note you may correct; its "
            "text is searchable; 413 when too large", "201", "AttachmentInput", ["case-note-id"])},
        "/case-notes/{case-note-id}/attachments/{attachment-id}": {
            "get": _op("The attached file (audited)", params=["case-note-id", "attachment-id"]),
            "delete": {**_op("Remove an attachment while the note is a draft; 409 once final", "204",
                             params=["case-note-id", "attachment-id"]), "responses": {
                "204": {"description": "Removed"}, **ERRORS, **FORBIDDEN,
                "409": {"description": "The note is final", **PROBLEM}}}},
        "/consents": {"post": _op("Compose a consent form (draft); assigned case manager only", "201",
                                  "ConsentInput")},
        "/consents/{consent-id}": {"get": _op("One consent", params=["consent-id"])},
        "/consents/{consent-id}/sign": {"post": _op(
            "Client signs (drawn, typed or paper scan) and the case manager countersigns with her password; "
            "the form is sealed (PAdES) and archived", body="ConsentSignInput", params=["consent-id"])},
        "/consents/{consent-id}/revoke": {"post": _op("Revoke a signed consent; access ends at once",
                                                      body="ConsentRevokeInput", params=["consent-id"])},
        "/consents/{consent-id}/file": {"get": _op("The sealed PDF (application/pdf)", params=["consent-id"])},
        "/letters": {
            "get": {**_op("Letters and plans you may see"), "parameters": [
                {"name": "workspace-id", "in": "query", "schema": {"type": "integer"}}]},
            "post": _op("Start a council briefing, project plan, agenda, minutes (workspace-id) or a client's plan "
                        "of approach (client-id); gets a reference such as RIB/2026/0003", "201", "LetterInput")},
        "/letters/{letter-id}": {
            "get": _op("One letter with its fields, reviews, comments and ZRM measurements", params=["letter-id"]),
            "patch": _op("Change title, fields or confidentiality (drafts; client plans also when agreed); a new "
                         "version; 409 when sent or when etag-version is stale", body="LetterPatch",
                         params=["letter-id"])},
        "/letters/{letter-id}/file": {"get": {**_op("The PDF or DOCX (frozen from the archive once sent)",
                                                    params=["letter-id"]),
                                              "parameters": [
            {"name": "letter-id", "in": "path", "required": True, "schema": {"type": "integer"}},
            {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["pdf", "docx"]}}]}},
        "/letters/{letter-id}/versions": {"get": _op("Version history with the text of each version",
                                                     params=["letter-id"])},
        "/letters/{letter-id}/transitions": {"post": _op(
            "Workflow step: submit (with reviewers), withdraw, approve, send-back (with comment), reopen, send; "
            "client plans: agree, evaluate (with remark)", body="LetterTransition", params=["letter-id"])},
        "/letters/{letter-id}/comments": {"post": _op("A reviewer's comment on one section", "201", "LetterComment",
                                                      ["letter-id"])},
        "/letters/{letter-id}/measurements": {"post": _op("Record ZRM scores (1-5 per life domain) on a client plan",
                                                          "201", "ZrmInput", ["letter-id"])},
        "/letters/{letter-id}/sharing": {
            "get": _op("Who can see this letter today and why, and its local roles (author only)",
                       params=["letter-id"]),
            "post": _op("Share: a local role (reader, editor, reviewer) for a user, organisation or workspace",
                        "201", "SharingInput", ["letter-id"])},
        "/letterheads": {"get": _op("Letterheads of all organisations (functional admin)")},
        "/letterheads/{organisation-code}": {
            "get": {**_op("The current letterhead of one organisation (functional admin)"), "parameters": [_CODE]},
            "put": {**_op("Save a new letterhead version; new renders use it, sent documents keep their files",
                          body="LetterheadInput"), "parameters": [_CODE],
                    "responses": {"200": {"description": "OK"}, **ERRORS,
                                  "413": {"description": "Logo too large", **PROBLEM}}}},
        "/woo-requests": {"get": _op("Woo requests you handle or review"),
                          "post": _op("Open a Woo request (privacy officer) and name its reviewer", "201",
                                      "WooRequestInput")},
        "/woo-requests/{woo-request-id}": {"get": _op(
            "One request with its documents, their text segments and redactions", params=["woo-request-id"])},
        "/woo-requests/{woo-request-id}/documents": {"post": _op(
            "Add a letter you may view (letter-id)", "201", "WooDocumentInput", ["woo-request-id"])},
        "/woo-requests/{woo-request-id}/uploads": {"post": _op(
            "Add an uploaded PDF (base64); pages with images are withheld whole", "201", "WooUploadInput",
            ["woo-request-id"])},
        "/woo-requests/{woo-request-id}/documents/{document-id}/proposals": {"post": _op(
            "Propose redactions (names, e-mail, phone, BSN, addresses, amounts, special categories); replaces "
            "earlier ones", params=["woo-request-id", "document-id"])},
        "/woo-requests/{woo-request-id}/documents/{document-id}/redactions": {"post": _op(
            "Reviewer: add a redaction by quoting text in a segment; 400 when it overlaps another, 409 when the "
            "document changed since the proposals", "201", "WooRedactionInput", ["woo-request-id", "document-id"])},
        "/woo-requests/{woo-request-id}/redactions/{redaction-id}": {"patch": _op(
            "Reviewer: accept or remove a redaction, optionally with another ground", body="WooRedactionPatch",
            params=["woo-request-id", "redaction-id"])},
        "/woo-requests/{woo-request-id}/documents/{document-id}/decision": {"put": _op(
            "Reviewer: public, partly-public or not-public (with a ground)", body="WooDecisionInput",
            params=["woo-request-id", "document-id"])},
        "/woo-requests/{woo-request-id}/export": {"post": _op(
            "Handler: redacted files and inventory as application/zip, released only after the leak check; 409 "
            "with the reasons otherwise", params=["woo-request-id"])},
        "/audit-log": {"get": {**_op("The audit trail, newest first (privacy officer); the look is itself logged"),
                               "responses": {"200": {"description": "OK"}, **ERRORS, **FORBIDDEN},
                               "parameters": [
            {"name": "user", "in": "query", "schema": {"type": "string"}, "description": "user name, exact"},
            {"name": "client", "in": "query", "schema": {"type": "integer"}, "description": "client id"},
            {"name": "action", "in": "query", "schema": {"type": "string"}, "description": "e.g. object:view"},
            {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
            {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"},
             "description": "inclusive"},
            {"name": "denied", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]},
             "description": "1: denials only; 0 or absent: everything"},
            {"name": "upto", "in": "query", "schema": {"type": "integer", "minimum": 1},
             "description": "only entries up to this seq; the links of a look carry it so its pages hold still "
                            "while the log grows (each look adds an entry)"},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000}},
            {"name": "per-page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                                            "default": 50}}]}},
        "/audit-log/emergency-grants": {"get": {**_op("Emergency access still to be reviewed (privacy officer)"),
                                                "responses": {"200": {"description": "OK"}, **ERRORS,
                                                              **FORBIDDEN}}},
        "/audit-log/emergency-grants/{emergency-grant-id}/review": {"post": {**_op(
            "Mark emergency access reviewed (privacy officer); optional JSON body {\"note\": \"...\"}",
            params=["emergency-grant-id"]), "responses": {"200": {"description": "OK"}, **ERRORS, **FORBIDDEN}}},
        "/search": {"get": {**_op("Full-text search over what you may see"), "parameters": [
            {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 500}},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {"name": "type", "in": "query", "schema": {"type": "string"}},
            {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "date"]}}]}},
        "/search/suggestions": {"get": {**_op("Completions of the last word typed, from words of documents you may "
                                              "see only"), "parameters": [
            {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 100}}]}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "SharingInput": {"type": "object", "required": ["principal-kind", "principal-id", "role"], "properties": {
                "principal-kind": {"type": "string", "enum": ["user", "organisation", "workspace"]},
                "principal-id": {"type": "integer"}, "role": {"type": "string",
                                                              "enum": ["reader", "editor", "reviewer"]}}},
            "LetterheadInput": {"type": "object", "required": ["colour"], "properties": {
                "address-lines": {"type": "array", "items": {"type": "string", "maxLength": 80}, "maxItems": 6},
                "phone": {"type": "string", "maxLength": 40}, "email": {"type": "string", "format": "email"},
                "website": {"type": "string", "maxLength": 200},
                "colour": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
                "logo": {"type": "string", "format": "byte", "nullable": True,
                         "description": "base64 PNG or JPEG, checked by content; omit to keep the current "
                                        "logo, null to remove it. A JSON body is capped at 256 kB, so about "
                                        "190 kB of logo here; the page takes up to 1 MB"},
                "logo-media-type": {"type": "string", "enum": ["image/png", "image/jpeg"]}}},
            "Problem": {"type": "object", "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "invalid-params": {"type": "array", "items": {
                    "type": "object", "properties": {"name": {"type": "string"}, "reason": {"type": "string"}}}}}},
            "ConsentInput": {"type": "object", "required": ["client-id", "organisations", "categories"], "properties": {
                "client-id": {"type": "integer"},
                "organisations": {"type": "array", "items": {"type": "string"}, "description": "codes, e.g. GGD"},
                "categories": {"type": "array", "items": {"type": "string"}},
                "purpose": {"type": "string", "maxLength": 2000},
                "ends-on": {"type": "string", "format": "date", "description": "default: one year from today"},
                "language": {"type": "string", "enum": ["nl", "en"]}, "form-version": {"type": "string"},
                "client-name": {"type": "string", "maxLength": 200}}},
            "ConsentSignInput": {"type": "object", "required": ["signer-name", "identification", "password"],
                                 "properties": {
                "method": {"type": "string", "enum": ["drawn", "typed", "paper"]},
                "signer-name": {"type": "string"},
                "identification": {"type": "string", "enum": ["id_document", "known_to_team", "representative"]},
                "signature-png": {"type": "string", "format": "byte", "description": "method drawn"},
                "typed-confirm": {"type": "boolean", "description": "method typed"},
                "scan": {"type": "string", "format": "byte", "description": "method paper: PDF, JPEG or PNG"},
                "scan-media-type": {"type": "string"},
                "password": {"type": "string", "format": "password", "description": "the case manager's"}}},
            "ConsentRevokeInput": {"type": "object", "required": ["reason"], "properties": {
                "reason": {"type": "string", "maxLength": 1000}}},
            "LetterInput": {"type": "object", "required": ["type", "title"], "properties": {
                "type": {"type": "string", "enum": ["council-briefing", "project-plan", "agenda", "minutes", "memo",
                                                    "plan-of-approach"]},
                "title": {"type": "string", "maxLength": 200}, "workspace-id": {"type": "integer"},
                "client-id": {"type": "integer"}, "confidentiality": {"type": "string"},
                "fields": {"type": "object", "description": "per type, as on the form, e.g. "
                           "evaluation-and-explanation, figures (housing, permits, contact, finances, zrm), budget "
                           "(one line per item: description | hours | rate | amount)"}}},
            "LetterPatch": {"type": "object", "properties": {
                "title": {"type": "string"}, "fields": {"type": "object"}, "confidentiality": {"type": "string"},
                "etag-version": {"type": "integer"}}},
            "LetterTransition": {"type": "object", "required": ["transition"], "properties": {
                "transition": {"type": "string", "enum": ["submit", "withdraw", "approve", "send-back", "reopen",
                                                          "send", "agree", "evaluate"]},
                "reviewers": {"type": "array", "items": {"type": "integer"}}, "comment": {"type": "string"},
                "remark": {"type": "string"}, "etag-version": {"type": "integer"}}},
            "LetterComment": {"type": "object", "required": ["text"], "properties": {
                "section": {"type": "string"}, "text": {"type": "string", "maxLength": 5000}}},
            "ZrmInput": {"type": "object", "required": ["measured-on", "scores"], "properties": {
                "measured-on": {"type": "string", "format": "date"},
                "scores": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1,
                                                                      "maximum": 5}}}},
            "ClientInput": {"type": "object", "required": ["workspace-id", "display-name", "permit-status",
                                                           "housing", "financial-administration",
                                                           "contact-frequency"], "properties": {
                "workspace-id": {"type": "integer"},
                "display-name": {"type": "string", "maxLength": 100,
                                 "description": "a pseudonym, never the legal name"},
                "date-of-birth": {"type": "string", "format": "date"},
                "permit-status": {"type": "string", "enum": ["none", "applied", "granted", "refused", "expired"]},
                "housing": {"type": "string", "enum": ["night_shelter", "sheltered_housing", "independent",
                                                       "homeless", "social_shelter", "other"]},
                "financial-administration": {"type": "string", "enum": ["none", "protective", "budget_management",
                                                                        "debt_relief"]},
                "contact-frequency": {"type": "string", "enum": ["weekly", "monthly", "less"]}}},
            "ClientPatch": {"type": "object", "description": "any fields of ClientInput except workspace-id",
                            "properties": {"etag-version": {"type": "integer"}}},
            "WooRequestInput": {"type": "object", "required": ["title", "received-on", "reviewer-id"], "properties": {
                "title": {"type": "string", "maxLength": 200}, "requester-reference": {"type": "string"},
                "received-on": {"type": "string", "format": "date"}, "reviewer-id": {"type": "integer"}}},
            "WooDocumentInput": {"type": "object", "required": ["letter-id"], "properties": {
                "letter-id": {"type": "integer"}}},
            "AttachmentInput": {"type": "object", "required": ["file", "filename"], "properties": {
                "file": {"type": "string", "format": "byte", "description": "The file, base64"},
                "filename": {"type": "string", "description": "Shown and offered on download; sanitised"},
                "media-type": {"type": "string", "description": "Your claim; the portal trusts only the bytes",
                               "enum": ["application/pdf", "application/vnd.openxmlformats-officedocument."
                                        "wordprocessingml.document", "image/png", "image/jpeg"]}}},
            "WooUploadInput": {"type": "object", "required": ["title", "file"], "properties": {
                "title": {"type": "string", "maxLength": 200}, "dated-on": {"type": "string", "format": "date"},
                "file": {"type": "string", "format": "byte"}, "filename": {"type": "string"}}},
            "WooRedactionInput": {"type": "object", "required": ["segment", "text", "ground"], "properties": {
                "segment": {"type": "string"}, "text": {"type": "string"},
                "occurrence": {"type": "integer", "minimum": 1}, "ground": {"type": "string", "example": "5.1.2e"}}},
            "WooRedactionPatch": {"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "enum": ["accepted", "removed"]}, "ground": {"type": "string"}}},
            "WooDecisionInput": {"type": "object", "required": ["decision"], "properties": {
                "decision": {"type": "string", "enum": ["", "public", "partly-public", "not-public"]},
                "ground": {"type": "string"}, "remark": {"type": "string", "maxLength": 1000}}},
            "CaseNoteInput": {"type": "object", "required": ["title", "text"], "properties": {
                "title": {"type": "string", "maxLength": 200}, "text": {"type": "string", "maxLength": 20000},
                "noted-on": {"type": "string", "format": "date"},
                "life-domains": {"type": "array", "items": {"type": "string"}},
                "data-category": {"type": "string"}, "confidentiality": {"type": "string"},
                "final": {"type": "boolean"}}},
        },
    },
}



def _documents_paths(paths: dict[str, Any]) -> dict[str, Any]:
    """/documents is the canonical name of /letters: the same operations, served by the same views."""
    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value.replace("letter-id", "document-id") if isinstance(value, str) else value

    return {p.replace("/letters", "/documents", 1).replace("{letter-id}", "{document-id}"): rename(copy.deepcopy(item))
            for p, item in paths.items() if p == "/letters" or p.startswith("/letters/")}


SPEC["paths"] = {**_documents_paths(SPEC["paths"]), **SPEC["paths"]}


@bp.get("/openapi.json")
@public
def openapi() -> Any:
    return SPEC
