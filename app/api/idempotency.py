"""`IdempotentRoute`: every write route answers a repeated `Idempotency-Key` from the stored outcome.

A router built with `APIRouter(route_class=IdempotentRoute)` gets this on its POST, PUT, PATCH
and DELETE routes; `create_app` refuses to start with a write route that lacks it
(`require_idempotent_writes`). It is a `ConnectionRoute` (app.api.deps): without the header a route
runs exactly as there. With it, the request runs in one transaction on the request's connection,
which it opens first (the route's `Connection` gets the same one; `ConnectionRoute` releases it):

1. the key is claimed: its advisory lock is tried and its stored outcome read (app.crud.idempotency);
   a stored outcome is replayed (`Idempotent-Replayed: true`) or, for another request, a 422;
   a key held by an unfinished request is a 409;
2. the route runs inside a savepoint, so a domain refusal (404, 409) leaves nothing behind;
3. its outcome (status, body, Location) is stored and committed together with its effect.

Refusals before the route body (400 bad key, 413, 422 validation) roll everything back and are
not remembered. The scope of a key is the API key that sent it (`request.state.api_key_id`,
set before routing by app.auth), '' without one.
"""

import hashlib
import re
from collections.abc import Sequence
from datetime import timedelta

from fastapi import Request, Response
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from app.api.deps import ConnectionRoute, Handler, request_connection
from app.api.errors import domain_error_response, error
from app.auth import API_KEY_ID
from app.core.database import transaction
from app.core.exceptions import DomainError, KeyInProgressError, KeyReusedError
from app.crud import idempotency as crud

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
VALID_KEY = re.compile(r"[!-~]{1,255}")
BAD_KEY = "Idempotency-Key must be one header of 1 to 255 visible ASCII characters ('!' to '~')"


class IdempotentRoute(ConnectionRoute):
    """A ConnectionRoute whose write methods honour `Idempotency-Key`."""

    def get_connected_handler(self) -> Handler:
        handler = super().get_connected_handler()
        if not is_write(self):
            return handler

        async def idempotent_handler(request: Request) -> Response:
            if HEADER not in request.headers:
                return await handler(request)
            return await answer_once(request, handler)

        return idempotent_handler


def is_write(route: APIRoute) -> bool:
    return bool(route.methods and route.methods & WRITE_METHODS)


def require_idempotent_writes(routes: Sequence[BaseRoute]) -> None:
    """Refuse an app with a write route (in any included router) that a key would not protect."""
    for context in iter_route_contexts(routes):
        route = context.original_route
        if isinstance(route, APIRoute) and is_write(route) and not isinstance(route, IdempotentRoute):
            raise TypeError(
                f"{sorted(route.methods or ())} {route.path} is a write route: build its router with"
                " APIRouter(route_class=IdempotentRoute) (app.api.idempotency)"
            )


def valid_key(values: list[str]) -> str | None:
    """The one header's value when it is a valid key (1-255 of '!'..'~'), else None."""
    if len(values) == 1 and VALID_KEY.fullmatch(values[0]):
        return values[0]
    return None


async def keyed_request(request: Request, key: str) -> crud.KeyedRequest:
    """The fingerprint of the request: scope, key, method, path with its query, body's sha256."""
    api_key_id = getattr(request.state, API_KEY_ID, None)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return crud.KeyedRequest(
        scope="" if api_key_id is None else str(api_key_id),
        key=key,
        method=request.method,
        path=path,
        body_sha256=hashlib.sha256(await request.body()).digest(),
    )


def replay(outcome: crud.Outcome) -> Response:
    headers = {REPLAYED_HEADER: "true"}
    if outcome.location is not None:
        headers["Location"] = outcome.location
    media_type = "application/json" if outcome.body else None
    return Response(outcome.body, status_code=outcome.status, headers=headers, media_type=media_type)


def remembered(response: Response) -> crud.Outcome | None:
    """The outcome to store: a success, or a 404/409 the data layer decided; else None."""
    if response.status_code >= 300 and response.status_code not in {404, 409}:
        return None
    return crud.Outcome(response.status_code, bytes(response.body), response.headers.get("location"))


async def answer_once(request: Request, handler: Handler) -> Response:
    """Run a keyed write at most once per key; answer repeats from the stored outcome."""
    key = valid_key(request.headers.getlist(HEADER))
    if key is None:
        return error(400, BAD_KEY)
    keyed = await keyed_request(request, key)
    ttl = timedelta(hours=request.app.state.settings.idempotency_ttl_hours)
    db = await request_connection(request)
    async with transaction(db):
        claim = await crud.claim(db=db, request=keyed, ttl=ttl)
        if claim.stored is not None:
            if not claim.stored.matches(keyed):
                raise KeyReusedError(key, claim.stored.method, claim.stored.path)
            return replay(claim.stored.outcome)
        if not claim.locked:
            raise KeyInProgressError(key)
        try:
            async with transaction(db):  # a savepoint: a refused write undoes its own statements
                response = await handler(request)
        except DomainError as refusal:
            response = domain_error_response(refusal)
        outcome = remembered(response)
        if outcome is not None and not await crud.store(db=db, request=keyed, outcome=outcome, ttl=ttl):
            raise KeyInProgressError(key)  # its first request committed as we claimed: undo ours
    return response
