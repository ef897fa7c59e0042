"""Request bodies for the tests, and the POST that stores one."""

from typing import Any

from httpx import AsyncClient


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


async def create_product(client: AsyncClient, **overrides: Any) -> dict[str, Any]:
    """POST a valid product (with `overrides`) and return the stored product."""
    response = await client.post("/products", json=product_payload(**overrides))
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


async def add_location(client: AsyncClient, name: str) -> dict[str, Any]:
    """POST a location named `name` and return it."""
    response = await client.post("/locations", json={"name": name})
    assert response.status_code == 201, response.text
    location: dict[str, Any] = response.json()
    return location
