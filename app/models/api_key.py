"""The `api_keys` table: who may call the API, with which role; secrets only as SHA-256 hashes.

Mirrors alembic/versions/0005 (tests/db/test_schema_drift.py compares the two). A key is found
by the hash of the presented token (`uq_api_keys_secret_hash`); names are unique regardless of
case (`uq_api_keys_name_lower`). A revoked key keeps its row (and its name) for the record.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.core.access import Role

NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""A key's name: 1-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit."""
ROLE_CHECK = "role IN (" + ", ".join(f"'{role}'" for role in Role) + ")"


class ApiKey(SQLModel, table=True):
    """A row of `api_keys`."""

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint(f"name ~ '{NAME_PATTERN}'", name="ck_api_keys_name"),
        CheckConstraint(ROLE_CHECK, name="ck_api_keys_role"),
        CheckConstraint("octet_length(secret_hash) = 32", name="ck_api_keys_secret_hash_sha256"),
        Index("uq_api_keys_name_lower", func.lower(text("name")), unique=True),
        Index("uq_api_keys_secret_hash", "secret_hash", unique=True),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    name: str = Field(sa_type=String(64))
    role: str = Field(sa_type=Text)
    secret_hash: bytes = Field(sa_type=LargeBinary)
    created_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )
    last_used_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


API_KEYS: Table = ApiKey.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
SERVING_PRIVILEGES = {"api_keys": ("SELECT", "INSERT", "UPDATE")}
"""Create, look up, record the use of and revoke keys (a revoked key keeps its row)."""
