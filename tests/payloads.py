"""Request bodies for the tests."""

from typing import Any


def product_payload(**overrides: Any) -> dict[str, Any]:
    """A valid POST /products body, with some fields replaced or (value ...) removed."""
    body: dict[str, Any] = {
        "name": "Widget",
        "description": "A small widget",
        "price": "19.99",
        "quantity": 5,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}
