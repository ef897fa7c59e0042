"""The `products` table: `ProductBase` (the fields a client writes) and `Product` (the table).

Its columns, CHECKs and indexes are written from the rules of app.core.validation and declare
what the migrations built (`alembic check` compares the columns; tests/db/test_schema_drift.py
the CHECKs, indexes and trigger names). Its triggers (`updated_at`, archive instead of
delete) live in the migrations alone (alembic/versions/0001, 0007); `TRIGGERS` names them. A
product with `archived_at` set is deleted as far as the API goes; its row and movements stay.
`PRODUCTS` is the Core table the data layer queries, and `READ_COLUMNS` the order a product is
written out in: `id` first, the timestamps last.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.core.validation import (
    COST_DECIMALS,
    COST_DIGITS,
    DESCRIPTION_MAX_LENGTH,
    GTIN_MAX_LENGTH,
    GTIN_SHAPE,
    NAME_MAX_LENGTH,
    PRICE_DECIMALS,
    PRICE_DIGITS,
    SKU_CHARACTERS,
    SKU_MAX_LENGTH,
    VALUE_DIGITS,
    Barcode,
    Description,
    Price,
    ProductName,
    Quantity,
    ReorderLevel,
    Sku,
)

NAME_UNIQUE_INDEX = "uq_products_name_lower"
"""The unique index on lower(name): a violation of it means a duplicate product name."""
SKU_UNIQUE_INDEX = "uq_products_sku_lower"
"""The unique index on lower(sku), among products that have one."""
BARCODE_UNIQUE_INDEX = "uq_products_barcode"
LOW_STOCK_INDEX = "ix_products_low_stock"
"""The ids of the products low on stock: a partial index whose predicate is the filter itself.

Small (only the low rows are in it) and served in id order, so `low_stock=true` pages and counts
come from it alone; an expression index on (quantity - reorder_level) would hold every row.
"""
LIVE = "archived_at IS NULL"
"""A product that has not been deleted: deleting archives (the row and its history stay)."""
LOW_STOCK = "quantity <= reorder_level"
TRIMMED_SPACE = "E' \\t\\n\\r\\f\\x0b'"
"""The whitespace a stored name may not start or end with: what Python's `str.strip()` removes
among ASCII (space, tab, LF, CR, FF, VT), as a PostgreSQL string literal."""
TRIGGERS = {
    ("products", "products_touch_updated_at"): "products_touch_updated_at",
    ("products", "products_archive_instead_of_delete"): "products_archive_instead_of_delete",
}
"""The row triggers on `products` (table, trigger: function) that advance `updated_at` on every
UPDATE, and turn a DELETE, whoever runs it, into setting `archived_at` (alembic/versions/0007)."""
SERVING_PRIVILEGES = {"products": ("SELECT", "INSERT", "UPDATE", "DELETE")}
"""What the serving role may do to the table: DELETE only archives (the trigger above), so a
person connected as that role deletes a product as the API does."""


class ProductBase(SQLModel):
    """The fields a client writes, with the contract's validation."""

    name: ProductName = Field(sa_type=String(NAME_MAX_LENGTH))
    description: Description = Field(sa_type=Text)
    price: Price = Field(sa_type=Numeric(PRICE_DIGITS, PRICE_DECIMALS))
    quantity: Quantity = Field(sa_type=Integer)
    sku: Sku | None = Field(default=None, sa_type=String(SKU_MAX_LENGTH))
    barcode: Barcode | None = Field(default=None, sa_type=String(GTIN_MAX_LENGTH))
    reorder_level: ReorderLevel = Field(default=0, sa_type=Integer, sa_column_kwargs={"server_default": "0"})


class Product(ProductBase, table=True):
    """A row of `products`; id and timestamps come from the database."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint(
            f"char_length(name) BETWEEN 1 AND {NAME_MAX_LENGTH} AND name = btrim(name, {TRIMMED_SPACE})",
            name="ck_products_name_trimmed",
        ),
        CheckConstraint(
            f"char_length(description) <= {DESCRIPTION_MAX_LENGTH}", name="ck_products_description_length"
        ),
        CheckConstraint("price >= 0", name="ck_products_price_nonnegative"),
        CheckConstraint("quantity >= 0", name="ck_products_quantity_nonnegative"),
        CheckConstraint(f"sku ~ '^[{SKU_CHARACTERS}]{{1,{SKU_MAX_LENGTH}}}$'", name="ck_products_sku_format"),
        CheckConstraint(f"barcode ~ '^({GTIN_SHAPE})$'", name="ck_products_barcode_gtin"),
        CheckConstraint("reorder_level >= 0", name="ck_products_reorder_level_nonnegative"),
        CheckConstraint("average_cost >= 0", name="ck_products_average_cost_nonnegative"),
        CheckConstraint("stock_value >= 0", name="ck_products_stock_value_nonnegative"),
        Index(NAME_UNIQUE_INDEX, func.lower(text("name")), unique=True, postgresql_where=text(LIVE)),
        Index(
            SKU_UNIQUE_INDEX,
            func.lower(text("sku")),
            unique=True,
            postgresql_where=text(f"sku IS NOT NULL AND {LIVE}"),
        ),
        Index(BARCODE_UNIQUE_INDEX, "barcode", unique=True, postgresql_where=text(LIVE)),
        Index(LOW_STOCK_INDEX, "id", postgresql_where=text(f"{LOW_STOCK} AND {LIVE}")),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    updated_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    archived_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    average_cost: Decimal = Field(
        default=Decimal(0),
        sa_column=Column(Numeric(COST_DIGITS, COST_DECIMALS), nullable=False, server_default="0"),
    )
    stock_value: Decimal = Field(
        default=Decimal(0),
        sa_column=Column(Numeric(VALUE_DIGITS, COST_DECIMALS), nullable=False, server_default="0"),
    )
    """Kept by the ledger (app.models.stock_value): a statement that sets either is refused."""


PRODUCTS: Table = Product.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
READ_COLUMNS = tuple(
    PRODUCTS.c[name]
    for name in (
        "id",
        "name",
        "sku",
        "barcode",
        "description",
        "price",
        "quantity",
        "reorder_level",
        "average_cost",
        "stock_value",
        "created_at",
        "updated_at",
    )
)
"""A product's columns in the order the API (and the CSV export's header) writes them."""
