"""Query-string models validated in one pydantic call: `query_model(Model)`.

FastAPI's own query models (`Annotated[Model, Query()]`) re-inspect every field's annotation on
every request before validating (about a tenth of a list request's CPU); this dependency hands
the query string to `Model.model_validate` at once, with the same rules: unknown parameters are
left to the model (`extra`), a repeated one counts by its last value, and a refusal is FastAPI's
422 with each error's `loc` starting with "query". `openapi_parameters(Model)` documents the
fields as FastAPI would (pass it as the route's `openapi_extra`).
"""

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def query_model(model: type[M]) -> Callable[[Request], Coroutine[Any, Any, M]]:
    """A dependency that returns the request's query string as a validated `model`."""

    async def validated(request: Request) -> M:  # async: FastAPI runs a plain def in a thread
        try:
            return model.model_validate(dict(request.query_params))
        except ValidationError as error:
            errors = error.errors(include_url=False)
            raise RequestValidationError(
                [{**problem, "loc": ("query", *problem["loc"])} for problem in errors]
            ) from None

    return validated


def openapi_parameters(model: type[BaseModel]) -> dict[str, Any]:
    """The route's `openapi_extra`: one optional or required query parameter per field."""
    schema = model.model_json_schema()
    required = set(schema.get("required", ()))
    parameters = []
    for name, field in schema["properties"].items():
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if field.get("default", ...) is None:
            field = {key: value for key, value in field.items() if key != "default"}
        parameter["schema"] = field
        if "description" in field:
            parameter["description"] = field["description"]
        parameters.append(parameter)
    return {"parameters": parameters}
