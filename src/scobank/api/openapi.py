"""The OpenAPI document as clients read it: every error answered in the one error shape (ErrorPublic;
FastAPI would document `{"detail": ...}` for 422, which the bank never sends), the security schemes
(bearer token, session cookie) that scobank.deps declares, and the X-Purpose header on every route
that passes the access gate (those depending on scobank.deps.current_reader)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from scobank.api.errors import ErrorPublic

ERROR_REF = {"$ref": "#/components/schemas/ErrorPublic"}
ERROR_STATUSES = {"400": "bad request", "401": "no or bad credentials", "403": "not permitted",
                  "404": "not found, or not visible to the caller", "422": "invalid parameters or input"}
FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _drop_untyped_json(operation: dict) -> None:
    """A route answering another media type (CSV, JSON-LD) declares it; FastAPI's default untyped
    application/json entry beside it would tell clients to expect JSON."""
    for response in operation.get("responses", {}).values():
        content = response.get("content", {})
        if content.get("application/json") == {"schema": {}} and len(content) > 1:
            del content["application/json"]


def _error_responses(operation: dict, *, ours: bool) -> None:
    """Our routes document every error status in the one shape; CKAN's answer theirs in CKAN's shape
    and keep only the 422 a malformed parameter gets before the route runs."""
    responses = operation.setdefault("responses", {})
    for status, description in ERROR_STATUSES.items():
        if ours or (status == "422" and status in responses):
            responses[status] = {"description": description,
                                 "content": {"application/json": {"schema": ERROR_REF}}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(title=app.title, version=app.version, routes=app.routes,
                           description="The REST API of the SCO Data Bank. Errors: `{ok: false, code, "
                                       "message, problems}`. State your purpose with `X-Purpose`.")
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_ERROR_SCHEMAS:
        schemas.pop(name, None)
    schemas["ErrorPublic"] = ErrorPublic.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schemas["ErrorPublic"].pop("$defs", {}))
    for path, path_item in document.get("paths", {}).items():
        for operation in path_item.values():
            _drop_untyped_json(operation)
            _error_responses(operation, ours=path.startswith("/api/v1/"))
            if operation.get("security"):
                operation["security"].append({})  # anonymous callers are welcome too (public data)
    return document


def install_openapi(app: FastAPI) -> None:
    """Build the document once, on first request of /api/openapi.json."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi
