"""What the stock is worth: the moving-average rules' settings, and the reports' summary tables.

Every movement carries `unit_cost`, `value_delta` and (sales and returns) `unit_price`, and every
product its `average_cost` and `stock_value` (app.models.stock_movement, app.models.product);
the ledger's functions (alembic/versions/0009) apply the rules of the contract to every movement,
whoever writes it:

- `initial` and `received`: `unit_cost` is the cost given (`UNIT_COST_SETTING` for a receipt;
  the new product's `average_cost` for its initial stock), else the average cost;
- any other: the average cost before it; a decrease takes at most the value on hand, and one
  that leaves the product's total at 0 takes exactly what remained (not a transfer: its two
  halves carry the same cost and opposite values, and change neither figure);
- `sold` and `returned` carry `unit_price`: `UNIT_PRICE_SETTING`, else the product's price;
- then `stock_value` += `value_delta` and, while the total is above 0 and the movement is not
  a transfer, `average_cost = round(stock_value / quantity, 4)`.

A value that would not fit `NUMERIC(18,4)` is refused (`VALUE_FITS`, SQLSTATE 23514). A
statement that sets either product figure itself is refused (`products_value_read_only`).

The reports read two tables kept by the same functions, for live products only:
`stock_value_changes`, one row per movement (and one per quarter-hour of its history when a
product is archived or restored), and `stock_value_buckets`, those rows folded per quarter-hour
by `FOLD` (app.tasks.fold runs it). A report sums both in one snapshot, so it is exact whether
or not the fold has run.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Column, DateTime, Identity, Integer, Numeric, Table
from sqlmodel import Field, SQLModel

UNIT_COST_SETTING = "inventory.movement_unit_cost"
UNIT_PRICE_SETTING = "inventory.movement_unit_price"
VALUE_SETTING = "inventory.movement_value"
"""How the products' trigger hands a movement's figures to the one that records it."""
VALUE_FITS = "stock_value_fits"
"""The constraint name of the refusal of a value beyond NUMERIC(18,4)."""
FOLD = "stock_value_fold"
"""The function that folds the changes into the buckets; how many changes it folded."""
HELPER_FUNCTIONS = frozenset({"stock_movement_value", "stock_average_cost", FOLD})
"""The ledger's functions that no trigger runs directly."""
SERVING_FUNCTIONS = (f"{FOLD}()",)
"""The functions the serving role may run."""
TRIGGERS = {
    ("products", "products_value_initial_stock"): "products_value_initial_stock",
    ("products", "products_value_read_only"): "products_value_read_only",
    ("products", "products_value_archived"): "products_value_archived",
}
"""(table, trigger): function, as alembic/versions/0009 creates them."""
SERVING_PRIVILEGES = {"stock_value_changes": ("SELECT",), "stock_value_buckets": ("SELECT",)}
"""The service reads the summaries; the triggers and the fold (as their owner) write them."""


class StockValueTotals(SQLModel):
    """What a quarter-hour's movements did to the shop's totals."""

    products_in_stock: int = Field(sa_type=Integer, nullable=False)
    quantity: int = Field(sa_type=BigInteger, nullable=False)
    value: Decimal = Field(sa_type=Numeric, nullable=False)
    units_sold: int = Field(sa_type=BigInteger, nullable=False)
    revenue: Decimal = Field(sa_type=Numeric, nullable=False)
    cost_of_goods: Decimal = Field(sa_type=Numeric, nullable=False)


class StockValueChange(StockValueTotals, table=True):
    """A row of `stock_value_changes`: one movement's part, not yet folded."""

    __tablename__ = "stock_value_changes"

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    bucket: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class StockValueBucket(StockValueTotals, table=True):
    """A row of `stock_value_buckets`: a quarter-hour's changes, folded."""

    __tablename__ = "stock_value_buckets"

    bucket: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))


STOCK_VALUE_CHANGES: Table = StockValueChange.__table__  # type: ignore[attr-defined]
STOCK_VALUE_BUCKETS: Table = StockValueBucket.__table__  # type: ignore[attr-defined]
