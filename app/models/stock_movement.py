"""The `stock_movements` table: the ledger of every change of a product's quantity.

Its columns, constraints, indexes, and the triggers on `products` that write it, mirror
alembic/versions/0002 (`alembic check` compares the columns; tests/db/test_schema_drift.py the
CHECKs, indexes, triggers and function bodies).

The database keeps the ledger itself: an INSERT of a product with a quantity above 0 records an
`initial` movement, and an UPDATE that changes a quantity records one with
`delta = NEW.quantity - OLD.quantity` and `quantity_after = NEW.quantity` (the row lock makes it
right under concurrency). Its reason is `correction`, unless the statement itself set
`inventory.movement_reason` (and `inventory.movement_note`) with `set_config(..., true)`, as the
stock routes do in a CTE of their UPDATE; the trigger empties both after reading them, so they
never reach a later statement. A `count` records a movement even when the quantity is unchanged.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    DDL,
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
    event,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.validation import NOTE_MAX_LENGTH


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
"""Reasons whose delta is above 0 (ck_stock_movements_delta_sign says the same)."""
DECREASES = frozenset({MovementReason.SOLD, MovementReason.DAMAGED})
"""Reasons whose delta is below 0."""
REASON_SETTING = "inventory.movement_reason"
NOTE_SETTING = "inventory.movement_note"
"""The settings through which a statement gives the trigger its reason and note (RECORD_MOVEMENT)."""


class StockMovement(SQLModel, table=True):
    """A row of `stock_movements`: written by the triggers on `products`, never edited."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity_after >= 0", name="ck_stock_movements_quantity_after_nonnegative"),
        CheckConstraint(
            "reason IN ('initial', 'received', 'returned', 'sold', 'damaged',"
            " 'adjustment', 'count', 'correction')",
            name="ck_stock_movements_reason",
        ),
        CheckConstraint(
            "(reason IN ('initial', 'received', 'returned') AND delta > 0)"
            " OR (reason IN ('sold', 'damaged') AND delta < 0)"
            " OR (reason IN ('adjustment', 'correction') AND delta <> 0)"
            " OR reason = 'count'",
            name="ck_stock_movements_delta_sign",
        ),
        CheckConstraint(f"char_length(note) <= {NOTE_MAX_LENGTH}", name="ck_stock_movements_note_length"),
        Index("ix_stock_movements_product_id_id", "product_id", text("id DESC")),
        Index("ix_stock_movements_reason_created_at_id", "reason", "created_at", "id"),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    product_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("products.id", ondelete="CASCADE"), nullable=False)
    )
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

RECORD_MOVEMENT = (
    """
    CREATE FUNCTION products_record_movement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO stock_movements (product_id, delta, quantity_after, reason, note)
        VALUES (
            NEW.id,
            NEW.quantity - CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.quantity END,
            NEW.quantity,
            CASE WHEN TG_OP = 'INSERT' THEN 'initial'
                 ELSE coalesce(nullif(current_setting('inventory.movement_reason', true), ''),
                               'correction')
            END,
            coalesce(current_setting('inventory.movement_note', true), '')
        );
        PERFORM set_config('inventory.movement_reason', '', true),
                set_config('inventory.movement_note', '', true);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER products_record_initial_movement AFTER INSERT ON products
    FOR EACH ROW WHEN (NEW.quantity > 0) EXECUTE FUNCTION products_record_movement()
    """,
    """
    CREATE TRIGGER products_record_quantity_movement AFTER UPDATE ON products
    FOR EACH ROW
    WHEN (OLD.quantity <> NEW.quantity OR current_setting('inventory.movement_reason', true) = 'count')
    EXECUTE FUNCTION products_record_movement()
    """,
)
"""The ledger's triggers on `products`, as the model declares them (the migration has its own copy).

Created after `stock_movements`, which they write to (see the `after_create` listener below).
"""

for statement in RECORD_MOVEMENT:
    event.listen(STOCK_MOVEMENTS, "after_create", DDL(statement))  # type: ignore[no-untyped-call]

NO_PARALLEL_SCANS = "ALTER TABLE stock_movements SET (parallel_workers = 0)"
"""The movement lists are pages (LIMIT 101): at 10M rows the planner chose a parallel backward scan
of the primary key whose worker start-up took 8 ms for a 0.06 ms scan (bench/scale.py). With no
parallel workers for this table it runs the same scan alone. (Migration 0004 sets it too.)"""

event.listen(STOCK_MOVEMENTS, "after_create", DDL(NO_PARALLEL_SCANS))  # type: ignore[no-untyped-call]
