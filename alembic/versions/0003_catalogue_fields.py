"""Products get a SKU, a barcode and a reorder level, with their CHECKs and indexes.

`sku`: 1-64 of A-Z a-z 0-9 - _ . / (so trimmed), unique case-insensitively among the products
that have one. `barcode`: the shape of a GTIN (8, 12, 13 or 14 digits), unique; its check digit
is validated by the API. `reorder_level`: >= 0, default 0; the partial index on id
`WHERE quantity <= reorder_level` serves the low-stock list. app/models/product.py declares the same.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("products", sa.Column("sku", sa.String(64), nullable=True))
    op.add_column("products", sa.Column("barcode", sa.String(14), nullable=True))
    op.add_column("products", sa.Column("reorder_level", sa.Integer(), server_default="0", nullable=False))
    op.create_check_constraint("ck_products_sku_format", "products", "sku ~ '^[A-Za-z0-9._/-]{1,64}$'")
    op.create_check_constraint(
        "ck_products_barcode_gtin", "products", "barcode ~ '^([0-9]{8}|[0-9]{12,14})$'"
    )
    op.create_check_constraint("ck_products_reorder_level_nonnegative", "products", "reorder_level >= 0")
    op.create_index(
        "uq_products_sku_lower",
        "products",
        [sa.text("lower(sku)")],
        unique=True,
        postgresql_where=sa.text("sku IS NOT NULL"),
    )
    op.create_index("uq_products_barcode", "products", ["barcode"], unique=True)
    op.create_index(
        "ix_products_low_stock", "products", ["id"], postgresql_where=sa.text("quantity <= reorder_level")
    )


def downgrade() -> None:
    op.drop_index("ix_products_low_stock", table_name="products")
    op.drop_index("uq_products_barcode", table_name="products")
    op.drop_index("uq_products_sku_lower", table_name="products")
    op.drop_column("products", "reorder_level")
    op.drop_column("products", "barcode")
    op.drop_column("products", "sku")
