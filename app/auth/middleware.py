"""`ApiKeyAuth`: the ASGI middleware that admits or refuses every HTTP request by its API key.

It runs before routing, so it covers every route, including those added later, and no
handler, dependency or idempotency replay runs for a refused request. For each request it
sets `scope["state"]["api_key_id"]` (`request.state.api_key_id`, see app.auth), then:

- no key needed (app.auth.policy): passes it on;
- a client address that failed too often (app.auth.throttle): `429` with `Retry-After`;
- no, a malformed, an unknown or a revoked key: `401` with `WWW-Authenticate: Bearer`;
- a `read` key on a write: `403`;
- otherwise passes it on.

A valid key is looked up once a second at most per worker (app.auth.cache; one indexed
statement on a pooled connection otherwise), so a revocation takes effect within a second in
every worker process.
"""

import logging

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.auth import API_KEY_ID
from app.auth.cache import KeyCache, ValidKey
from app.auth.policy import required_role
from app.auth.throttle import FailureThrottle
from app.auth.tokens import bearer_token, token_hash
from app.core.access import AuthMode, Role
from app.core.database import DATABASE_UNAVAILABLE, is_database_unavailable
from app.crud import api_key as crud

logger = logging.getLogger("inventory")

REALM = 'Bearer realm="inventory"'
MISSING = "This request needs an API key: send 'Authorization: Bearer <key>'"
MALFORMED = "The Authorization header must be 'Bearer <key>' with a key made by 'python -m app.keys create'"
UNKNOWN = "This API key is not valid"
REVOKED = "This API key has been revoked"
READ_ONLY = "This API key may only read; this request needs a key with the write role"
THROTTLED = "Too many requests with invalid API keys from this address; retry in {seconds} s"
CACHE_SECONDS = 1.0
"""How long a worker trusts a key it found valid: the most a revocation can lag."""


def refusal(status_code: int, detail: str, headers: dict[str, str]) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status_code, headers=headers)


def unauthorized(detail: str) -> JSONResponse:
    challenge = REALM if detail == MISSING else f'{REALM}, error="invalid_token"'
    return refusal(401, detail, {"WWW-Authenticate": challenge})


def authorization_headers(scope: Scope) -> list[bytes]:
    return [value for name, value in scope["headers"] if name == b"authorization"]


class ApiKeyAuth:
    """Admit a request only with a key whose role allows it (see the module docstring)."""

    def __init__(self, app: ASGIApp, mode: AuthMode, throttle: FailureThrottle) -> None:
        self.app = app
        self.mode = mode
        self.throttle = throttle
        self.cache = KeyCache(CACHE_SECONDS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state[API_KEY_ID] = None
        needed = required_role(self.mode, scope["method"], scope["path"])
        if needed is not None:
            address = scope["client"][0] if scope.get("client") else ""
            outcome = await self.check(scope, needed, address)
            if isinstance(outcome, JSONResponse):
                await outcome(scope, receive, send)
                return
            state[API_KEY_ID] = outcome
        await self.app(scope, receive, send)

    async def check(self, scope: Scope, needed: Role, address: str) -> int | JSONResponse:
        """The id of the key that may make this request, or the response that refuses it."""
        retry_after = self.throttle.retry_after(address)
        if retry_after:
            return refusal(429, THROTTLED.format(seconds=retry_after), {"Retry-After": str(retry_after)})
        headers = authorization_headers(scope)
        if not headers:
            return unauthorized(MISSING)
        token = bearer_token(headers[0]) if len(headers) == 1 else None
        if token is None:
            return self.failed(address, MALFORMED)
        secret_hash = token_hash(token)
        key = self.cache.get(secret_hash)
        if key is None:
            found = await self.look_up(scope, secret_hash, address)
            if isinstance(found, JSONResponse):
                return found
            key = found
            self.cache.put(secret_hash, key)
        if not key.role.allows(needed):
            return refusal(403, READ_ONLY, {"WWW-Authenticate": f'{REALM}, error="insufficient_scope"'})
        return key.id

    async def look_up(self, scope: Scope, secret_hash: bytes, address: str) -> ValidKey | JSONResponse:
        """The valid key with this hash from the database, or the 401 (or 503) that refuses it."""
        engine: AsyncEngine = scope["app"].state.engine
        try:
            async with engine.connect() as db:
                key = await crud.authenticate(db=db, secret_hash=secret_hash)
        except Exception as error:
            if not is_database_unavailable(error):
                raise
            logger.warning("database unavailable checking an API key: %s", type(error).__name__)
            return refusal(503, DATABASE_UNAVAILABLE, {})
        if key is None:
            return self.failed(address, UNKNOWN)
        if key.revoked_at is not None:
            return self.failed(address, REVOKED)
        return ValidKey(key.id, Role(key.role))

    def failed(self, address: str, detail: str) -> JSONResponse:
        self.throttle.failed(address)
        return unauthorized(detail)
