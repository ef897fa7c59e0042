"""Domain errors: what the data layer refuses, in the shop's words. No HTTP and no schema in here.

app.api.errors maps each kind to its status code: `NotFoundError` to 404, `ConflictError` to 409,
`InvalidFileError` to 422, `FileTooLargeError` to 413, `KeyReusedError` to 422.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from app.core.validation import INT4_MAX


@dataclass(frozen=True, slots=True)
class BadCell:
    """One bad cell of an uploaded file: its line (the header is line 1), its column (None: the
    whole line) and what is wrong with it."""

    line: int
    column: str | None
    reason: str


class DomainError(Exception):
    """A request the data layer refused; its message is safe to show to the client."""

    def body(self) -> dict[str, object]:
        """The JSON body of the answer: `detail` (the message), and more where a kind says more."""
        return {"detail": str(self)}


class NotFoundError(DomainError):
    """The thing the request names does not exist."""


class ConflictError(DomainError):
    """The change clashes with the stored data; nothing changed."""


class ProductNotFoundError(NotFoundError):
    def __init__(self, product_id: int) -> None:
        super().__init__("Product not found")
        self.product_id = product_id


class LocationNotFoundError(NotFoundError):
    def __init__(self, location_id: int) -> None:
        super().__init__(f"Location {location_id} not found")
        self.location_id = location_id


class DuplicateLocationNameError(ConflictError):
    """Another location already has this name (compared case-insensitively)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"A location named '{name}' already exists")
        self.name = name


class LocationInUseError(ConflictError):
    """A location that cannot be deleted: the default one, or one that movements name."""


class DuplicateNameError(ConflictError):
    """Another product already has this name (compared case-insensitively)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"A product named '{name}' already exists")
        self.name = name


class DuplicateCodeError(ConflictError):
    """Another product already has this code; `label` names the kind of code."""

    label: ClassVar[str]

    def __init__(self, value: str) -> None:
        super().__init__(f"A product with {self.label} '{value}' already exists")
        self.value = value


class DuplicateSkuError(DuplicateCodeError):
    """Another product already has this SKU (compared case-insensitively)."""

    label = "SKU"


class DuplicateBarcodeError(DuplicateCodeError):
    label = "barcode"


class InvalidFileError(DomainError):
    """An uploaded file with bad cells: `problems` lists every one of them; nothing changed."""

    def __init__(self, problems: Sequence[BadCell]) -> None:
        super().__init__(f"The file has {len(problems)} problem(s)")
        self.problems = problems


class FileTooLargeError(DomainError):
    """An uploaded file beyond a documented limit; nothing changed."""


class StockLevelError(ConflictError):
    """A stock move would take the quantity below zero or beyond the column's range.

    The message follows the sign of `delta` alone, so it cannot contradict the request; `where`
    names the location when the request named one ("at location 2").
    """

    def __init__(self, on_hand: int, delta: int, where: str = "") -> None:
        at = f" at {where}" if where else ""
        if delta < 0:
            message = f"Not enough stock{at}: {on_hand} on hand, cannot remove {-delta}"
        else:
            message = (
                f"Stock would exceed the maximum of {INT4_MAX}{at}: {on_hand} on hand, cannot add {delta}"
            )
        super().__init__(message)
        self.on_hand = on_hand
        self.delta = delta


class StockValueTooLargeError(ConflictError):
    """A movement whose value, or the product's value after it, would not fit NUMERIC(18,4)."""

    def __init__(self) -> None:
        super().__init__(
            "The stock's value would exceed 99999999999999.9999: lower the quantity or the unit cost"
        )


class QuantityMismatchError(ConflictError):
    """Compare-and-set: the level is not the quantity the client expected; nothing changed."""

    def __init__(self, product_id: int, location_id: int, expected: int, actual: int) -> None:
        super().__init__(
            f"Location {location_id} holds {actual} of product {product_id}, not the expected {expected};"
            " nothing changed"
        )
        self.product_id = product_id
        self.location_id = location_id
        self.expected = expected
        self.actual = actual

    def body(self) -> dict[str, object]:
        return {
            "detail": str(self),
            "product_id": self.product_id,
            "location_id": self.location_id,
            "expected_quantity": self.expected,
            "actual_quantity": self.actual,
        }


class DefaultLocationShortError(ConflictError):
    """A total set on a product (PATCH, import) would take its default location below 0."""

    def __init__(self, quantity: int | None = None) -> None:
        to = f" to {quantity}" if quantity is not None else ""
        super().__init__(
            f"The quantity cannot be set{to}: the difference is taken from the default location, which"
            " holds too little (the rest is at other locations: transfer it there, or count each location)"
        )


class BatchLineError(DomainError):
    """Line `index` of a basket (product `product_id`) was refused, so the whole basket was:
    the answer is the one that line alone would have had, its detail naming the line."""

    def __init__(self, index: int, product_id: int, refusal: DomainError) -> None:
        super().__init__(f"Line {index} (product {product_id}): {refusal}; nothing in the basket was applied")
        self.index = index
        self.product_id = product_id
        self.refusal = refusal

    def body(self) -> dict[str, object]:
        return {**self.refusal.body(), "detail": str(self), "line": self.index}


class KeyInProgressError(ConflictError):
    """Another request with this Idempotency-Key has not finished yet."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"A request with Idempotency-Key '{key}' is in progress; retry later to get its answer"
        )
        self.key = key


class KeyReusedError(DomainError):
    """This Idempotency-Key was first sent with another request (method, path or body)."""

    def __init__(self, key: str, method: str, path: str) -> None:
        super().__init__(
            f"Idempotency-Key '{key}' was already used for another request (first with {method} {path});"
            " a new request needs a new key"
        )
        self.key = key
