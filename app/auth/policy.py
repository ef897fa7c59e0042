"""Who may do what: the modes of `AUTH_MODE`, the open paths, and the role a request needs.

Requests are told apart by method alone (GET, HEAD and OPTIONS read; everything else writes),
so a route added later is covered without anyone listing it. Open in every mode: the probes,
the shop's page and its static files, and the interactive docs (the page and Swagger UI must
load before a browser can offer a key; the schema shows no data).
"""

from app.core.access import AuthMode, Role

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

OPEN_PATHS = frozenset(
    {"/", "/health", "/health/ready", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
)
OPEN_PREFIXES = ("/static/", "/static-offline-docs/")
"""Static files (the shop's page, the docs' own assets): served by mounts, never data."""


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def required_role(mode: AuthMode, method: str, path: str) -> Role | None:
    """The role a request needs, or None when it needs no key."""
    if mode is AuthMode.OFF or is_open(path):
        return None
    if method in READ_METHODS:
        return Role.READ if mode is AuthMode.ALL else None
    return Role.WRITE
