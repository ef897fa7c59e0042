"""Access control on every route the app has, in every mode, for every kind of credential.

The walk reads the app's own route list (its `routes`, flattened as FastAPI does), so a route
added by any later change is walked too: unless it is one of the open paths listed here, it
must need a key. Every method is tried on every path, not only the methods a route declares.
"""

import re
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts
from httpx import AsyncClient, Response

from app.core.access import AuthMode
from tests.support.app import AppFactory, asgi_client
from tests.support.keys import bearer, make_key

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
READS = {"GET", "HEAD", "OPTIONS"}
OPEN = {"/", "/health", "/health/ready", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
"""What the contract leaves open in every mode (mounts, which only serve static files, are open too)."""
CREDENTIALS = ("none", "malformed", "unknown", "revoked", "read", "write")
REFUSED = {401, 403, 429}


def expected(mode: AuthMode, method: str, path: str, is_mount: bool, credential: str) -> int | None:
    """The refusal this request must get (401 or 403), or None when it must get through."""
    if mode is AuthMode.OFF or path in OPEN or is_mount:
        return None
    if method in READS and mode is AuthMode.WRITES:
        return None
    if credential not in ("read", "write"):
        return 401
    return 403 if method not in READS and credential == "read" else None


def walk(app: FastAPI) -> list[tuple[str, bool, dict[str, Any] | None]]:
    """(concrete path, is a mount, example JSON body) for every route of the app."""
    schema = app.openapi()["paths"]
    found: dict[str, tuple[bool, dict[str, Any] | None]] = {}
    for route in iter_route_contexts(app.routes):
        template = route.path_format
        assert template is not None
        is_mount = route.methods is None
        body = None
        for operation in schema.get(template, {}).values():
            json_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = json_schema.get("schema", {}).get("$ref", "")
            examples = app.openapi()["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("examples")
            body = body or (examples[0] if examples else None)
        found[re.sub(r"\{[^}]+\}", "1", template)] = (is_mount, body)
    return [(path, is_mount, body) for path, (is_mount, body) in found.items()]


@pytest.fixture(scope="module", params=list(AuthMode))
async def mode_app(
    request: pytest.FixtureRequest, app_factory: AppFactory
) -> AsyncIterator[tuple[AuthMode, FastAPI]]:
    """The app in each mode, with a failure limit no walk reaches (throttling is tested below)."""
    async with app_factory(auth_mode=request.param, auth_failure_limit=10**6) as application:
        yield request.param, application


def client_for(application: FastAPI, address: str = "192.0.2.10") -> AsyncClient:
    return asgi_client(application, address)


async def credential_headers(db: asyncpg.Connection) -> dict[str, dict[str, str]]:
    return {
        "none": {},
        "malformed": {"Authorization": "Basic dXNlcjpwYXNz"},
        "unknown": bearer("inv_" + "A" * 43),
        "revoked": bearer(await make_key(db, "old-till", "write", revoked=True)),
        "read": bearer(await make_key(db, "accountant", "read")),
        "write": bearer(await make_key(db, "till", "write")),
    }


async def snapshot(db: asyncpg.Connection) -> dict[str, list[asyncpg.Record]]:
    """Every table but the keys themselves (their last use changes), row by row."""
    tables = await db.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        " AND tablename NOT IN ('api_keys', 'alembic_version')"
    )
    names = [table["tablename"] for table in tables]
    return {name: await db.fetch(f'SELECT * FROM "{name}" ORDER BY 1') for name in names}  # noqa: S608


def assert_refusal(response: Response, status: int) -> None:
    assert response.status_code == status, response.text
    if response.request.method != "HEAD":
        assert isinstance(response.json()["detail"], str)
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("credential", CREDENTIALS)
async def test_every_route_and_method_needs_what_the_mode_says(
    mode_app: tuple[AuthMode, FastAPI], db: asyncpg.Connection, credential: str
) -> None:
    mode, application = mode_app
    headers = (await credential_headers(db))[credential]
    await db.execute("INSERT INTO products (name, description, price, quantity) VALUES ('Walked', '', 1, 5)")
    before = await snapshot(db)
    wrong: list[str] = []
    async with client_for(application) as client:
        for path, is_mount, body in walk(application):
            for method in METHODS:
                response = await client.request(
                    method, path, headers=headers, json=body if method in ("POST", "PUT", "PATCH") else None
                )
                refusal = expected(mode, method, path, is_mount, credential)
                got = response.status_code
                if (refusal is None and got in REFUSED) or (refusal is not None and got != refusal):
                    wrong.append(f"{method} {path}: {got}, expected {refusal or 'no refusal'}")
                elif refusal is not None:
                    assert_refusal(response, refusal)
                assert got < 500, f"{method} {path}: {got} {response.text}"
    assert not wrong, "\n".join(wrong)
    if mode is not AuthMode.OFF and credential != "write":
        assert await snapshot(db) == before, "a refused request changed the database"


async def test_a_route_added_later_is_covered_and_sees_its_key(
    app_factory: AppFactory, db: asyncpg.Connection
) -> None:
    """No list to update: a new write route needs a write key, and it can read which key it was."""
    write_key = await make_key(db, "till", "write")
    async with app_factory(auth_mode=AuthMode.WRITES) as application:

        @application.post("/added-later")
        async def added_later(request: Request) -> dict[str, int | None]:
            return {"api_key_id": request.state.api_key_id}

        @application.get("/added-later")
        async def read_added_later(request: Request) -> dict[str, int | None]:
            return {"api_key_id": request.state.api_key_id}

        async with client_for(application) as client:
            assert_refusal(await client.post("/added-later"), 401)
            allowed = await client.post("/added-later", headers=bearer(write_key))
            assert allowed.status_code == 200
            key_id = await db.fetchval("SELECT id FROM api_keys WHERE name = 'till'")
            assert allowed.json() == {"api_key_id": key_id}
            # A read in `writes` mode needs no key and is attributed to none.
            read = await client.get("/added-later", headers=bearer(write_key))
            assert read.json() == {"api_key_id": None}


async def test_with_auth_off_no_request_has_a_key(client: AsyncClient, db: asyncpg.Connection) -> None:
    write_key = await make_key(db, "till", "write")
    product = {"name": "x", "description": "", "price": 1, "quantity": 0}
    response = await client.post("/products", json=product)
    assert response.status_code == 201
    garbage = await client.delete("/products/1", headers={"Authorization": "Basic nonsense"})
    assert garbage.status_code == 204  # off means off: the header is not even read
    assert await db.fetchval("SELECT last_used_at FROM api_keys") is None
    assert (await client.get("/products", headers=bearer(write_key))).status_code == 200


@pytest.mark.parametrize("mode", [AuthMode.WRITES, AuthMode.ALL])
async def test_the_docs_stay_open_and_offer_authorize(app_factory: AppFactory, mode: AuthMode) -> None:
    async with app_factory(auth_mode=mode) as application, client_for(application) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        stylesheet = page.text.split('href="')[1].split('"')[0]
        assert (await client.get(stylesheet)).status_code == 200
        spec = (await client.get("/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["APIKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key made by `python -m app.keys create NAME --role read|write`.",
    }
    create = spec["paths"]["/products"]["post"]
    assert create["security"] == [{"APIKey": []}]
    assert {"401", "403", "429"} <= set(create["responses"])
    listing = spec["paths"]["/products"]["get"]
    assert ("security" in listing) is (mode is AuthMode.ALL)
    assert "403" not in listing["responses"]
    assert "security" not in spec["paths"]["/health/ready"]["get"]


async def test_with_auth_off_the_docs_have_no_scheme(client: AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "securitySchemes" not in spec["components"]
    assert "security" not in spec["paths"]["/products"]["post"]
