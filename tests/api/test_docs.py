"""The interactive docs work offline and document the contract; docs/API.md names every route."""

import re

from httpx import AsyncClient

from tests.support.database import PROJECT_ROOT

PATH_PARAMETER = re.compile(r"\{[a-z]+_id\}")
"""`{product_id}`, `{location_id}`: written `{id}` in docs/API.md."""


async def test_swagger_ui_is_served_from_the_app_itself(client: AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    asset_paths = [part.split('"')[0] for part in page.text.split('src="')[1:]] + [
        part.split('"')[0] for part in page.text.split('href="')[1:]
    ]
    scripts_and_styles = [path for path in asset_paths if path.endswith((".js", ".css"))]
    assert scripts_and_styles
    for path in scripts_and_styles:
        assert path.startswith("/"), path
        asset = await client.get(path)
        assert asset.status_code == 200, path
        assert len(asset.content) > 10_000


async def test_redoc_is_served_offline(client: AsyncClient) -> None:
    page = await client.get("/redoc")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()


async def test_openapi_documents_examples_and_errors(client: AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    create = spec["paths"]["/products"]["post"]
    assert {"201", "409", "422"} <= set(create["responses"])
    schemas = spec["components"]["schemas"]
    assert schemas["ProductCreate"]["examples"][0]["price"] == "7.50"
    assert schemas["ProductCreate"]["additionalProperties"] is False
    assert "examples" in schemas["ProductRead"]


async def test_the_api_reference_names_every_route(client: AsyncClient) -> None:
    reference = (PROJECT_ROOT / "docs" / "API.md").read_text()
    spec = (await client.get("/openapi.json")).json()
    routes = [
        f"`{method.upper()} {PATH_PARAMETER.sub('{id}', path)}`"
        for path, item in spec["paths"].items()
        for method in item
    ]
    assert routes
    assert [route for route in routes if route not in reference] == []
    assert "../shared" not in (PROJECT_ROOT / "README.md").read_text()
