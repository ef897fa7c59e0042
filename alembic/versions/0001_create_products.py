"""Create the products table, its constraints, the unique lower(name) index and the updated_at trigger.

Written by hand: autogenerate writes neither triggers nor functional indexes.
app/models.py declares the same table; `alembic check` proves the two agree.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("price", sa.Numeric(12, 2), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "char_length(name) BETWEEN 1 AND 200 AND name = btrim(name, E' \\t\\n\\r\\f\\x0b')",
            name="ck_products_name_trimmed",
        ),
        sa.CheckConstraint("char_length(description) <= 2000", name="ck_products_description_length"),
        sa.CheckConstraint("price >= 0", name="ck_products_price_nonnegative"),
        sa.CheckConstraint("quantity >= 0", name="ck_products_quantity_nonnegative"),
    )
    op.create_index("uq_products_name_lower", "products", [sa.text("lower(name)")], unique=True)
    op.execute(
        """
        CREATE FUNCTION products_touch_updated_at() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER products_touch_updated_at
        BEFORE UPDATE ON products
        FOR EACH ROW EXECUTE FUNCTION products_touch_updated_at()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER products_touch_updated_at ON products")
    op.execute("DROP FUNCTION products_touch_updated_at()")
    op.drop_index("uq_products_name_lower", table_name="products")
    op.drop_table("products")
