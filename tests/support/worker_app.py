"""The service exactly as `app.main:app`, each answer naming the worker process that gave it.

For tests that must show something holds in every uvicorn worker: the `X-Worker-Pid` header.
"""

import os

from starlette.types import Message, Receive, Scope, Send

from app.main import app as service


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    async def named(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), (b"x-worker-pid", str(os.getpid()).encode())]
        await send(message)

    await service(scope, receive, named)
