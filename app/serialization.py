"""Product rows to JSON bytes in one pass (orjson), in the shape `ProductRead` documents.

Rows from app.crud carry exactly `ProductRead`'s fields; prices (Decimal) become strings such
as "19.90", timestamps ISO 8601 with their offset.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson
from fastapi import Response

from app.crud import COLUMNS, ProductRow

PRODUCT_FIELDS = tuple(column.name for column in COLUMNS)
"""A row's leading columns, in order; anything after them (a list's total) is not written."""


def _decimal_as_string(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def product_json(row: ProductRow) -> bytes:
    return orjson.dumps(dict(zip(PRODUCT_FIELDS, row, strict=False)), default=_decimal_as_string)


def products_json(rows: Sequence[ProductRow]) -> bytes:
    return orjson.dumps(
        [dict(zip(PRODUCT_FIELDS, row, strict=False)) for row in rows], default=_decimal_as_string
    )


class JSONBytes(Response):
    """A response whose body is already-encoded JSON."""

    media_type = "application/json"
