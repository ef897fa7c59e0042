"""Rows to JSON bytes in one pass (orjson), in the shape the Read schemas document.

Rows from app.crud carry their fields in `READ_COLUMNS` order for products (`id` first,
timestamps last), `MOVEMENT_COLUMNS` order for stock movements and `LOCATION_COLUMNS` for
locations (whose `is_default` is written `default`);
prices and costs (Decimal) become strings such as "19.90" or "2.5000", timestamps ISO 8601 with
their UTC offset
written as `+00:00` (orjson's form of Python's `isoformat()`).
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson
from fastapi import Response
from sqlalchemy import Row

from app.models import LOCATION_COLUMNS, MOVEMENT_COLUMNS, READ_COLUMNS

PRODUCT_FIELDS = tuple(column.name for column in READ_COLUMNS)
"""A product row's leading columns, in order; anything after them (a list's total) is not written."""
MOVEMENT_FIELDS = tuple(column.name for column in MOVEMENT_COLUMNS)
LOCATION_FIELDS = tuple(
    "default" if column.name == "is_default" else column.name for column in LOCATION_COLUMNS
)
LEVEL_FIELDS = ("location_id", "quantity")
HOLDING_FIELDS = ("product_id", "quantity")


def _decimal_as_string(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _object(row: Row[Any], fields: Sequence[str]) -> dict[str, Any]:
    """The row as a JSON object keyed by `fields` (extra columns left out)."""
    return dict(zip(fields, row, strict=False))


def product_json(row: Row[Any]) -> bytes:
    return orjson.dumps(_object(row, PRODUCT_FIELDS), default=_decimal_as_string)


def products_json(rows: Sequence[Row[Any]]) -> bytes:
    return rows_json(rows, PRODUCT_FIELDS)


def movements_json(rows: Sequence[Row[Any]]) -> bytes:
    return rows_json(rows, MOVEMENT_FIELDS)


def location_json(row: Row[Any]) -> bytes:
    return orjson.dumps(_object(row, LOCATION_FIELDS))


def basket_json(batch_id: int, movements: Sequence[Row[Any]]) -> bytes:
    return orjson.dumps(
        {"batch_id": batch_id, "movements": [_object(row, MOVEMENT_FIELDS) for row in movements]},
        default=_decimal_as_string,
    )


def rows_json(rows: Sequence[Row[Any]], fields: Sequence[str]) -> bytes:
    """A JSON array of objects, one per row, keyed by `fields` (extra columns left out)."""
    return orjson.dumps([_object(row, fields) for row in rows], default=_decimal_as_string)


class JSONBytes(Response):
    """A response whose body is already-encoded JSON."""

    media_type = "application/json"
