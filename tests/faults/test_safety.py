"""Safety: no credentials in logs or bodies, no stack traces in answers, SQL only with bound
parameters, and CORS off unless configured."""

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from app.core.config import Settings
from app.core.database import DATABASE_UNAVAILABLE
from app.main import create_app
from harness.server import serving
from tests.support.app import asgi_client
from tests.support.payloads import create_product

pytestmark = [pytest.mark.slow, pytest.mark.server]

WRONG_PASSWORD = "wrong-Secr3t-pw"


MISCONFIGURED: dict[str, Callable[[URL], URL]] = {
    "refused login": lambda url: url.set(password=WRONG_PASSWORD),
    "no such database": lambda url: url.set(database="no_such_db"),
}


@pytest.mark.parametrize("why", MISCONFIGURED)
def test_misconfigured_database_is_a_503_without_credentials_anywhere(database_url: str, why: str) -> None:
    misconfigured = MISCONFIGURED[why](make_url(database_url))
    url = misconfigured.render_as_string(hide_password=False)
    password = misconfigured.password
    assert isinstance(password, str)
    with serving(url) as server, httpx.Client(base_url=server.base_url) as http:
        for path in ["/products", "/products/1", "/health/ready"]:
            response = http.get(path)
            assert (response.status_code, response.json()) == (503, {"detail": DATABASE_UNAVAILABLE}), why
        logs = server.logs()
    assert "database unavailable" in logs
    assert password not in logs


def app_that_fails() -> FastAPI:
    application = create_app(Settings())

    @application.get("/boom")
    async def boom() -> None:
        raise RuntimeError("internal detail: /srv/secret.py line 42")

    @application.get("/bad-sql")
    async def bad_sql() -> None:
        raise sa_exc.ProgrammingError("SELECT secret FROM internals", {}, Exception("syntax error"))

    return application


@pytest.mark.parametrize("path", ["/boom", "/bad-sql"])
async def test_an_unexpected_error_is_a_bare_500(path: str) -> None:
    async with asgi_client(app_that_fails(), raise_errors=False) as http:
        response = await http.get(path)
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    assert response.headers["content-type"] == "application/json"


async def test_sql_injection_is_just_text(client: AsyncClient) -> None:
    name = "Robert'); DROP TABLE products; --"
    product = await create_product(client, name=name, description="' OR 1=1 --")
    assert product["name"] == name
    found = await client.get("/products", params={"q": "'); DROP"})
    assert [item["id"] for item in found.json()] == [product["id"]]
    assert (await client.get("/products", params={"q": "' OR 1=1 --"})).json() == []


async def preflight_and_get(application: FastAPI, origin: str) -> tuple[httpx.Response, httpx.Response]:
    async with asgi_client(application) as http:
        preflight = await http.options(
            "/products", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
        )
        get = await http.get("/health", headers={"Origin": origin})
    return preflight, get


async def test_cors_is_off_by_default() -> None:
    preflight, get = await preflight_and_get(create_app(Settings()), "https://evil.example")
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in get.headers


async def test_cors_allows_only_the_configured_origins() -> None:
    application = create_app(Settings(cors_origins="https://shop.example, https://admin.shop.example"))
    preflight, get = await preflight_and_get(application, "https://shop.example")
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://shop.example"
    assert get.headers["access-control-allow-origin"] == "https://shop.example"
    preflight, get = await preflight_and_get(application, "https://evil.example")
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in get.headers
