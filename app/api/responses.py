"""What several routers share in the OpenAPI schema: the response tables and the path types."""

from typing import Annotated, Any

from fastapi import Path

from app.core.validation import BIGINT_MAX
from app.schemas import ErrorMessage

OpenAPIResponses = dict[int | str, dict[str, Any]]
"""A route's `responses=`: status code to its description, body model and examples."""

ProductId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="The product's id")]
LocationId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="The location's id")]

NOT_FOUND: OpenAPIResponses = {404: {"model": ErrorMessage, "description": "No product has this id"}}
LOCATION_NOT_FOUND: OpenAPIResponses = {
    404: {"model": ErrorMessage, "description": "No location has this id"}
}
PRODUCT_OR_LOCATION_NOT_FOUND: OpenAPIResponses = {
    404: {
        "model": ErrorMessage,
        "description": "No product, or no location (named in the detail), has this id",
    }
}
