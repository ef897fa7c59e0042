"""`ALLOWED_HOSTS`: a request whose `Host` is not one of the service's names is `400`.

A forged `Host` is how a cache or a password-reset mail gets poisoned with someone else's URL.
The service builds no URL from `Host` (its `Location` and `Link` headers are relative), and with
`ALLOWED_HOSTS` set (comma-separated names, a port ignored; `*`, the default, allows any) it
refuses the request outright, with a JSON `detail` like every other error.
"""

from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

INVALID_HOST = "This service is not served under that host name (Host header); see ALLOWED_HOSTS"


def host_name(host: str) -> str:
    """The name of a `Host` value: lower case, without its port (an IPv6 literal keeps its brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class AllowedHosts:
    """Refuse (400) an HTTP request whose Host is not in `names`."""

    def __init__(self, app: ASGIApp, names: Collection[str]) -> None:
        self.app = app
        self.names = frozenset(host_name(name) for name in names)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and host_name(Headers(scope=scope).get("host", "")) not in self.names:
            await JSONResponse({"detail": INVALID_HOST}, status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)
