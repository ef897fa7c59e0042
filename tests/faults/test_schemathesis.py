"""Schemathesis against the app's own OpenAPI schema: no server errors, answers match the schema.

Bounded: a few dozen generated requests per operation, one test per operation (the list comes
from the app's own schema, built without a database). Schemathesis calls the ASGI app on an
event loop of its own and runs the app's lifespan there, so this app (its engine and pool) is
built for it alone and shut down by it: no connection crosses event loops.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from app.core.config import Settings
from app.main import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_schema(database_url: str) -> Iterator[OpenApiSchema]:
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(database_url=database_url)))
    shutdown_lifespans()


OPERATIONS = [
    (method.upper(), path)
    for path, methods in create_app(Settings()).openapi()["paths"].items()
    for method in methods
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_conforms_to_its_schema(api_schema: OpenApiSchema, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def conforms(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    conforms()
