"""The `idempotency_keys` table: the stored outcome of every write sent with an Idempotency-Key.

One row per (scope, key), written in the same transaction as the write's effect (app.api.idempotency),
so a committed effect always has its row and a row always has its effect. `scope` is the API key
that sent the request ('' without one). A row counts for `IDEMPOTENCY_TTL_HOURS` after
`created_at`; the index on `created_at` serves the purge of older rows. Mirrors the migration
alembic/versions/*_create_idempotency_keys.py.
"""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    LargeBinary,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    func,
)
from sqlmodel import Field, SQLModel

KEY_MAX_LENGTH = 255
KEY_PATTERN = "^[!-~]+$"
"""1 to 255 visible ASCII characters, '!' to '~' (the length is the column's)."""


class IdempotencyKey(SQLModel, table=True):
    """A write's request fingerprint and the answer it got."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        PrimaryKeyConstraint("scope", "key", name="pk_idempotency_keys"),
        CheckConstraint(f"key ~ '{KEY_PATTERN}'", name="ck_idempotency_keys_key_visible_ascii"),
        CheckConstraint(
            "method IN ('POST', 'PUT', 'PATCH', 'DELETE')", name="ck_idempotency_keys_method_write"
        ),
        CheckConstraint("octet_length(request_sha256) = 32", name="ck_idempotency_keys_sha256_length"),
        CheckConstraint("status BETWEEN 200 AND 599", name="ck_idempotency_keys_status_range"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )

    scope: str = Field(sa_column=Column(Text, nullable=False, server_default=""))
    key: str = Field(sa_column=Column(String(KEY_MAX_LENGTH), nullable=False))
    method: str = Field(sa_column=Column(Text, nullable=False))
    path: str = Field(sa_column=Column(Text, nullable=False))
    request_sha256: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: int = Field(sa_column=Column(SmallInteger, nullable=False))
    response_body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    location: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


IDEMPOTENCY_KEYS: Table = IdempotencyKey.__table__  # type: ignore[attr-defined]  # set on table models
SERVING_PRIVILEGES = {"idempotency_keys": ("SELECT", "INSERT", "UPDATE", "DELETE")}
"""Claim, store, replace an expired outcome, and purge expired keys."""
