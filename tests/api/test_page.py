"""The shop's page is served by the app itself: `/` and every file it loads, with no CDN,
JavaScript MIME types for its modules, and caching that revalidates (so updates show)."""

import re

import pytest
from httpx import AsyncClient

from app.web.routes import STATIC_DIR

IMPORT = re.compile(r"""(?:^|\s)(?:import|from)\s*["'](\./[^"']+)["']""", re.MULTILINE)


async def test_the_root_is_the_shops_page(client: AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["etag"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module" src="/static/app.js"></script>' in page.text
    assert '<link rel="stylesheet" href="/static/style.css">' in page.text


async def test_an_unchanged_page_is_a_304_that_keeps_the_cache_policy(client: AsyncClient) -> None:
    for path in ("/", "/static/app.js"):
        first = await client.get(path)
        again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path
        assert again.content == b""
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["cache-control"] == "no-cache"


async def test_head_of_the_root_has_no_body(client: AsyncClient) -> None:
    response = await client.head("/")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def module_graph() -> set[str]:
    """Every module app.js loads, directly or through other modules."""
    seen: set[str] = set()
    todo = ["app.js"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [path.removeprefix("./") for path in IMPORT.findall((STATIC_DIR / name).read_text())]
    return seen


async def test_every_module_the_page_loads_is_served_as_javascript(client: AsyncClient) -> None:
    modules = module_graph()
    assert {"app.js", "api.js", "list.js", "stock.js", "csv.js", "scan.js"} <= modules
    # Every shipped script is reachable from app.js: no dead files in static/.
    assert modules == {path.name for path in STATIC_DIR.glob("*.js")}
    for name in sorted(modules):
        response = await client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"] == "text/javascript; charset=utf-8", name
        assert response.headers["x-content-type-options"] == "nosniff"
    style = await client.get("/static/style.css")
    assert style.headers["content-type"] == "text/css; charset=utf-8"


def test_nothing_is_loaded_from_another_origin() -> None:
    for path in (path for path in STATIC_DIR.rglob("*") if path.is_file()):  # the vendored ones too
        text = path.read_text()
        assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", text), path.name
        assert not re.search(r"""(?:import|from)\s*["'](?:https?:)?//""", text), path.name
        assert not re.search(r"""url\(\s*["']?(?:https?:)?//""", text), path.name


@pytest.mark.parametrize("path", ["/static/missing.js", "/static/../main.py", "/static/%2e%2e/main.py"])
async def test_only_the_pages_files_are_served(client: AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


async def test_static_files_refuse_writes(client: AsyncClient) -> None:
    response = await client.post("/static/app.js")
    assert response.status_code == 405
