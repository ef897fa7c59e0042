"""Where the stock is: `locations`, `stock_levels`, and a ledger kept per level.

- `locations` (one default: a partial unique index, and a deferred constraint trigger that
  refuses a transaction leaving none), with `Main` as the first default.
- `stock_levels (product_id, location_id, quantity >= 0)`: every product's stock moves to
  `Main`; a product's `quantity` is the sum of its levels from now on.
- `stock_movements` gains `location_id` (every existing movement is at `Main`: a constant
  default, so no row is rewritten), `transfer_id` and `batch_id`, and the reasons
  `transfer_out` and `transfer_in`; `quantity_after` is the level's quantity after the movement
  (for movements at `Main` alone, as every existing one is, the same number as before).
- The ledger's triggers move from `products` to `stock_levels` (app.models.stock_level says what
  each one does): `products_record_movement` and its two triggers give way to
  `stock_levels_record_movement`, `products_move_stock`, `products_place_initial_stock` and
  `stock_levels_keep`.

All of it is one transaction (Alembic's, as every migration here). At 1,000,000 products and
10,000,000 movements the costly steps are a scan of the ledger for the new CHECKs and foreign
key, its new index, and one level per product with stock (bench/results/migration-0008.md).

Downgrade puts the ledger back into the shape of 0007: transfers are erased (each pair nets to
zero for its product), `quantity_after` becomes the product's running total again where a
product's movements were at more than one location, and the levels and locations go.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER_RIGHTS = "SECURITY DEFINER SET search_path = public, pg_temp"
"""Functions that write what the serving role may only read run with their owner's rights."""
TRIMMED_SPACE = "E' \\t\\n\\r\\f\\x0b'"
REASONS_0007 = "'initial', 'received', 'returned', 'sold', 'damaged', 'adjustment', 'count', 'correction'"
DELTA_SIGN_0007 = (
    "(reason IN ('initial', 'received', 'returned') AND delta > 0)"
    " OR (reason IN ('sold', 'damaged') AND delta < 0)"
    " OR (reason IN ('adjustment', 'correction') AND delta <> 0)"
    " OR reason = 'count'"
)
REASONS = (
    "'initial', 'received', 'returned', 'sold', 'damaged', 'adjustment', 'count', 'correction',"
    " 'transfer_out', 'transfer_in'"
)
DELTA_SIGN = (
    "(reason IN ('initial', 'received', 'returned', 'transfer_in') AND delta > 0)"
    " OR (reason IN ('sold', 'damaged', 'transfer_out') AND delta < 0)"
    " OR (reason IN ('adjustment', 'correction') AND delta <> 0)"
    " OR reason = 'count'"
)

RECORD_MOVEMENT = f"""
CREATE FUNCTION stock_levels_record_movement() RETURNS trigger LANGUAGE plpgsql {OWNER_RIGHTS} AS $$
DECLARE
    delta integer := NEW.quantity - CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.quantity END;
    reason text := coalesce(nullif(current_setting('inventory.movement_reason', true), ''), 'correction');
    batch text := nullif(current_setting('inventory.batch_id', true), '');
    movement_id bigint;
    transfer_id bigint;
BEGIN
    IF delta = 0 AND reason <> 'count' THEN
        RETURN NULL;
    END IF;
    movement_id := nextval('stock_movements_id_seq');
    IF reason = 'transfer_out' THEN
        transfer_id := movement_id;
        PERFORM set_config('inventory.transfer_id', movement_id::text, true);
    ELSIF reason = 'transfer_in' THEN
        transfer_id := nullif(current_setting('inventory.transfer_id', true), '')::bigint;
        PERFORM set_config('inventory.transfer_id', '', true);
    END IF;
    IF batch = 'new' THEN
        batch := movement_id::text;
        PERFORM set_config('inventory.batch_id', batch, true);
    END IF;
    INSERT INTO stock_movements (id, product_id, location_id, delta, quantity_after, reason, note,
                                 transfer_id, batch_id)
    OVERRIDING SYSTEM VALUE
    VALUES (movement_id, NEW.product_id, NEW.location_id, delta, NEW.quantity, reason,
            coalesce(current_setting('inventory.movement_note', true), ''), transfer_id, batch::bigint);
    PERFORM set_config('inventory.movement_reason', '', true),
        set_config('inventory.movement_note', '', true);
    IF pg_trigger_depth() = 1 THEN  -- a statement of its own: the product's total follows the level
        UPDATE products SET quantity = quantity + delta WHERE id = NEW.product_id;
    END IF;
    RETURN NULL;
END $$
"""
MOVE_STOCK = f"""
CREATE FUNCTION products_move_stock() RETURNS trigger LANGUAGE plpgsql {OWNER_RIGHTS} AS $$
DECLARE
    quietly boolean := coalesce(current_setting('inventory.movement_reason', true), '') <> '';
    place bigint := nullif(current_setting('inventory.movement_location', true), '')::bigint;
    expected integer := nullif(current_setting('inventory.movement_expected', true), '')::integer;
    counted integer := nullif(current_setting('inventory.movement_counted', true), '')::integer;
    on_hand integer;
    delta bigint;
    refusal text;
BEGIN
    IF pg_trigger_depth() > 1 THEN  -- a level's change summed into the product: already moved
        RETURN NEW;
    END IF;
    PERFORM set_config('inventory.movement_location', '', true),
        set_config('inventory.movement_expected', '', true),
        set_config('inventory.movement_counted', '', true);
    IF place IS NULL THEN
        SELECT id INTO place FROM locations WHERE is_default;
    END IF;
    SELECT quantity INTO on_hand FROM stock_levels
    WHERE product_id = NEW.id AND location_id = place FOR UPDATE;
    IF NOT FOUND THEN
        on_hand := 0;
        IF NOT EXISTS (SELECT FROM locations WHERE id = place) THEN
            refusal := format('location %s does not exist', place);
        END IF;
    END IF;
    delta := coalesce(counted - on_hand, NEW.quantity::bigint - OLD.quantity);
    IF refusal IS NULL AND expected <> on_hand THEN
        refusal := format('location %s holds %s of product %s, not the expected %s', place, on_hand,
                          NEW.id, expected);
    ELSIF refusal IS NULL AND on_hand + delta < 0 THEN
        refusal := format('location %s holds %s of product %s: a change of %s would take it below 0',
                          place, on_hand, NEW.id, delta);
    ELSIF refusal IS NULL AND OLD.quantity + delta > 2147483647 THEN
        refusal := format('product %s would hold more than 2147483647', NEW.id);
    END IF;
    IF refusal IS NOT NULL THEN
        IF quietly THEN
            -- for the session: an autocommitted statement's own settings end with it
            PERFORM set_config('inventory.movement_refused', on_hand::text, false),
                set_config('inventory.movement_reason', '', true),
                set_config('inventory.movement_note', '', true);
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'Stock refused: %', refusal USING ERRCODE = 'check_violation',
            CONSTRAINT = 'ck_stock_levels_quantity_nonnegative', TABLE = 'stock_levels',
            HINT = 'A total set on a product changes its default location; move stock there first.';
    END IF;
    INSERT INTO stock_levels (product_id, location_id, quantity) VALUES (NEW.id, place, on_hand + delta)
    ON CONFLICT (product_id, location_id) DO UPDATE SET quantity = EXCLUDED.quantity;
    NEW.quantity := OLD.quantity + delta;
    RETURN NEW;
END $$
"""
PLACE_INITIAL_STOCK = f"""
CREATE FUNCTION products_place_initial_stock() RETURNS trigger LANGUAGE plpgsql {OWNER_RIGHTS} AS $$
BEGIN
    PERFORM set_config('inventory.movement_reason', 'initial', true);
    INSERT INTO stock_levels (product_id, location_id, quantity)
    SELECT NEW.id, id, NEW.quantity FROM locations WHERE is_default;
    RETURN NULL;
END $$
"""
KEEP_LEVELS = """
CREATE FUNCTION stock_levels_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock_levels keeps its rows: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Set the level''s quantity to 0 instead: that records the movement.';
END $$
"""
KEEP_ONE_DEFAULT = """
CREATE FUNCTION locations_keep_one_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM locations WHERE is_default) THEN
        RAISE EXCEPTION 'No default location: exactly one location must be the default'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'uq_locations_default', TABLE = 'locations',
                  HINT = 'Make another location the default in the same transaction.';
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            f"char_length(name) BETWEEN 1 AND 100 AND name = btrim(name, {TRIMMED_SPACE})",
            name="ck_locations_name_trimmed",
        ),
    )
    op.create_index("uq_locations_name_lower", "locations", [sa.text("lower(name)")], unique=True)
    op.create_index(
        "uq_locations_default",
        "locations",
        ["is_default"],
        unique=True,
        postgresql_where=sa.text("is_default"),
    )
    main = (
        op.get_bind()
        .execute(sa.text("INSERT INTO locations (name, is_default) VALUES ('Main', true) RETURNING id"))
        .scalar_one()
    )
    op.create_table(
        "stock_levels",
        sa.Column("product_id", sa.BigInteger(), sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("locations.id"), primary_key=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 0", name="ck_stock_levels_quantity_nonnegative"),
    )
    op.execute(
        "INSERT INTO stock_levels (product_id, location_id, quantity)"
        f" SELECT id, {main}, quantity FROM products WHERE quantity > 0 ORDER BY id"
    )
    op.create_index("ix_stock_levels_location_id_product_id", "stock_levels", ["location_id", "product_id"])

    # A constant default fills every existing row without rewriting the table (PostgreSQL 11+).
    op.add_column(
        "stock_movements",
        sa.Column("location_id", sa.BigInteger(), server_default=sa.text(str(main)), nullable=False),
    )
    op.alter_column("stock_movements", "location_id", server_default=None)
    op.add_column("stock_movements", sa.Column("transfer_id", sa.BigInteger(), nullable=True))
    op.add_column("stock_movements", sa.Column("batch_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(
        "stock_movements_location_id_fkey", "stock_movements", "locations", ["location_id"], ["id"]
    )
    op.drop_constraint("ck_stock_movements_reason", "stock_movements", type_="check")
    op.drop_constraint("ck_stock_movements_delta_sign", "stock_movements", type_="check")
    op.create_check_constraint("ck_stock_movements_reason", "stock_movements", f"reason IN ({REASONS})")
    op.create_check_constraint("ck_stock_movements_delta_sign", "stock_movements", DELTA_SIGN)
    op.create_check_constraint(
        "ck_stock_movements_transfer_id",
        "stock_movements",
        "(reason IN ('transfer_out', 'transfer_in')) = (transfer_id IS NOT NULL) AND transfer_id <= id",
    )
    op.create_check_constraint("ck_stock_movements_batch_id", "stock_movements", "batch_id <= id")
    op.create_index(
        "ix_stock_movements_location_id_id", "stock_movements", ["location_id", sa.text("id DESC")]
    )

    op.execute("DROP TRIGGER products_record_quantity_movement ON products")
    op.execute("DROP TRIGGER products_record_initial_movement ON products")
    op.execute("DROP FUNCTION products_record_movement()")
    for function in (RECORD_MOVEMENT, MOVE_STOCK, PLACE_INITIAL_STOCK, KEEP_LEVELS, KEEP_ONE_DEFAULT):
        op.execute(function)
    op.execute(
        "CREATE TRIGGER stock_levels_record_movement AFTER INSERT OR UPDATE OF quantity ON stock_levels"
        " FOR EACH ROW EXECUTE FUNCTION stock_levels_record_movement()"
    )
    op.execute(
        "CREATE TRIGGER stock_levels_keep BEFORE DELETE OR UPDATE OF product_id, location_id ON stock_levels"
        " FOR EACH ROW EXECUTE FUNCTION stock_levels_keep()"
    )
    op.execute(
        "CREATE TRIGGER stock_levels_keep_truncate BEFORE TRUNCATE ON stock_levels"
        " FOR EACH STATEMENT EXECUTE FUNCTION stock_levels_keep()"
    )
    op.execute(
        "CREATE TRIGGER products_move_stock BEFORE UPDATE OF quantity ON products FOR EACH ROW"
        " WHEN (OLD.quantity <> NEW.quantity"
        " OR current_setting('inventory.movement_reason', true) = 'count')"
        " EXECUTE FUNCTION products_move_stock()"
    )
    op.execute(
        "CREATE TRIGGER products_place_initial_stock AFTER INSERT ON products FOR EACH ROW"
        " WHEN (NEW.quantity > 0) EXECUTE FUNCTION products_place_initial_stock()"
    )
    op.execute(
        "CREATE TRIGGER locations_touch_updated_at BEFORE UPDATE ON locations"
        " FOR EACH ROW EXECUTE FUNCTION products_touch_updated_at()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER locations_keep_one_default AFTER UPDATE OF is_default OR DELETE"
        " ON locations DEFERRABLE INITIALLY DEFERRED"
        " FOR EACH ROW EXECUTE FUNCTION locations_keep_one_default()"
    )


def downgrade() -> None:
    for trigger, table in (
        ("locations_keep_one_default", "locations"),
        ("locations_touch_updated_at", "locations"),
        ("products_place_initial_stock", "products"),
        ("products_move_stock", "products"),
        ("stock_levels_keep_truncate", "stock_levels"),
        ("stock_levels_keep", "stock_levels"),
        ("stock_levels_record_movement", "stock_levels"),
    ):
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    for function in (
        "locations_keep_one_default",
        "stock_levels_keep",
        "products_place_initial_stock",
        "products_move_stock",
        "stock_levels_record_movement",
    ):
        op.execute(f"DROP FUNCTION {function}()")
    # The one rewrite of history there is: 0007's ledger knows one place. Its owner lifts the guard
    # for this transaction only.
    op.execute("ALTER TABLE stock_movements DISABLE TRIGGER stock_movements_append_only")
    op.execute("DELETE FROM stock_movements WHERE transfer_id IS NOT NULL")
    op.execute(
        """
        UPDATE stock_movements AS m SET quantity_after = running.total
        FROM (
            SELECT id, sum(delta) OVER (PARTITION BY product_id ORDER BY id) AS total
            FROM stock_movements
            WHERE product_id IN (
                SELECT product_id FROM stock_movements GROUP BY product_id
                HAVING count(DISTINCT location_id) > 1
            )
        ) AS running
        WHERE m.id = running.id AND m.quantity_after <> running.total
        """
    )
    op.execute("ALTER TABLE stock_movements ENABLE TRIGGER stock_movements_append_only")
    op.drop_index("ix_stock_movements_location_id_id", table_name="stock_movements")
    op.drop_constraint("ck_stock_movements_batch_id", "stock_movements", type_="check")
    op.drop_constraint("ck_stock_movements_transfer_id", "stock_movements", type_="check")
    op.drop_constraint("ck_stock_movements_delta_sign", "stock_movements", type_="check")
    op.drop_constraint("ck_stock_movements_reason", "stock_movements", type_="check")
    op.create_check_constraint("ck_stock_movements_reason", "stock_movements", f"reason IN ({REASONS_0007})")
    op.create_check_constraint("ck_stock_movements_delta_sign", "stock_movements", DELTA_SIGN_0007)
    op.drop_constraint("stock_movements_location_id_fkey", "stock_movements", type_="foreignkey")
    op.drop_column("stock_movements", "batch_id")
    op.drop_column("stock_movements", "transfer_id")
    op.drop_column("stock_movements", "location_id")
    op.drop_table("stock_levels")
    op.drop_table("locations")
    op.execute(
        f"""
        CREATE FUNCTION products_record_movement() RETURNS trigger LANGUAGE plpgsql {OWNER_RIGHTS} AS $$
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
