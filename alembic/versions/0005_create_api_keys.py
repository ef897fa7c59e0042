"""Create api_keys: named keys with a role, stored as SHA-256 hashes; last use and revocation.

Written by hand, like 0001; app/models/api_key.py declares the same table (tests/db/test_schema_drift.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'", name="ck_api_keys_name"),
        sa.CheckConstraint("role IN ('read', 'write')", name="ck_api_keys_role"),
        sa.CheckConstraint("octet_length(secret_hash) = 32", name="ck_api_keys_secret_hash_sha256"),
    )
    op.create_index("uq_api_keys_name_lower", "api_keys", [sa.text("lower(name)")], unique=True)
    op.create_index("uq_api_keys_secret_hash", "api_keys", ["secret_hash"], unique=True)


def downgrade() -> None:
    op.drop_table("api_keys")
