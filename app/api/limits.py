"""Request body size limits: a body over `MAX_BODY_BYTES` gets 413 with a JSON `detail`.

A few paths take larger bodies (the CSV import: `IMPORT_MAX_BYTES`): their own limit replaces
the global one for exactly that path.

A request that declares a longer `Content-Length` is refused before any of its body is read; one
that declares a length within the limit (and is not chunked) passes untouched, since the server
delivers no more than that length (no per-message wrapper on the hot path); a chunked body is
counted as the app reads it and cut off at the limit, so none is ever buffered whole. (FastAPI's
own `max_body_size` answers some of these in plain text.)
"""

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_TOO_LARGE = "Content Too Large"


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the body crosses the limit; FastAPI's handler makes it a JSON 413."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=CONTENT_TOO_LARGE)


class BodySizeLimit:
    """ASGI middleware: answer 413 to an HTTP request whose body is longer than `max_bytes`,
    or than `path_limits[path]` for the paths listed there."""

    def __init__(self, app: ASGIApp, max_bytes: int, path_limits: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = dict(path_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.path_limits.get(scope["path"], self.max_bytes)
        length, chunked = body_framing(scope)
        if length > max_bytes:
            await too_large(scope, receive, send)
            return
        if not chunked:  # no body, or one of `length` bytes at most: nothing to count
            await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await too_large(scope, receive, send)


async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
    await JSONResponse({"detail": CONTENT_TOO_LARGE}, status_code=413)(scope, receive, send)


def body_framing(scope: Scope) -> tuple[int, bool]:
    """The request's Content-Length (0 when absent or not a number: the server refuses those), and
    whether it has a Transfer-Encoding (a chunked body, of a length known only once read)."""
    length, chunked = 0, False
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = int(value) if value.isdigit() else 0
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked
