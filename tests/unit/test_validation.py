"""The catalogue's codes: SKU characters and GTIN check digits, as the API checks them."""

import pytest
from pydantic import TypeAdapter, ValidationError

from app.core.validation import Barcode, Sku, gtin_check_digit

BARCODE = TypeAdapter(Barcode)
SKU = TypeAdapter(Sku)


@pytest.mark.parametrize(
    "gtin",
    ["96385074", "036000291452", "4006381333931", "9780201379624", "10614141000415", " 4006381333931 "],
)
def test_valid_gtins_are_accepted_trimmed(gtin: str) -> None:
    assert BARCODE.validate_python(gtin) == gtin.strip()


@pytest.mark.parametrize(
    ("gtin", "reason"),
    [
        ("4006381333932", "wrong check digit: a GTIN starting 400638133393 ends in 1"),
        ("400638133393", "wrong check digit"),
        ("1234567", "8, 12, 13 or 14 digits"),
        ("12345678901", "8, 12, 13 or 14 digits"),
        ("123456789012345", "8, 12, 13 or 14 digits"),
        ("4006381333931x", "8, 12, 13 or 14 digits"),
        ("٤٠٠٦٣٨١٣٣٣٩٣١", "8, 12, 13 or 14 digits"),  # Arabic-Indic digits are not GTIN digits
        ("", "8, 12, 13 or 14 digits"),
    ],
)
def test_invalid_gtins_are_refused_with_the_reason(gtin: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        BARCODE.validate_python(gtin)


def test_check_digit_weights_three_from_the_right() -> None:
    assert gtin_check_digit("400638133393") == 1
    assert gtin_check_digit("0000000") == 0


@pytest.mark.parametrize("sku", ["A", "CUP-ESP-90", "a.b_c/d-e", "x" * 64])
def test_valid_skus(sku: str) -> None:
    assert SKU.validate_python(f" {sku} ") == sku


@pytest.mark.parametrize("sku", ["", "   ", "x" * 65, "two words", "ümlaut", "semi;colon", "tab\there"])
def test_invalid_skus(sku: str) -> None:
    with pytest.raises(ValidationError):
        SKU.validate_python(sku)
