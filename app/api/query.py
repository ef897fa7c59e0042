"""Query-string models, the one way every route declares its query parameters: `query_model(Model)`.

FastAPI's own query models (`Annotated[Model, Query()]`) re-inspect every field's annotation on
every request before validating (about a tenth of a list request's CPU); this dependency hands
the query string to `Model.model_validate` at once, with the same rules: a list field takes
every value of its repeated parameter, any other field the last one; unknown parameters are left
to the model (`extra`); a refusal is FastAPI's 422 with each error's `loc` starting with "query".
`openapi_parameters(Model)` documents the fields as FastAPI would (pass it as the route's
`openapi_extra`; tests/unit/test_query.py compares the two).
"""

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar, get_origin

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def repeatable_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields that take every value of a repeated parameter (`?reason=sold&reason=damaged`)."""
    return frozenset(
        name for name, field in model.model_fields.items() if get_origin(field.annotation) is list
    )


def query_model(model: type[M]) -> Callable[[Request], Coroutine[Any, Any, M]]:
    """A dependency that returns the request's query string as a validated `model`."""
    repeatable = repeatable_fields(model)

    async def validated(request: Request) -> M:  # async: FastAPI runs a plain def in a thread
        parameters = request.query_params
        values = {
            name: parameters.getlist(name) if name in repeatable else value
            for name, value in parameters.items()
        }
        try:
            return model.model_validate(values)
        except ValidationError as error:
            errors = error.errors(include_url=False)
            raise RequestValidationError(
                [{**problem, "loc": ("query", *problem["loc"])} for problem in errors]
            ) from None

    return validated


def inlined(schema: Any, definitions: dict[str, Any]) -> Any:
    """`schema` with every `{"$ref": "#/$defs/Name"}` replaced by that definition (enums, for one)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return inlined(definitions[schema["$ref"].rsplit("/", 1)[1]], definitions)
        return {key: inlined(value, definitions) for key, value in schema.items()}
    if isinstance(schema, list):
        return [inlined(item, definitions) for item in schema]
    return schema


def openapi_parameters(model: type[BaseModel]) -> dict[str, Any]:
    """The route's `openapi_extra`: one optional or required query parameter per field (its
    definitions inlined, since the operation cannot add components of its own)."""
    full = model.model_json_schema()
    schema = inlined({key: value for key, value in full.items() if key != "$defs"}, full.get("$defs", {}))
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
