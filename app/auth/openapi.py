"""The Bearer scheme in the OpenAPI schema: /docs offers "Authorize", and each operation that
needs a key says so (its `security`, and its 401/403/429 answers), as app.auth.policy decides.
"""

from typing import Any

from fastapi import FastAPI

from app.auth.policy import required_role
from app.core.access import AuthMode, Role

SCHEME = "APIKey"
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API key made by `python -m app.keys create NAME --role read|write`.",
}
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorMessage"}}}
UNAUTHORIZED = {"description": "No valid key: missing, malformed, unknown or revoked", "content": ERROR_BODY}
FORBIDDEN = {"description": "The API key may only read", "content": ERROR_BODY}
THROTTLED = {"description": "Too many invalid keys from this address; see Retry-After", "content": ERROR_BODY}


def add_security(schema: dict[str, Any], mode: AuthMode) -> None:
    """Mark, in place, every operation of `schema` that needs a key in `mode`."""
    if mode is AuthMode.OFF:
        return
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[SCHEME] = SECURITY_SCHEME
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            needed = required_role(mode, method.upper(), path)
            if needed is None:
                continue
            operation["security"] = [{SCHEME: []}]
            responses = operation.setdefault("responses", {})
            responses["401"] = UNAUTHORIZED
            responses["429"] = THROTTLED
            if needed is Role.WRITE:
                responses["403"] = FORBIDDEN


def document_security(app: FastAPI, mode: AuthMode) -> None:
    """Make the app's `openapi()` return its schema with the security of `mode` added."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_security(build(), mode)
        assert app.openapi_schema is not None  # FastAPI's openapi() stores what it builds
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
