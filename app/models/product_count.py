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

Also named here (`NAME_TRIGRAM_INDEX`): the trigram index that serves `q` (`name ILIKE
'%text%'`), created only where the server has the `pg_trgm` extension and the role may create it
(a trusted extension since PostgreSQL 13: the database owner may). Without it `q` is a
sequential scan, with the same answers.
The table is declared here; the triggers, their function, the shards' first rows and the trigram
index live in alembic/versions/0004 alone (tests/db/test_schema_drift.py checks the trigger names).
"""

from sqlalchemy import BigInteger, CheckConstraint, Column, SmallInteger, Table
from sqlmodel import Field, SQLModel

SHARDS = 16
"""How many rows share the count (the triggers pick `pg_backend_pid() % 16`)."""
NAME_TRIGRAM_INDEX = "ix_products_name_trgm"
"""The GIN trigram index on products.name, present only where pg_trgm is (alembic check skips it)."""


class ProductCountShard(SQLModel, table=True):
    """One shard of the product count: the sum over all shards is `SELECT count(*) FROM products`."""

    __tablename__ = "product_count_shards"
    __table_args__ = (
        CheckConstraint(f"shard >= 0 AND shard < {SHARDS}", name="ck_product_count_shards_shard"),
    )

    shard: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    row_count: int = Field(sa_column=Column(BigInteger, nullable=False))


PRODUCT_COUNT_SHARDS: Table = ProductCountShard.__table__  # type: ignore[attr-defined]
TRIGGERS = {
    ("products", "products_count_inserts"): "products_count_rows",
    ("products", "products_count_deletes"): "products_count_rows",
    ("products", "products_count_truncate"): "products_count_rows",
    ("products", "products_count_archived"): "products_count_archived",
}
"""(table, trigger): function. The triggers on `products` that keep the shards: the statements'
inserts and deletes, and each product archived (or restored by SQL); they run as the functions'
owner, so the serving role only reads the shards."""
SERVING_PRIVILEGES = {"product_count_shards": ("SELECT",)}
