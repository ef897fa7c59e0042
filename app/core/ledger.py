"""The ledger's words: why a quantity changes (`MovementReason`), which sign each reason's delta has,
and which reasons a client may give. The movements' CHECKs (app.models.stock_movement), the stock
schemas and the data layer are all written from these."""

from enum import StrEnum


class MovementReason(StrEnum):
    """Why a quantity changed; the sign rules are CHECKs on the table."""

    INITIAL = "initial"
    RECEIVED = "received"
    RETURNED = "returned"
    SOLD = "sold"
    DAMAGED = "damaged"
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    CORRECTION = "correction"


INCREASES = frozenset({MovementReason.INITIAL, MovementReason.RECEIVED, MovementReason.RETURNED})
"""Reasons whose delta is above 0 (ck_stock_movements_delta_sign is written from these sets)."""
DECREASES = frozenset({MovementReason.SOLD, MovementReason.DAMAGED})
"""Reasons whose delta is below 0."""
EITHER_SIGN = frozenset({MovementReason.ADJUSTMENT, MovementReason.CORRECTION})
"""Reasons whose delta may have either sign but is never 0; only a `count` may record a 0."""
CLIENT_REASONS = (INCREASES | DECREASES | EITHER_SIGN) - {MovementReason.INITIAL, MovementReason.CORRECTION}
"""The reasons a client may give a stock move: `initial`, `count` and `correction` come from creating
a product, the count route and setting a quantity."""
