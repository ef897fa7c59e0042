"""`query_model` and `openapi_parameters` (app.api.query) against FastAPI's own query models.

Every list route declares its parameters with `query_model` (validated in one call) and documents
them with `openapi_parameters`; both must say exactly what `Annotated[Model, Query()]` would.
"""

from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel

from app.api.query import inlined, openapi_parameters, query_model
from app.core.filters import ProductFilter
from app.schemas import ImportOptions, MovementQuery, ProductMovementQuery, ProductQuery
from tests.support.app import asgi_client

QUERY_MODELS = [ProductFilter, ProductQuery, ProductMovementQuery, MovementQuery, ImportOptions]


def fastapi_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The parameters FastAPI documents for `Annotated[model, Query()]`, references resolved."""
    application = FastAPI()

    @application.get("/")
    async def route(query: Annotated[model, Query()]) -> None:  # type: ignore[valid-type]
        """A route that only declares the model."""

    schema = application.openapi()
    definitions = schema.get("components", {}).get("schemas", {})
    parameters: list[dict[str, Any]] = schema["paths"]["/"]["get"]["parameters"]
    return [inlined(parameter, definitions) for parameter in parameters]


@pytest.mark.parametrize("model", QUERY_MODELS, ids=lambda model: model.__name__)
def test_openapi_parameters_are_fastapis(model: type[BaseModel]) -> None:
    assert openapi_parameters(model)["parameters"] == fastapi_parameters(model)


def echo_app(model: type[BaseModel]) -> FastAPI:
    """An app whose one route answers the validated query, once through each declaration."""
    application = FastAPI()

    @application.get("/ours")
    async def ours(query: Annotated[model, Depends(query_model(model))]) -> Any:  # type: ignore[valid-type]
        return query

    @application.get("/fastapis")
    async def fastapis(query: Annotated[model, Query()]) -> Any:  # type: ignore[valid-type]
        return query

    return application


@pytest.mark.parametrize(
    ("model", "query"),
    [
        (MovementQuery, "reason=sold&reason=damaged&limit=5"),
        (MovementQuery, "reason=sold"),
        (MovementQuery, "reason=stolen"),
        (MovementQuery, "since=yesterday&limit=0"),
        (ProductQuery, "q=mug&q=cup&limit=3&low_stock=true"),
        (ProductQuery, "min_price=1.005&after_id=-1"),
        (ProductQuery, "unknown=1"),
        (ImportOptions, "dry_run=maybe"),
    ],
)
async def test_query_model_validates_as_fastapi_does(model: type[BaseModel], query: str) -> None:
    async with asgi_client(echo_app(model)) as client:
        ours, theirs = await client.get(f"/ours?{query}"), await client.get(f"/fastapis?{query}")
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())
