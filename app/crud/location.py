"""Async data access for locations: list, read, create, rename, make default, delete. No HTTP here.

Rows come back in `LOCATION_COLUMNS` order. Making a location the default is two statements in
one transaction (the old default cleared, then the new one set): the partial unique index allows
one default at a time, and the deferred trigger checks at commit that one is left; a transaction
lock (`DEFAULT_LOCK`) makes simultaneous changes of the default take turns. A location that a
movement ever named stays (the ledger's foreign key), as does the default.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Row, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.database import transaction
from app.core.exceptions import DuplicateLocationNameError, LocationInUseError, LocationNotFoundError
from app.crud.product import violated_constraint, violated_unique_index
from app.models import LOCATION_COLUMNS, LOCATION_NAME_UNIQUE_INDEX, LOCATIONS, STOCK_LEVELS, STOCK_MOVEMENTS

COLUMNS = LOCATIONS.c
LocationRow = Row[*tuple[Any, ...]]
LOCATION_ID = bindparam("location_id", type_=BigInteger)
DEFAULT_LOCK = select(func.pg_advisory_xact_lock(func.hashtext("inventory.default_location")))
"""Held until commit by whoever moves the default: the next one then sees the new default."""
FOREIGN_KEY_VIOLATION = "23503"
GET_LOCATION = select(*LOCATION_COLUMNS).where(COLUMNS.id == LOCATION_ID)


async def list_locations(*, db: AsyncConnection) -> Sequence[LocationRow]:
    return (await db.execute(select(*LOCATION_COLUMNS).order_by(COLUMNS.id))).all()


async def get_location(*, db: AsyncConnection, location_id: int) -> LocationRow:
    location = (await db.execute(GET_LOCATION, {"location_id": location_id})).one_or_none()
    if location is None:
        raise LocationNotFoundError(location_id)
    return location


async def _named(db: AsyncConnection, statement: Any, name: str) -> LocationRow | None:
    """Run an INSERT/UPDATE ... RETURNING that writes `name`; a clash becomes the 409 that names it."""
    try:
        return (await db.execute(statement)).one_or_none()
    except IntegrityError as error:
        if violated_unique_index(error) == LOCATION_NAME_UNIQUE_INDEX:
            raise DuplicateLocationNameError(name) from error
        raise


async def create_location(*, db: AsyncConnection, name: str) -> LocationRow:
    location = await _named(db, insert(LOCATIONS).values(name=name).returning(*LOCATION_COLUMNS), name)
    assert location is not None  # an INSERT ... RETURNING always returns its row
    return location


async def update_location(
    *, db: AsyncConnection, location_id: int, name: str | None, make_default: bool
) -> LocationRow:
    """Rename the location and/or make it the default (taking that from the one that was)."""
    async with transaction(db):
        if make_default:
            await db.execute(DEFAULT_LOCK)
        location = await get_location(db=db, location_id=location_id)
        if make_default and not location.is_default:
            await db.execute(update(LOCATIONS).where(COLUMNS.is_default).values(is_default=False))
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if make_default:
            changes["is_default"] = True
        if not changes:
            return location
        statement = (
            update(LOCATIONS).where(COLUMNS.id == location_id).values(changes).returning(*LOCATION_COLUMNS)
        )
        changed = await _named(db, statement, name or "")
        if changed is None:  # deleted since the read above
            raise LocationNotFoundError(location_id)
        return changed


def _with_history(location_id: int) -> LocationInUseError:
    return LocationInUseError(
        f"Location {location_id} has stock movements: its history stays, so it cannot be deleted"
    )


async def delete_location(*, db: AsyncConnection, location_id: int) -> None:
    """Delete a location that is not the default and that no movement ever named (nor a level)."""
    used = exists().where(STOCK_MOVEMENTS.c.location_id == COLUMNS.id)
    levels = exists().where(STOCK_LEVELS.c.location_id == COLUMNS.id)
    why = select(COLUMNS.is_default, used, levels).where(COLUMNS.id == location_id)
    statement = delete(LOCATIONS).where(COLUMNS.id == location_id, ~COLUMNS.is_default, ~used, ~levels)
    try:
        if (await db.execute(statement.returning(COLUMNS.id))).one_or_none() is not None:
            return
    except IntegrityError as error:  # a movement there committed between the check and the delete
        if violated_constraint(error, FOREIGN_KEY_VIOLATION) is None:
            raise
        raise _with_history(location_id) from error
    found = (await db.execute(why)).one_or_none()
    if found is None:
        raise LocationNotFoundError(location_id)
    if found.is_default:
        raise LocationInUseError(
            f"Location {location_id} is the default location: make another one the default first"
        )
    raise _with_history(location_id)
