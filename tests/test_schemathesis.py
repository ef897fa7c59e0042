"""Schemathesis against the app's own OpenAPI schema: no server errors, answers match the schema.

Bounded: a few dozen generated requests per operation. Schemathesis calls the ASGI app on an
event loop of its own, so the connection pool is emptied before (on the tests' loop) and after
(by the app's lifespan shutdown, on schemathesis' loop): no connection crosses event loops.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.database import engine
from app.main import app

schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(autouse=True)
async def pool_on_schemathesis_loop() -> AsyncIterator[None]:
    await engine.dispose()
    yield
    await asyncio.to_thread(shutdown_lifespans)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
