"""History that stays: products are archived instead of erased, and the ledger is append-only.

- `products.archived_at` (null for every live product); the unique indexes on name, SKU and
  barcode, and the low-stock index, cover live products only, so an archived product's codes are
  free again.
- A `DELETE` of a product archives it (`products_archive_instead_of_delete`, BEFORE DELETE: sets
  `archived_at` and skips the deletion), whoever runs it; the movements' foreign key no longer
  cascades (nothing deletes a product any more).
- The product count counts live products: archiving one (or restoring it by SQL) moves its shard
  (`products_count_archived`).
- `stock_movements` refuses UPDATE, DELETE and TRUNCATE for every role, its owner included
  (`stock_movements_append_only`, `stock_movements_append_only_truncate`): a mistake is undone by a
  new movement.
- The functions that write the ledger and the count run as their owner (SECURITY DEFINER, with a
  fixed search_path), so the role the service serves with needs no write privilege on either
  table (alembic/env.py grants it exactly what it uses, after every upgrade).

Downgrade restores the cascade and the plain indexes, and erases the archived products (with
their movements), as 0006 knew no archive.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "archived_at IS NULL"
OWNER_RIGHTS = "SECURITY DEFINER SET search_path = public, pg_temp"
"""Functions that write what the serving role may only read run with their owner's rights."""


def upgrade() -> None:
    op.add_column("products", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    for name in (
        "uq_products_name_lower",
        "uq_products_sku_lower",
        "uq_products_barcode",
        "ix_products_low_stock",
    ):
        op.drop_index(name, table_name="products")
    op.create_index(
        "uq_products_name_lower",
        "products",
        [sa.text("lower(name)")],
        unique=True,
        postgresql_where=sa.text(LIVE),
    )
    op.create_index(
        "uq_products_sku_lower",
        "products",
        [sa.text("lower(sku)")],
        unique=True,
        postgresql_where=sa.text(f"sku IS NOT NULL AND {LIVE}"),
    )
    op.create_index(
        "uq_products_barcode", "products", ["barcode"], unique=True, postgresql_where=sa.text(LIVE)
    )
    op.create_index(
        "ix_products_low_stock",
        "products",
        ["id"],
        postgresql_where=sa.text(f"quantity <= reorder_level AND {LIVE}"),
    )
    op.drop_constraint("stock_movements_product_id_fkey", "stock_movements", type_="foreignkey")
    op.create_foreign_key(
        "stock_movements_product_id_fkey", "stock_movements", "products", ["product_id"], ["id"]
    )
    op.execute(
        """
        CREATE FUNCTION products_archive_instead_of_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE products SET archived_at = now() WHERE id = OLD.id AND archived_at IS NULL;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER products_archive_instead_of_delete BEFORE DELETE ON products "
        "FOR EACH ROW EXECUTE FUNCTION products_archive_instead_of_delete()"
    )
    op.execute(
        f"""
        CREATE FUNCTION products_count_archived() RETURNS trigger LANGUAGE plpgsql {OWNER_RIGHTS} AS $$
        BEGIN
            UPDATE product_count_shards
            SET row_count = row_count + CASE WHEN NEW.archived_at IS NULL THEN 1 ELSE -1 END
            WHERE shard = pg_backend_pid() % 16;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER products_count_archived AFTER UPDATE OF archived_at ON products FOR EACH ROW "
        "WHEN (OLD.archived_at IS DISTINCT FROM NEW.archived_at) EXECUTE FUNCTION products_count_archived()"
    )
    op.execute(
        """
        CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'stock_movements is append-only: % is refused', TG_OP
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Record a new movement that undoes the mistake (a count or an adjustment).';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements "
        "FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only()"
    )
    op.execute(
        "CREATE TRIGGER stock_movements_append_only_truncate BEFORE TRUNCATE ON stock_movements "
        "FOR EACH STATEMENT EXECUTE FUNCTION stock_movements_append_only()"
    )
    for function in ("products_record_movement", "products_count_rows"):
        op.execute(f"ALTER FUNCTION {function}() {OWNER_RIGHTS}")


def downgrade() -> None:
    for function in ("products_record_movement", "products_count_rows"):
        op.execute(f"ALTER FUNCTION {function}() SECURITY INVOKER RESET search_path")
    op.execute("DROP TRIGGER stock_movements_append_only_truncate ON stock_movements")
    op.execute("DROP TRIGGER stock_movements_append_only ON stock_movements")
    op.execute("DROP FUNCTION stock_movements_append_only()")
    op.execute("DROP TRIGGER products_count_archived ON products")
    op.execute("DROP FUNCTION products_count_archived()")
    op.execute("DROP TRIGGER products_archive_instead_of_delete ON products")
    op.execute("DROP FUNCTION products_archive_instead_of_delete()")
    op.drop_constraint("stock_movements_product_id_fkey", "stock_movements", type_="foreignkey")
    op.create_foreign_key(
        "stock_movements_product_id_fkey",
        "stock_movements",
        "products",
        ["product_id"],
        ["id"],
        ondelete="CASCADE",
    )
    # Archived products left the count when they were archived; their deletion subtracts them again.
    op.execute(
        "UPDATE product_count_shards SET row_count = row_count"
        " + (SELECT count(*) FROM products WHERE archived_at IS NOT NULL) WHERE shard = 0"
    )
    op.execute("DELETE FROM products WHERE archived_at IS NOT NULL")
    for name in (
        "uq_products_name_lower",
        "uq_products_sku_lower",
        "uq_products_barcode",
        "ix_products_low_stock",
    ):
        op.drop_index(name, table_name="products")
    op.create_index("uq_products_name_lower", "products", [sa.text("lower(name)")], unique=True)
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
    op.drop_column("products", "archived_at")
