"""The `locations` table: the places that hold stock (the shop floor, the back room, a second shop).

Exactly one location is the default: `uq_locations_default` (a partial unique index) allows at
most one, and the deferred constraint trigger `locations_keep_one_default` refuses, at commit, a
transaction that leaves none (so moving the default is two statements in one transaction: clear
the old, set the new). The default is where part 1 and 2 writes that set a total put their
difference, and where a stock move that names no location happens. The migration
(alembic/versions/0008) creates `Main`, the first default; the triggers live there alone.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    String,
    Table,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from app.core.validation import LOCATION_NAME_MAX_LENGTH, LocationName
from app.models.product import TRIMMED_SPACE

LOCATION_NAME_UNIQUE_INDEX = "uq_locations_name_lower"
"""The unique index on lower(name): a violation of it means a duplicate location name."""
DEFAULT_LOCATION_INDEX = "uq_locations_default"
"""At most one default location (with the deferred trigger: exactly one)."""
FIRST_LOCATION = "Main"
"""The default location the migration creates and puts every existing product's stock in."""
TRIGGERS = {
    ("locations", "locations_touch_updated_at"): "products_touch_updated_at",
    ("locations", "locations_keep_one_default"): "locations_keep_one_default",
}
"""(table, trigger): function. `updated_at` advances on every UPDATE (the products' function,
which only sets NEW.updated_at); a transaction that leaves no default location fails at commit."""
SERVING_PRIVILEGES = {"locations": ("SELECT", "INSERT", "UPDATE", "DELETE")}
"""The service creates, renames and deletes locations; a foreign key keeps every named one."""


class LocationBase(SQLModel):
    """The field a client writes."""

    name: LocationName = Field(sa_type=String(LOCATION_NAME_MAX_LENGTH))


class Location(LocationBase, table=True):
    """A row of `locations`; `is_default` is the API's `default`."""

    __tablename__ = "locations"
    __table_args__ = (
        CheckConstraint(
            f"char_length(name) BETWEEN 1 AND {LOCATION_NAME_MAX_LENGTH}"
            f" AND name = btrim(name, {TRIMMED_SPACE})",
            name="ck_locations_name_trimmed",
        ),
        Index(LOCATION_NAME_UNIQUE_INDEX, func.lower(text("name")), unique=True),
        Index(DEFAULT_LOCATION_INDEX, "is_default", unique=True, postgresql_where=text("is_default")),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    is_default: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    updated_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


LOCATIONS: Table = Location.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
LOCATION_COLUMNS = tuple(
    LOCATIONS.c[name] for name in ("id", "name", "is_default", "created_at", "updated_at")
)
"""A location's columns in the order the API writes them (`is_default` as `default`)."""
