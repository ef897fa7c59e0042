"""Requests that say what they mean: a query parameter a route does not declare is `422`.

A typo such as `?low_stok=true` must not return the whole list as if no filter was asked for.
Each route's declared names are read once, when the route is built: its own query parameters
and those its `openapi_extra` documents (the query models of app.api.query). The refusal has
FastAPI's validation shape, one entry per unknown name.
"""

from collections.abc import Collection
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request


def query_aliases(dependant: Dependant) -> set[str]:
    """The query parameters of a dependant and of every dependency below it."""
    names = {parameter.alias for parameter in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_aliases(dependency)
    return names


def declared_query_names(route: APIRoute) -> frozenset[str]:
    """The query parameters `route` takes: from its signature and from its OpenAPI parameters."""
    flat = query_aliases(route.dependant)
    documented: list[dict[str, Any]] = (route.openapi_extra or {}).get("parameters", [])
    return frozenset(flat | {parameter["name"] for parameter in documented if parameter.get("in") == "query"})


def refuse_unknown_parameters(request: Request, declared: Collection[str]) -> None:
    """Raise the 422 that names every query parameter of `request` not in `declared`."""
    unknown = [(name, value) for name, value in request.query_params.multi_items() if name not in declared]
    if unknown:
        takes = ", ".join(sorted(declared)) or "none"
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": f"Unknown query parameter; this route takes: {takes}",
                    "input": value,
                }
                for name, value in unknown
            ]
        )
