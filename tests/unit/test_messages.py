"""Domain errors say what the request asked for, whatever a concurrent move did meanwhile."""

import pytest

from app.core.exceptions import DuplicateBarcodeError, DuplicateNameError, DuplicateSkuError, StockLevelError
from app.core.validation import INT4_MAX


@pytest.mark.parametrize(
    ("on_hand", "delta", "message"),
    [
        (3, -5, "Not enough stock: 3 on hand, cannot remove 5"),
        # a concurrent receipt raised the quantity after the refused UPDATE: still a removal
        (INT4_MAX, -5, f"Not enough stock: {INT4_MAX} on hand, cannot remove 5"),
        (
            INT4_MAX - 1,
            2,
            f"Stock would exceed the maximum of {INT4_MAX}: {INT4_MAX - 1} on hand, cannot add 2",
        ),
        # a concurrent sale emptied the shelf after the refused UPDATE: still an addition
        (0, 2, f"Stock would exceed the maximum of {INT4_MAX}: 0 on hand, cannot add 2"),
    ],
)
def test_stock_message_follows_the_sign_of_the_delta(on_hand: int, delta: int, message: str) -> None:
    assert str(StockLevelError(on_hand, delta)) == message


def test_duplicate_name_names_the_product() -> None:
    assert str(DuplicateNameError("Widget")) == "A product named 'Widget' already exists"


def test_duplicate_codes_name_the_code() -> None:
    assert str(DuplicateSkuError("cup-1")) == "A product with SKU 'cup-1' already exists"
    assert (
        str(DuplicateBarcodeError("4006381333931")) == "A product with barcode '4006381333931' already exists"
    )
