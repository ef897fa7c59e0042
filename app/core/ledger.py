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
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"


INCREASES = frozenset(
    {MovementReason.INITIAL, MovementReason.RECEIVED, MovementReason.RETURNED, MovementReason.TRANSFER_IN}
)
"""Reasons whose delta is above 0 (ck_stock_movements_delta_sign is written from these sets)."""
DECREASES = frozenset({MovementReason.SOLD, MovementReason.DAMAGED, MovementReason.TRANSFER_OUT})
"""Reasons whose delta is below 0."""
EITHER_SIGN = frozenset({MovementReason.ADJUSTMENT, MovementReason.CORRECTION})
"""Reasons whose delta may have either sign but is never 0; only a `count` may record a 0."""
TRANSFERS = frozenset({MovementReason.TRANSFER_OUT, MovementReason.TRANSFER_IN})
"""The two halves of a transfer between locations: only they carry a `transfer_id`."""
PRICED = frozenset({MovementReason.SOLD, MovementReason.RETURNED})
"""Reasons whose movement carries the `unit_price` it was sold (or refunded) at."""
COSTED = frozenset({MovementReason.INITIAL, MovementReason.RECEIVED})
"""Reasons whose movement brings stock in at a cost of its own; every other takes the average cost."""
CLIENT_REASONS = (INCREASES | DECREASES | EITHER_SIGN) - {
    MovementReason.INITIAL,
    MovementReason.CORRECTION,
    *TRANSFERS,
}
"""The reasons a client may give a stock move: `initial`, `count`, `correction` and the transfers
come from creating a product, the count route, setting a quantity and the transfer route."""
