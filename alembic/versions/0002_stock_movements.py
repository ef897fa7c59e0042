"""Add the stock ledger: `stock_movements`, its checks and indexes, and the triggers that fill it.

Every product that has stock gets its `initial` movement (the quantity it holds now), so the
ledger invariant holds for the data already there: quantity = the sum of the deltas, and the
newest movement's quantity_after = quantity. Written by hand (autogenerate writes no triggers);
app/models/stock_movement.py declares the same.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column(
            "product_id", sa.BigInteger(), sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("quantity_after", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("quantity_after >= 0", name="ck_stock_movements_quantity_after_nonnegative"),
        sa.CheckConstraint(
            "reason IN ('initial', 'received', 'returned', 'sold', 'damaged',"
            " 'adjustment', 'count', 'correction')",
            name="ck_stock_movements_reason",
        ),
        sa.CheckConstraint(
            "(reason IN ('initial', 'received', 'returned') AND delta > 0)"
            " OR (reason IN ('sold', 'damaged') AND delta < 0)"
            " OR (reason IN ('adjustment', 'correction') AND delta <> 0)"
            " OR reason = 'count'",
            name="ck_stock_movements_delta_sign",
        ),
        sa.CheckConstraint("char_length(note) <= 500", name="ck_stock_movements_note_length"),
    )
    op.create_index("ix_stock_movements_product_id_id", "stock_movements", ["product_id", sa.text("id DESC")])
    op.create_index(
        "ix_stock_movements_reason_created_at_id", "stock_movements", ["reason", "created_at", "id"]
    )
    op.execute(
        """
        INSERT INTO stock_movements (product_id, delta, quantity_after, reason)
        SELECT id, quantity, quantity, 'initial' FROM products WHERE quantity > 0 ORDER BY id
        """
    )
    op.execute(
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
        """
    )
    op.execute(
        """
        CREATE TRIGGER products_record_initial_movement AFTER INSERT ON products
        FOR EACH ROW WHEN (NEW.quantity > 0) EXECUTE FUNCTION products_record_movement()
        """
    )
    op.execute(
        """
        CREATE TRIGGER products_record_quantity_movement AFTER UPDATE ON products
        FOR EACH ROW
    WHEN (OLD.quantity <> NEW.quantity OR current_setting('inventory.movement_reason', true) = 'count')
        EXECUTE FUNCTION products_record_movement()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER products_record_quantity_movement ON products")
    op.execute("DROP TRIGGER products_record_initial_movement ON products")
    op.execute("DROP FUNCTION products_record_movement()")
    op.drop_table("stock_movements")
