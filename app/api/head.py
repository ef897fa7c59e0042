"""`HEAD` for every `GET`: the request is answered as the `GET` it stands for, without the body.

FastAPI routes answer only the methods they declare, so `HEAD /products` would be `405`. This
ASGI middleware runs a `HEAD` as a `GET` (same status, same headers, `Content-Length` included,
as RFC 9110 asks) and sends no body. The OpenAPI schema is left as it is: no `head` operations.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer `HEAD` as `GET`, headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False) and not ended:
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, headers_only)
