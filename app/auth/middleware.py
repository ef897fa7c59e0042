"""`ApiKeyAuth`: the ASGI middleware that admits or refuses every HTTP request by its API key.

It runs before routing, so it covers every route, including those added later, and no
handler, dependency or idempotency replay runs for a refused request. For each request it
sets `scope["state"]["api_key_id"]` (`request.state.api_key_id`, see app.auth), then:

- no key needed (app.auth.policy): passes it on;
- a valid key passes, even from a throttled address;
- a client address that failed too often (app.auth.throttle): `429` with `Retry-After` for a
  missing, malformed, unknown or revoked key (the first two without asking the database);
- otherwise no, a malformed, an unknown or a revoked key: `401` with `WWW-Authenticate: Bearer`;
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
        """The id of the key that may make this request, or the response that refuses it.

        A missing or malformed key from a throttled address is refused at once (no lookup); a
        well-formed one is still looked up, and passes when it is valid.
        """
        retry_after = self.throttle.retry_after(address)
        headers = authorization_headers(scope)
        token = bearer_token(headers[0]) if len(headers) == 1 else None
        if token is None:
            if retry_after:
                return self.throttled(retry_after)
            return unauthorized(MISSING) if not headers else self.failed(address, MALFORMED)
        secret_hash = token_hash(token)
        key = self.cache.get(secret_hash)
        if key is None:
            reserved = self.throttle.begin(
                address
            )  # counts now, so that concurrent guesses cannot pass the limit
            failed = False
            try:
                found = await self.look_up(scope, secret_hash)
                failed = isinstance(found, str)
            finally:
                if reserved:
                    self.throttle.end(address, failed=failed)
            if isinstance(found, JSONResponse):
                return found
            if isinstance(found, str):
                return unauthorized(found) if reserved else self.throttled(self.throttle.retry_after(address))
            key = found
            self.cache.put(secret_hash, key)
        if not key.role.allows(needed):
            return refusal(403, READ_ONLY, {"WWW-Authenticate": f'{REALM}, error="insufficient_scope"'})
        return key.id

    def throttled(self, retry_after: int) -> JSONResponse:
        seconds = max(retry_after, 1)
        return refusal(429, THROTTLED.format(seconds=seconds), {"Retry-After": str(seconds)})

    async def look_up(self, scope: Scope, secret_hash: bytes) -> ValidKey | str | JSONResponse:
        """The valid key with this hash from the database; else why not (UNKNOWN, REVOKED), or
        the 503 when the database cannot say."""
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
            return UNKNOWN
        if key.revoked_at is not None:
            return REVOKED
        return ValidKey(key.id, Role(key.role))

    def failed(self, address: str, detail: str) -> JSONResponse:
        self.throttle.failed(address)
        return unauthorized(detail)
