"""The `stock_levels` table: how many of a product one location holds.

A product's `quantity` is the sum of its levels, and every change of a level is a movement;
PostgreSQL keeps both, whoever writes (alembic/versions/0008 holds the triggers):

- `stock_levels_record_movement` (AFTER INSERT OR UPDATE OF quantity) records the movement of
  each changed level, `quantity_after` being the level after it (app.models.stock_movement says
  how a statement gives it a reason, a note, a transfer or a batch). A level written by a
  statement of its own (plain SQL, the transfer route) also adds its delta to the product's
  `quantity`; one written by the products' triggers (below) does not, as they set it themselves.
- `products_move_stock` (BEFORE UPDATE OF products, when the quantity changes or a count is
  recorded) moves the difference to one level: the location the statement names, else the
  default one. A level that would go below 0, a location that does not exist, or a level that is
  not the statement's expected quantity refuses the change: quietly (the product's row is left
  as it was, and the level found is handed back) for a statement that names its reason, as the
  stock routes do; with an error otherwise (plain SQL, a PATCH, an import), whose constraint is
  `ck_stock_levels_quantity_nonnegative`.
- `products_place_initial_stock` (AFTER INSERT OF products) puts a new product's quantity at the
  default location, as its `initial` movement.
- `stock_levels_keep` refuses a DELETE or TRUNCATE of levels, or a change of their keys: a level
  goes to 0, it does not go away.
"""

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, Integer, Table
from sqlmodel import Field, SQLModel

LEVEL_NONNEGATIVE = "ck_stock_levels_quantity_nonnegative"
"""The CHECK (and the name the triggers' refusals carry) that a level never goes below 0."""
TRIGGERS = {
    ("stock_levels", "stock_levels_record_movement"): "stock_levels_record_movement",
    ("stock_levels", "stock_levels_keep"): "stock_levels_keep",
    ("stock_levels", "stock_levels_keep_truncate"): "stock_levels_keep",
    ("products", "products_move_stock"): "products_move_stock",
    ("products", "products_place_initial_stock"): "products_place_initial_stock",
}
"""(table, trigger): function, as alembic/versions/0008 creates them."""
SERVING_PRIVILEGES = {"stock_levels": ("SELECT", "INSERT", "UPDATE")}
"""The transfer route writes levels; the ledger itself only the triggers (as their owner)."""


class StockLevel(SQLModel, table=True):
    """A row of `stock_levels`: product `product_id` at location `location_id`."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name=LEVEL_NONNEGATIVE),
        Index("ix_stock_levels_location_id_product_id", "location_id", "product_id"),
    )

    product_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("products.id"), primary_key=True, autoincrement=False)
    )
    location_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("locations.id"), primary_key=True, autoincrement=False)
    )
    quantity: int = Field(sa_column=Column(Integer, nullable=False))


STOCK_LEVELS: Table = StockLevel.__table__  # type: ignore[attr-defined]  # SQLModel sets it
