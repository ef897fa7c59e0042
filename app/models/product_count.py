"""`product_count_shards`: the exact number of products, kept by triggers, read without a scan.

The unfiltered `X-Total-Count` is the sum of the shards' `row_count`. Statement-level triggers on
`products` add the rows each INSERT made and subtract the rows each DELETE removed (from the
statement's transition table: one UPDATE per statement, however many rows), in the same
transaction as the change, so the sum is exact in every snapshot; TRUNCATE sets every shard to 0.
A statement updates the shard `pg_backend_pid() % 16` (of 16), so concurrent inserts on different
connections lock different rows instead of queueing on one. One shard may go below zero (rows
inserted on one connection, deleted on another); the sum never does. Plain SQL keeps it exact
too: the triggers run for every statement but those of a replication apply
(`session_replication_role = replica`).

Also here: the trigram index that serves `q` (`name ILIKE '%text%'`), created only where the
server has the `pg_trgm` extension and the role may create it (a trusted extension since
PostgreSQL 13: the database owner may). Without it `q` is a sequential scan, with the same answers.
Both mirror alembic/versions/0004 (tests/db/test_schema_drift.py compares them).
"""

from sqlalchemy import DDL, BigInteger, CheckConstraint, Column, SmallInteger, Table, event
from sqlmodel import Field, SQLModel

NAME_TRIGRAM_INDEX = "ix_products_name_trgm"
"""The GIN trigram index on products.name, present only where pg_trgm is (alembic check skips it)."""


class ProductCountShard(SQLModel, table=True):
    """One shard of the product count: the sum over all shards is `SELECT count(*) FROM products`."""

    __tablename__ = "product_count_shards"
    __table_args__ = (CheckConstraint("shard >= 0 AND shard < 16", name="ck_product_count_shards_shard"),)

    shard: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    row_count: int = Field(sa_column=Column(BigInteger, nullable=False))


PRODUCT_COUNT_SHARDS: Table = ProductCountShard.__table__  # type: ignore[attr-defined]

COUNT_ROWS = (
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
    """,
    "CREATE TRIGGER products_count_inserts AFTER INSERT ON products "
    "REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION products_count_rows()",
    "CREATE TRIGGER products_count_deletes AFTER DELETE ON products "
    "REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION products_count_rows()",
    "CREATE TRIGGER products_count_truncate AFTER TRUNCATE ON products "
    "FOR EACH STATEMENT EXECUTE FUNCTION products_count_rows()",
    "INSERT INTO product_count_shards (shard, row_count) "
    "SELECT shard, CASE WHEN shard = 0 THEN (SELECT count(*) FROM products) ELSE 0 END "
    "FROM generate_series(0, 15) AS shard",
)
"""The counting trigger and the shards' first rows (the count of what is already there)."""

NAME_TRIGRAM = """
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
"""Create pg_trgm and the trigram index where possible; elsewhere do nothing (and say so)."""

for statement in (*COUNT_ROWS, NAME_TRIGRAM):  # after every table: the trigger is on `products`
    ddl = DDL(statement.replace("%", "%%"))  # type: ignore[no-untyped-call]  # DDL formats with %
    event.listen(SQLModel.metadata, "after_create", ddl)
