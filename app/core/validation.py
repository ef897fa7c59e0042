"""The contract's rules, declared once: the limits and patterns (which the models' CHECKs and column
types are written from too) and the constrained field types built on them, checked before
anything reaches PostgreSQL."""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

NAME_MAX_LENGTH = 200
LOCATION_NAME_MAX_LENGTH = 100
SKU_MAX_LENGTH = 64
SKU_CHARACTERS = "A-Za-z0-9._/-"
"""The characters a SKU may use, as a regular expression's character class (Python's and PostgreSQL's)."""
SKU_PATTERN = re.compile(f"[{SKU_CHARACTERS}]+")
GTIN_SHAPE = "[0-9]{8}|[0-9]{12,14}"
"""GTIN-8, -12 (UPC-A), -13 (EAN) and -14: the shape the database CHECKs; the API also checks the digit."""
GTIN_PATTERN = re.compile(GTIN_SHAPE)
GTIN_MAX_LENGTH = 14
DESCRIPTION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 500
PRICE_DIGITS = 12
PRICE_DECIMALS = 2
"""A price is NUMERIC(12, 2): 12 digits, 2 of them after the point."""
PRICE_MAX = Decimal("9999999999.99")
COST_DIGITS = 14
COST_DECIMALS = 4
"""A unit or average cost is NUMERIC(14, 4); a value NUMERIC(18, 4) (`VALUE_DIGITS`)."""
COST_MAX = Decimal("9999999999.9999")
VALUE_DIGITS = 18
INT4_MAX = 2_147_483_647
BIGINT_MAX = 9_223_372_036_854_775_807


def storable_text(value: str) -> str:
    """Refuse what PostgreSQL cannot store in a UTF-8 text column: NUL and lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value


def not_boolean(value: Any) -> Any:
    """JSON `true`/`false` is never a number, although Python treats bools as ints."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


def sku_characters(value: str) -> str:
    if not SKU_PATTERN.fullmatch(value):
        raise ValueError("may contain only the letters A-Z and a-z, digits and - _ . /")
    return value


def gtin_check_digit(digits: str) -> int:
    """The GS1 check digit for the digits before it: weights 3, 1, 3, ... from the right."""
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(digits))
    )
    return -total % 10


def valid_gtin(value: str) -> str:
    if not GTIN_PATTERN.fullmatch(value):
        raise ValueError("must be a GTIN: 8, 12, 13 or 14 digits")
    if gtin_check_digit(value[:-1]) != int(value[-1]):
        raise ValueError(
            f"has a wrong check digit: a GTIN starting {value[:-1]} ends in {gtin_check_digit(value[:-1])}"
        )
    return value


ProductName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH),
    AfterValidator(storable_text),
]
LocationName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=LOCATION_NAME_MAX_LENGTH),
    AfterValidator(storable_text),
]
Description = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH), AfterValidator(storable_text)
]
Price = Annotated[
    Decimal,
    BeforeValidator(not_boolean),
    Field(ge=0, le=PRICE_MAX, max_digits=PRICE_DIGITS, decimal_places=PRICE_DECIMALS, allow_inf_nan=False),
]
UnitCost = Annotated[
    Decimal,
    BeforeValidator(not_boolean),
    Field(ge=0, le=COST_MAX, max_digits=COST_DIGITS, decimal_places=COST_DECIMALS, allow_inf_nan=False),
]
"""What one unit cost the shop: 0 to 9 999 999 999.9999, at most 4 decimals."""
Quantity = Annotated[int, Field(strict=True, ge=0, le=INT4_MAX)]
ReorderLevel = Quantity
"""A count of items, like the quantity: the product is low on stock at or below it."""
Sku = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=SKU_MAX_LENGTH),
    AfterValidator(sku_characters),
]
Barcode = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(valid_gtin)]
StockDelta = Annotated[int, Field(strict=True, ge=-INT4_MAX, le=INT4_MAX)]
RowId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
"""A row's id as a client names it in a query (a BIGINT identity: 1 and up)."""
Note = Annotated[str, StringConstraints(max_length=NOTE_MAX_LENGTH), AfterValidator(storable_text)]
SearchText = Annotated[str, StringConstraints(max_length=NAME_MAX_LENGTH), AfterValidator(storable_text)]
SkuLookup = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=SKU_MAX_LENGTH), AfterValidator(storable_text)
]
BarcodeLookup = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=GTIN_MAX_LENGTH), AfterValidator(storable_text)
]
