"""Product rows to JSON bytes in one pass (orjson), in the shape `ProductRead` documents.

Rows from app.crud carry exactly `ProductRead`'s fields; prices (Decimal) become strings such
as "19.90", timestamps ISO 8601 with their offset.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson
from fastapi import Response

from app.crud import ProductRow


def _decimal_as_string(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def product_json(row: ProductRow) -> bytes:
    return orjson.dumps(dict(zip(row._fields, row, strict=True)), default=_decimal_as_string)


def products_json(rows: Sequence[ProductRow]) -> bytes:
    if not rows:
        return b"[]"
    fields = rows[0]._fields  # the same columns in every row; Row._asdict() per row costs more
    return orjson.dumps([dict(zip(fields, row, strict=True)) for row in rows], default=_decimal_as_string)


class JSONBytes(Response):
    """A response whose body is already-encoded JSON."""

    media_type = "application/json"
