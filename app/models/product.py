"""The `products` table: `ProductBase` (the fields a client writes) and `Product` (the table).

Its columns, constraints, indexes and trigger mirror alembic/versions/0001 and 0003 (`alembic check`
compares the columns; tests/db/test_schema_drift.py the CHECKs, indexes and triggers).
`PRODUCTS` is the Core table the data layer queries, and `READ_COLUMNS` the order a product is
written out in: `id` first, the timestamps last.
"""

from datetime import datetime

from sqlalchemy import (
    DDL,
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
    event,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.validation import Barcode, Description, Price, ProductName, Quantity, ReorderLevel, Sku

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
LOW_STOCK = "quantity <= reorder_level"


class ProductBase(SQLModel):
    """The fields a client writes, with the contract's validation."""

    name: ProductName = Field(sa_type=String(200))
    description: Description = Field(sa_type=Text)
    price: Price = Field(sa_type=Numeric(12, 2))
    quantity: Quantity = Field(sa_type=Integer)
    sku: Sku | None = Field(default=None, sa_type=String(64))
    barcode: Barcode | None = Field(default=None, sa_type=String(14))
    reorder_level: ReorderLevel = Field(default=0, sa_type=Integer, sa_column_kwargs={"server_default": "0"})


class Product(ProductBase, table=True):
    """A row of `products`; id and timestamps come from the database."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint(
            "char_length(name) BETWEEN 1 AND 200 AND name = btrim(name, E' \\t\\n\\r\\f\\x0b')",
            name="ck_products_name_trimmed",
        ),
        CheckConstraint("char_length(description) <= 2000", name="ck_products_description_length"),
        CheckConstraint("price >= 0", name="ck_products_price_nonnegative"),
        CheckConstraint("quantity >= 0", name="ck_products_quantity_nonnegative"),
        CheckConstraint("sku ~ '^[A-Za-z0-9._/-]{1,64}$'", name="ck_products_sku_format"),
        CheckConstraint("barcode ~ '^([0-9]{8}|[0-9]{12,14})$'", name="ck_products_barcode_gtin"),
        CheckConstraint("reorder_level >= 0", name="ck_products_reorder_level_nonnegative"),
        Index(NAME_UNIQUE_INDEX, func.lower(text("name")), unique=True),
        Index(
            SKU_UNIQUE_INDEX, func.lower(text("sku")), unique=True, postgresql_where=text("sku IS NOT NULL")
        ),
        Index(BARCODE_UNIQUE_INDEX, "barcode", unique=True),
        Index(LOW_STOCK_INDEX, "id", postgresql_where=text(LOW_STOCK)),
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
        "created_at",
        "updated_at",
    )
)
"""A product's columns in the order the API (and the CSV export's header) writes them."""

TOUCH_UPDATED_AT = (
    "CREATE FUNCTION products_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN NEW.updated_at := now(); RETURN NEW; END $$",
    "CREATE TRIGGER products_touch_updated_at BEFORE UPDATE ON products "
    "FOR EACH ROW EXECUTE FUNCTION products_touch_updated_at()",
)
"""The trigger that keeps `updated_at`, as the model declares it (the migration has its own copy)."""

for statement in TOUCH_UPDATED_AT:
    event.listen(PRODUCTS, "after_create", DDL(statement))  # type: ignore[no-untyped-call]
