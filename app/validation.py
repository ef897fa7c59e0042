"""Constrained field types: the contract's rules, checked before anything reaches PostgreSQL."""

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 500
PRICE_MAX = Decimal("9999999999.99")
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


ProductName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH),
    AfterValidator(storable_text),
]
Description = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH), AfterValidator(storable_text)
]
Price = Annotated[
    Decimal,
    BeforeValidator(not_boolean),
    Field(ge=0, le=PRICE_MAX, max_digits=12, decimal_places=2, allow_inf_nan=False),
]
Quantity = Annotated[int, Field(strict=True, ge=0, le=INT4_MAX)]
StockDelta = Annotated[int, Field(strict=True, ge=-INT4_MAX, le=INT4_MAX)]
Note = Annotated[str, StringConstraints(max_length=NOTE_MAX_LENGTH), AfterValidator(storable_text)]
SearchText = Annotated[str, StringConstraints(max_length=NAME_MAX_LENGTH), AfterValidator(storable_text)]
