"""The `stock_movements` table: the ledger of every change of a product's quantity.

Its columns, CHECKs (written from `MovementReason` and its sign sets) and indexes declare what
the migrations built (`alembic check` compares the columns; tests/db/test_schema_drift.py the
CHECKs, indexes, storage options and the names in `TRIGGERS`). The triggers on `products` that
write it, the ones that refuse any change of it (append-only), and their functions, live in
the migrations alone (alembic/versions/0002, 0007).

The database keeps the ledger itself: an INSERT of a product with a quantity above 0 records an
`initial` movement, and an UPDATE that changes a quantity records one with
`delta = NEW.quantity - OLD.quantity` and `quantity_after = NEW.quantity` (the row lock makes it
right under concurrency). Its reason is `correction`, unless the statement itself set
`inventory.movement_reason` (and `inventory.movement_note`) with `set_config(..., true)`, as the
stock routes do in a CTE of their UPDATE; the trigger empties both after reading them, so they
never reach a later statement. A `count` records a movement even when the quantity is unchanged.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Table,
    Text,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.core.ledger import DECREASES, EITHER_SIGN, INCREASES, MovementReason
from app.core.validation import NOTE_MAX_LENGTH

REASON_SETTING = "inventory.movement_reason"
NOTE_SETTING = "inventory.movement_note"
"""The settings through which a statement gives the trigger its reason and note (the migrations'
products_record_movement() reads these names; tests/db/test_schema_drift.py checks that it does)."""
RECORD_MOVEMENT = "products_record_movement"
"""The function of the ledger's triggers: it writes each movement."""
APPEND_ONLY = "stock_movements_append_only"
"""The function that refuses every UPDATE, DELETE and TRUNCATE of the ledger, for every role."""
TRIGGERS = {
    ("products", "products_record_initial_movement"): RECORD_MOVEMENT,
    ("products", "products_record_quantity_movement"): RECORD_MOVEMENT,
    ("stock_movements", "stock_movements_append_only"): APPEND_ONLY,
    ("stock_movements", "stock_movements_append_only_truncate"): APPEND_ONLY,
}
"""(table, trigger): function. The row triggers on `products` that record each movement (as the
function's owner: the serving role cannot write the ledger itself), and those that keep the
ledger append-only."""
SERVING_PRIVILEGES = {"stock_movements": ("SELECT",)}
"""The serving role reads the ledger; only the triggers write it."""


def reasons_sql(reasons: frozenset[MovementReason]) -> str:
    """`'a', 'b'`: the reasons as SQL literals, in the order `MovementReason` declares them."""
    return ", ".join(f"'{reason}'" for reason in MovementReason if reason in reasons)


DELTA_SIGN = (
    f"(reason IN ({reasons_sql(INCREASES)}) AND delta > 0)"
    f" OR (reason IN ({reasons_sql(DECREASES)}) AND delta < 0)"
    f" OR (reason IN ({reasons_sql(EITHER_SIGN)}) AND delta <> 0)"
    f" OR reason = '{MovementReason.COUNT}'"
)


class StockMovement(SQLModel, table=True):
    """A row of `stock_movements`: written by the triggers on `products`, never edited."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity_after >= 0", name="ck_stock_movements_quantity_after_nonnegative"),
        CheckConstraint(
            f"reason IN ({reasons_sql(frozenset(MovementReason))})", name="ck_stock_movements_reason"
        ),
        CheckConstraint(DELTA_SIGN, name="ck_stock_movements_delta_sign"),
        CheckConstraint(f"char_length(note) <= {NOTE_MAX_LENGTH}", name="ck_stock_movements_note_length"),
        Index("ix_stock_movements_product_id_id", "product_id", text("id DESC")),
        Index("ix_stock_movements_reason_created_at_id", "reason", "created_at", "id"),
        # The movement lists are pages (LIMIT 101): at 10M rows the planner chose a parallel backward
        # scan of the primary key whose worker start-up took 8 ms for a 0.06 ms scan (bench/scale.py).
        # With no parallel workers for this table it runs the same scan alone (migration 0004).
        {"postgresql_with": {"parallel_workers": 0}},
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    product_id: int = Field(sa_column=Column(BigInteger, ForeignKey("products.id"), nullable=False))
    delta: int = Field(sa_column=Column(Integer, nullable=False))
    quantity_after: int = Field(sa_column=Column(Integer, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


STOCK_MOVEMENTS: Table = StockMovement.__table__  # type: ignore[attr-defined]  # SQLModel sets it
MOVEMENT_COLUMNS = tuple(
    STOCK_MOVEMENTS.c[name]
    for name in ("id", "product_id", "delta", "quantity_after", "reason", "note", "created_at")
)
"""A movement's columns in the order the API writes them."""
