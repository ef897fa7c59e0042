"""The `stock_movements` table: the ledger of every change of a level (a product at a location).

Its columns, CHECKs (written from `MovementReason` and its sign sets) and indexes declare what
the migrations built (`alembic check` compares the columns; tests/db/test_schema_drift.py the
CHECKs, indexes, storage options and the names in `TRIGGERS`). The triggers that write it
(app.models.stock_level), the ones that refuse any change of it (append-only), and their
functions, live in the migrations alone (alembic/versions/0007, 0008).

The database keeps the ledger itself: every change of a level records one movement, with
`quantity_after` the level after it (the row locks make it right under concurrency). A
statement says what it is through transaction-local settings, set with `set_config(..., true)`
(the stock routes do it in a CTE of their UPDATE), each one read once and emptied by the
trigger that reads it, so that it never reaches a later statement:

- `REASON_SETTING` and `NOTE_SETTING`: the movement's reason (default `correction`) and note;
- `LOCATION_SETTING`: where an UPDATE of `products.quantity` happens (default: the default
  location); `EXPECTED_SETTING`: the level it must find there (compare-and-set);
  `COUNTED_SETTING`: for a `count`, the level counted there;
- `REFUSED_SETTING`: set by the trigger, not the statement, for the session (an autocommitted
  statement's local settings end with it): the level it found when it refused a statement that
  named its reason (app.models.stock_level); the statement that reads it empties it;
- `TRANSFER_SETTING`: the id of the last `transfer_out`, which the next `transfer_in` of the
  transaction takes as its `transfer_id`;
- `BATCH_SETTING`: `new` at the start of a basket; the first movement sets it to its own id,
  and every movement of the transaction after it carries that `batch_id`.

A `count` records a movement even when the level is unchanged.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    Table,
    Text,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.core.ledger import DECREASES, EITHER_SIGN, INCREASES, PRICED, TRANSFERS, MovementReason
from app.core.validation import (
    COST_DECIMALS,
    COST_DIGITS,
    NOTE_MAX_LENGTH,
    PRICE_DECIMALS,
    PRICE_DIGITS,
    VALUE_DIGITS,
)

REASON_SETTING = "inventory.movement_reason"
NOTE_SETTING = "inventory.movement_note"
LOCATION_SETTING = "inventory.movement_location"
EXPECTED_SETTING = "inventory.movement_expected"
COUNTED_SETTING = "inventory.movement_counted"
REFUSED_SETTING = "inventory.movement_refused"
TRANSFER_SETTING = "inventory.transfer_id"
BATCH_SETTING = "inventory.batch_id"
"""The settings through which a statement speaks to the ledger's triggers (see above; the
migrations' functions read these names, tests/db/test_schema_drift.py checks that they do)."""
RECORD_MOVEMENT = "stock_levels_record_movement"
"""The function of the ledger's trigger: it writes each movement."""
MOVE_STOCK = "products_move_stock"
"""The function that moves a change of a product's quantity to one of its levels."""
APPEND_ONLY = "stock_movements_append_only"
"""The function that refuses every UPDATE, DELETE and TRUNCATE of the ledger, for every role."""
TRIGGERS = {
    ("stock_movements", "stock_movements_append_only"): APPEND_ONLY,
    ("stock_movements", "stock_movements_append_only_truncate"): APPEND_ONLY,
}
"""(table, trigger): function. The triggers that keep the ledger append-only (those that write
it are app.models.stock_level's, running as their owner: the serving role only reads it)."""
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
    """A row of `stock_movements`: written by the ledger's trigger, never edited."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity_after >= 0", name="ck_stock_movements_quantity_after_nonnegative"),
        CheckConstraint(
            f"reason IN ({reasons_sql(frozenset(MovementReason))})", name="ck_stock_movements_reason"
        ),
        CheckConstraint(DELTA_SIGN, name="ck_stock_movements_delta_sign"),
        CheckConstraint(f"char_length(note) <= {NOTE_MAX_LENGTH}", name="ck_stock_movements_note_length"),
        CheckConstraint(
            f"(reason IN ({reasons_sql(TRANSFERS)})) = (transfer_id IS NOT NULL) AND transfer_id <= id",
            name="ck_stock_movements_transfer_id",
        ),
        CheckConstraint("batch_id <= id", name="ck_stock_movements_batch_id"),
        CheckConstraint("unit_cost >= 0", name="ck_stock_movements_unit_cost_nonnegative"),
        CheckConstraint(
            f"unit_price >= 0 AND reason IN ({reasons_sql(PRICED)}) OR unit_price IS NULL",
            name="ck_stock_movements_unit_price",
        ),
        Index("ix_stock_movements_product_id_id", "product_id", text("id DESC")),
        Index("ix_stock_movements_location_id_id", "location_id", text("id DESC")),
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
    location_id: int = Field(sa_column=Column(BigInteger, ForeignKey("locations.id"), nullable=False))
    delta: int = Field(sa_column=Column(Integer, nullable=False))
    quantity_after: int = Field(sa_column=Column(Integer, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False, server_default=""))
    transfer_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    batch_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    unit_cost: Decimal = Field(
        sa_column=Column(Numeric(COST_DIGITS, COST_DECIMALS), nullable=False, server_default="0")
    )
    value_delta: Decimal = Field(
        sa_column=Column(Numeric(VALUE_DIGITS, COST_DECIMALS), nullable=False, server_default="0")
    )
    unit_price: Decimal | None = Field(default=None, sa_column=Column(Numeric(PRICE_DIGITS, PRICE_DECIMALS)))
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


STOCK_MOVEMENTS: Table = StockMovement.__table__  # type: ignore[attr-defined]  # SQLModel sets it
MOVEMENT_COLUMNS = tuple(
    STOCK_MOVEMENTS.c[name]
    for name in (
        "id",
        "product_id",
        "location_id",
        "delta",
        "quantity_after",
        "reason",
        "note",
        "transfer_id",
        "batch_id",
        "unit_cost",
        "value_delta",
        "unit_price",
        "created_at",
    )
)
"""A movement's columns in the order the API writes them."""
