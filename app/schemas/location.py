"""The location API's request and response bodies, derived from `LocationBase`."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # the config type SQLModel subclasses must use

from app.core.validation import BIGINT_MAX, LocationName
from app.models import LocationBase
from app.schemas.common import refuse_null


class LocationCreate(LocationBase):
    """POST /locations body: a name, unique case-insensitively."""

    model_config = SQLModelConfig(extra="forbid", json_schema_extra={"examples": [{"name": "Back room"}]})


class LocationUpdate(SQLModel):
    """PATCH /locations/{id} body: a new name, and/or `"default": true` (taken from the one that was)."""

    model_config = SQLModelConfig(
        extra="forbid", json_schema_extra={"examples": [{"name": "Storeroom"}, {"default": True}]}
    )

    name: LocationName | None = None
    default: Annotated[
        Literal[True] | None,
        Field(description="true makes this the default location; there is always one, so false is refused"),
    ] = None

    not_null = field_validator("name", "default")(refuse_null)


class LocationRead(LocationBase):
    """A stored location as the API returns it."""

    model_config = SQLModelConfig(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "name": "Main",
                    "default": True,
                    "created_at": "2026-12-07T12:00:00.000000+00:00",
                    "updated_at": "2026-12-07T12:00:00.000000+00:00",
                }
            ]
        }
    )

    id: int
    default: bool
    created_at: datetime
    updated_at: datetime


class LocationStockQuery(BaseModel):
    """`GET /locations/{id}/stock` query parameters: a page by product id."""

    model_config = ConfigDict(extra="ignore")

    limit: Annotated[int, Field(ge=1, le=1000, description="Page size")] = 100
    after_id: Annotated[
        int | None,
        Field(ge=0, le=BIGINT_MAX, description="Cursor: only products with a larger id (see Link)"),
    ] = None


class LocationStockRead(SQLModel):
    """How many of one product the location holds."""

    model_config = SQLModelConfig(json_schema_extra={"examples": [{"product_id": 7, "quantity": 12}]})

    product_id: int
    quantity: int
