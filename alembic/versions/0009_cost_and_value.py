"""What the stock is worth: a moving-average cost on every movement, and summaries for the reports.

- `stock_movements` gains `unit_cost`, `value_delta` and `unit_price` (null unless `sold` or
  `returned`); `products` gains `average_cost` and `stock_value`. Constant defaults: no row is
  rewritten, every existing movement is at cost 0 and every historic sale's price is unknown.
- The ledger's functions apply the rules of app.models.stock_value (`stock_movement_value`,
  `stock_average_cost`) to every movement, whoever writes it; `products_value_initial_stock`
  values a new product's stock; `products_value_read_only` refuses a statement that sets either
  figure itself.
- `stock_value_changes` gets one row per movement (what it did to the shop's totals, in its
  quarter-hour), `stock_value_buckets` the changes folded per quarter-hour (app.tasks.fold);
  `stock_value_history` is a product's whole part in them, taken out when it is archived and put
  back when it is restored (`products_value_archived`). The buckets start from the existing
  ledger (quantities and units sold; value 0), built in one GROUP BY.

At 1,000,000 products and 10,000,000 movements the costly step is that GROUP BY over the ledger
(bench/results/migration-0009.md). Downgrade drops the columns, tables and functions and puts
0008's functions back.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER_RIGHTS = "SECURITY DEFINER SET search_path = public, pg_temp"
QUARTER_HOUR = "date_bin('15 minutes', {at}, timestamptz '2000-01-01 00:00+00')"
"""The quarter-hour an instant falls in: every time zone's midnight in use today is one's start."""
VALUE_LIMIT = "1e14"
"""NUMERIC(18,4) holds values below 10^14: a movement or a product's value beyond it is refused."""
HISTORY = f"""
    SELECT {QUARTER_HOUR.format(at="created_at")} AS bucket,
           sum((total > 0)::integer - (total - delta > 0)::integer)::integer AS products_in_stock,
           sum(delta)::bigint AS quantity, sum(value_delta) AS value,
           sum(CASE WHEN reason = 'sold' THEN -delta ELSE 0 END)::bigint AS units_sold,
           sum(CASE WHEN reason = 'sold' THEN -delta * coalesce(unit_price, 0) ELSE 0 END) AS revenue,
           sum(CASE WHEN reason = 'sold' THEN -value_delta ELSE 0 END) AS cost_of_goods
    FROM (SELECT m.*, sum(m.delta) OVER (PARTITION BY m.product_id ORDER BY m.id) AS total
          FROM stock_movements AS m {{products}}) AS ledger
    GROUP BY 1
"""
"""Each quarter-hour's totals from the movements of {products} (a JOIN or WHERE on `m`)."""
BUCKET_COLUMNS = "bucket, products_in_stock, quantity, value, units_sold, revenue, cost_of_goods"

VALUE = f"""
CREATE FUNCTION stock_movement_value(
    reason text, delta bigint, on_hand bigint, stock_value numeric, average_cost numeric, price numeric,
    OUT unit_cost numeric, OUT value_delta numeric, OUT unit_price numeric
) LANGUAGE plpgsql AS $$
BEGIN
    IF reason = 'received' THEN
        unit_cost := coalesce(nullif(current_setting('inventory.movement_unit_cost', true), '')::numeric,
                              average_cost);
        value_delta := delta * unit_cost;
    ELSE
        unit_cost := average_cost;
        value_delta := greatest(delta * unit_cost, -stock_value);  -- never more than is on hand
        IF on_hand + delta = 0 AND reason <> 'transfer_out' THEN  -- the last one takes what remained
            value_delta := -stock_value;
        END IF;
    END IF;
    IF reason IN ('sold', 'returned') THEN
        unit_price := coalesce(nullif(current_setting('inventory.movement_unit_price', true), '')::numeric,
                               price);
    END IF;
    PERFORM set_config('inventory.movement_unit_cost', '', true),
        set_config('inventory.movement_unit_price', '', true);
    IF abs(value_delta) >= {VALUE_LIMIT} OR stock_value + value_delta >= {VALUE_LIMIT} THEN
        RAISE EXCEPTION 'Stock value refused: a movement of % at % would not fit NUMERIC(18,4)',
            delta, unit_cost USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_value_fits';
    END IF;
END $$
"""
AVERAGE_COST = """
CREATE FUNCTION stock_average_cost(reason text, quantity bigint, stock_value numeric, average_cost numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN quantity > 0 AND reason NOT IN ('transfer_out', 'transfer_in')
                THEN round(stock_value / quantity, 4) ELSE average_cost END
$$
"""
RECORD_MOVEMENT = f"""
CREATE OR REPLACE FUNCTION stock_levels_record_movement() RETURNS trigger LANGUAGE plpgsql
{OWNER_RIGHTS} AS $$
<<recorder>>
DECLARE
    delta integer := NEW.quantity - CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.quantity END;
    reason text := coalesce(nullif(current_setting('inventory.movement_reason', true), ''), 'correction');
    batch text := nullif(current_setting('inventory.batch_id', true), '');
    handed text := nullif(current_setting('inventory.movement_value', true), '');
    movement_id bigint;
    transfer_id bigint;
    product products%ROWTYPE;
    cost numeric;
    value_delta numeric;
    price numeric;
    before bigint;
    live boolean;
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
    IF handed IS NOT NULL THEN  -- valued by the products' trigger that wrote this level
        PERFORM set_config('inventory.movement_value', '', true);
        cost := split_part(handed, ' ', 1)::numeric;
        value_delta := split_part(handed, ' ', 2)::numeric;
        price := nullif(split_part(handed, ' ', 3), '')::numeric;
        before := split_part(handed, ' ', 4)::bigint;
        live := split_part(handed, ' ', 5) = 't';
    ELSE  -- a statement of its own (plain SQL, the transfer route): the product follows the level
        SELECT * INTO product FROM products WHERE id = NEW.product_id FOR UPDATE;
        IF reason = 'transfer_in' THEN  -- the value the transfer_out took, back at the destination
            SELECT m.unit_cost, -m.value_delta INTO cost, value_delta FROM stock_movements AS m
            WHERE m.id = recorder.transfer_id;
        ELSE
            SELECT v.unit_cost, v.value_delta, v.unit_price INTO cost, value_delta, price
            FROM stock_movement_value(reason, delta, product.quantity, product.stock_value,
                                      product.average_cost, product.price) AS v;
        END IF;
        before := product.quantity;
        live := product.archived_at IS NULL;
        UPDATE products SET quantity = quantity + delta, stock_value = stock_value + value_delta,
            average_cost = stock_average_cost(reason, quantity + delta, stock_value + value_delta,
                                              average_cost)
        WHERE id = NEW.product_id;
    END IF;
    INSERT INTO stock_movements (id, product_id, location_id, delta, quantity_after, reason, note,
                                 transfer_id, batch_id, unit_cost, value_delta, unit_price)
    OVERRIDING SYSTEM VALUE
    VALUES (movement_id, NEW.product_id, NEW.location_id, delta, NEW.quantity, reason,
            coalesce(current_setting('inventory.movement_note', true), ''), transfer_id, batch::bigint,
            cost, value_delta, price);
    PERFORM set_config('inventory.movement_reason', '', true),
        set_config('inventory.movement_note', '', true);
    IF live THEN  -- what it did to the shop's totals (archived products are in no report)
        INSERT INTO stock_value_changes ({BUCKET_COLUMNS})
        VALUES ({QUARTER_HOUR.format(at="now()")},
                (before + delta > 0)::integer - (before > 0)::integer, delta, value_delta,
                CASE WHEN reason = 'sold' THEN -delta ELSE 0 END,
                CASE WHEN reason = 'sold' THEN -delta * price ELSE 0 END,
                CASE WHEN reason = 'sold' THEN -value_delta ELSE 0 END);
    END IF;
    RETURN NULL;
END $$
"""
MOVE_STOCK = f"""
CREATE OR REPLACE FUNCTION products_move_stock() RETURNS trigger LANGUAGE plpgsql {OWNER_RIGHTS} AS $$
DECLARE
    reason text := coalesce(nullif(current_setting('inventory.movement_reason', true), ''), 'correction');
    quietly boolean := coalesce(current_setting('inventory.movement_reason', true), '') <> '';
    place bigint := nullif(current_setting('inventory.movement_location', true), '')::bigint;
    expected integer := nullif(current_setting('inventory.movement_expected', true), '')::integer;
    counted integer := nullif(current_setting('inventory.movement_counted', true), '')::integer;
    on_hand integer;
    delta bigint;
    refusal text;
    valued record;
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
                set_config('inventory.movement_note', '', true),
                set_config('inventory.movement_unit_cost', '', true),
                set_config('inventory.movement_unit_price', '', true);
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'Stock refused: %', refusal USING ERRCODE = 'check_violation',
            CONSTRAINT = 'ck_stock_levels_quantity_nonnegative', TABLE = 'stock_levels',
            HINT = 'A total set on a product changes its default location; move stock there first.';
    END IF;
    NEW.quantity := OLD.quantity + delta;
    SELECT * INTO valued
    FROM stock_movement_value(reason, delta, OLD.quantity, OLD.stock_value, OLD.average_cost, OLD.price);
    NEW.stock_value := OLD.stock_value + valued.value_delta;
    NEW.average_cost := stock_average_cost(reason, NEW.quantity, NEW.stock_value, OLD.average_cost);
    PERFORM set_config('inventory.movement_value', concat_ws(' ', valued.unit_cost, valued.value_delta,
        coalesce(valued.unit_price::text, ''), OLD.quantity, NEW.archived_at IS NULL), true);
    INSERT INTO stock_levels (product_id, location_id, quantity) VALUES (NEW.id, place, on_hand + delta)
    ON CONFLICT (product_id, location_id) DO UPDATE SET quantity = EXCLUDED.quantity;
    RETURN NEW;
END $$
"""
VALUE_INITIAL_STOCK = f"""
CREATE FUNCTION products_value_initial_stock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    value numeric := NEW.quantity::numeric * NEW.average_cost;
BEGIN
    IF value >= {VALUE_LIMIT} THEN
        RAISE EXCEPTION 'Stock value refused: % at % would not fit NUMERIC(18,4)', NEW.quantity,
            NEW.average_cost USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_value_fits';
    END IF;
    NEW.stock_value := value;
    RETURN NEW;
END $$
"""
PLACE_INITIAL_STOCK = f"""
CREATE OR REPLACE FUNCTION products_place_initial_stock() RETURNS trigger LANGUAGE plpgsql
{OWNER_RIGHTS} AS $$
BEGIN
    PERFORM set_config('inventory.movement_reason', 'initial', true),
        set_config('inventory.movement_value',
                   concat_ws(' ', NEW.average_cost, NEW.stock_value, '', 0, NEW.archived_at IS NULL), true);
    INSERT INTO stock_levels (product_id, location_id, quantity)
    SELECT NEW.id, id, NEW.quantity FROM locations WHERE is_default;
    RETURN NULL;
END $$
"""
VALUE_READ_ONLY = """
CREATE FUNCTION products_value_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'products.average_cost and products.stock_value are kept by the ledger'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a movement (a receipt with its unit cost) instead.';
END $$
"""
VALUE_ARCHIVED = f"""
CREATE FUNCTION products_value_archived() RETURNS trigger LANGUAGE plpgsql {OWNER_RIGHTS} AS $$
DECLARE
    sign integer := CASE WHEN NEW.archived_at IS NULL THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO stock_value_changes ({BUCKET_COLUMNS})
    SELECT bucket, sign * products_in_stock, sign * quantity, sign * value, sign * units_sold,
           sign * revenue, sign * cost_of_goods
    FROM ({HISTORY.format(products="WHERE m.product_id = NEW.id")}) AS history;
    RETURN NULL;
END $$
"""

FOLD = f"""
CREATE FUNCTION stock_value_fold() RETURNS bigint LANGUAGE sql {OWNER_RIGHTS} AS $$
    WITH folded AS (DELETE FROM stock_value_changes RETURNING *),
    merged AS (
        INSERT INTO stock_value_buckets AS b ({BUCKET_COLUMNS})
        SELECT bucket, sum(products_in_stock), sum(quantity), sum(value), sum(units_sold), sum(revenue),
               sum(cost_of_goods)
        FROM folded GROUP BY bucket ORDER BY bucket
        ON CONFLICT (bucket) DO UPDATE SET
            products_in_stock = b.products_in_stock + EXCLUDED.products_in_stock,
            quantity = b.quantity + EXCLUDED.quantity, value = b.value + EXCLUDED.value,
            units_sold = b.units_sold + EXCLUDED.units_sold, revenue = b.revenue + EXCLUDED.revenue,
            cost_of_goods = b.cost_of_goods + EXCLUDED.cost_of_goods
    )
    SELECT count(*) FROM folded
$$
"""
HELPERS = (
    "stock_movement_value(text, bigint, bigint, numeric, numeric, numeric)",
    "stock_average_cost(text, bigint, numeric, numeric)",
    "stock_value_fold()",
)
"""The functions no trigger runs: the rules' two steps, and the fold (EXECUTE for the serving role)."""


def _migration_0008() -> ModuleType:
    """alembic/versions/0008_locations.py, whose functions the downgrade puts back."""
    spec = importlib.util.spec_from_file_location(
        "migration_0008", Path(__file__).with_name("0008_locations.py")
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bucket_table(name: str, *key: sa.Column[Any]) -> None:
    """A table of the shop's totals' changes per quarter-hour, with `key` as its first columns."""
    op.create_table(
        name,
        *key,
        sa.Column("products_in_stock", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Numeric(), nullable=False),
        sa.Column("units_sold", sa.BigInteger(), nullable=False),
        sa.Column("revenue", sa.Numeric(), nullable=False),
        sa.Column("cost_of_goods", sa.Numeric(), nullable=False),
    )


def upgrade() -> None:
    op.add_column(
        "stock_movements",
        sa.Column("unit_cost", sa.Numeric(14, 4), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "stock_movements",
        sa.Column("value_delta", sa.Numeric(18, 4), server_default=sa.text("0"), nullable=False),
    )
    op.add_column("stock_movements", sa.Column("unit_price", sa.Numeric(12, 2), nullable=True))
    op.create_check_constraint(
        "ck_stock_movements_unit_cost_nonnegative", "stock_movements", "unit_cost >= 0"
    )
    op.create_check_constraint(
        "ck_stock_movements_unit_price",
        "stock_movements",
        "unit_price >= 0 AND reason IN ('returned', 'sold') OR unit_price IS NULL",
    )
    op.add_column(
        "products",
        sa.Column("average_cost", sa.Numeric(14, 4), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "products",
        sa.Column("stock_value", sa.Numeric(18, 4), server_default=sa.text("0"), nullable=False),
    )
    op.create_check_constraint("ck_products_average_cost_nonnegative", "products", "average_cost >= 0")
    op.create_check_constraint("ck_products_stock_value_nonnegative", "products", "stock_value >= 0")

    _bucket_table(
        "stock_value_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
    )
    _bucket_table("stock_value_buckets", sa.Column("bucket", sa.DateTime(timezone=True), primary_key=True))
    op.execute(
        f"INSERT INTO stock_value_buckets ({BUCKET_COLUMNS})"
        + HISTORY.format(products="JOIN products AS p ON p.id = m.product_id AND p.archived_at IS NULL")
    )

    for function in (
        VALUE,
        AVERAGE_COST,
        RECORD_MOVEMENT,
        MOVE_STOCK,
        VALUE_INITIAL_STOCK,
        PLACE_INITIAL_STOCK,
        VALUE_READ_ONLY,
        VALUE_ARCHIVED,
        FOLD,
    ):
        op.execute(function)
    for function in HELPERS:  # alembic/env.py grants the fold to the serving role
        op.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER products_value_initial_stock BEFORE INSERT ON products"
        " FOR EACH ROW EXECUTE FUNCTION products_value_initial_stock()"
    )
    op.execute(
        "CREATE TRIGGER products_value_read_only BEFORE UPDATE OF average_cost, stock_value ON products"
        " FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION products_value_read_only()"
    )
    op.execute(
        "CREATE TRIGGER products_value_archived AFTER UPDATE OF archived_at ON products FOR EACH ROW"
        " WHEN (OLD.archived_at IS DISTINCT FROM NEW.archived_at) EXECUTE FUNCTION products_value_archived()"
    )


def downgrade() -> None:
    for trigger in ("products_value_archived", "products_value_read_only", "products_value_initial_stock"):
        op.execute(f"DROP TRIGGER {trigger} ON products")
    previous = _migration_0008()
    for function in (previous.RECORD_MOVEMENT, previous.MOVE_STOCK, previous.PLACE_INITIAL_STOCK):
        op.execute(function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    for function in (
        "products_value_archived()",
        "products_value_read_only()",
        "products_value_initial_stock()",
        *HELPERS,
    ):
        op.execute(f"DROP FUNCTION {function}")
    op.drop_table("stock_value_buckets")
    op.drop_table("stock_value_changes")
    op.drop_constraint("ck_products_stock_value_nonnegative", "products", type_="check")
    op.drop_constraint("ck_products_average_cost_nonnegative", "products", type_="check")
    op.drop_column("products", "stock_value")
    op.drop_column("products", "average_cost")
    op.drop_constraint("ck_stock_movements_unit_price", "stock_movements", type_="check")
    op.drop_constraint("ck_stock_movements_unit_cost_nonnegative", "stock_movements", type_="check")
    op.drop_column("stock_movements", "unit_price")
    op.drop_column("stock_movements", "value_delta")
    op.drop_column("stock_movements", "unit_cost")
