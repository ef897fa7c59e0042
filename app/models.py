"""The `products` table. Its constraints mirror alembic/versions/0001 (kept in step by `alembic check`)."""

from datetime import datetime

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
    Text,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.validation import Description, Price, ProductName, Quantity

NAME_UNIQUE_INDEX = "uq_products_name_lower"
"""The unique index on lower(name): a violation of it means a duplicate product name."""


class ProductBase(SQLModel):
    """The fields a client writes, with the contract's validation."""

    name: ProductName = Field(sa_type=String(200))
    description: Description = Field(sa_type=Text)
    price: Price = Field(sa_type=Numeric(12, 2))
    quantity: Quantity = Field(sa_type=Integer)


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
        Index(NAME_UNIQUE_INDEX, func.lower(text("name")), unique=True),
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
