"""Products are written as the README shows them: `id` first, timestamps last, `+00:00` offsets."""

from datetime import UTC, datetime
from decimal import Decimal

import orjson

from app.api.rendering import PRODUCT_FIELDS, product_json
from app.models import READ_COLUMNS


def test_fields_in_reading_order() -> None:
    assert PRODUCT_FIELDS == (
        "id",
        "name",
        "sku",
        "barcode",
        "description",
        "price",
        "quantity",
        "reorder_level",
        "average_cost",
        "stock_value",
        "created_at",
        "updated_at",
    )
    assert [column.name for column in READ_COLUMNS] == list(PRODUCT_FIELDS)


def test_exact_price_and_utc_offset() -> None:
    moment = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    row = (
        7,
        "Cup",
        "CUP-7",
        None,
        "",
        Decimal("7.50"),
        3,
        2,
        Decimal("2.5000"),
        Decimal("7.5000"),
        moment,
        moment,
        99,
    )  # a list's total is dropped
    written = product_json(row)  # type: ignore[arg-type]  # a plain tuple reads like a Row
    assert written == (
        b'{"id":7,"name":"Cup","sku":"CUP-7","barcode":null,"description":"","price":"7.50","quantity":3,'
        b'"reorder_level":2,"average_cost":"2.5000","stock_value":"7.5000",'
        b'"created_at":"2026-11-26T12:00:00+00:00","updated_at":"2026-11-26T12:00:00+00:00"}'
    )
    assert orjson.loads(written)["price"] == "7.50"
