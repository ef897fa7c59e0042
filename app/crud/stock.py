"""Async data access for the stock ledger: moves, counts, transfers, baskets and the movement lists.
No HTTP here.

A move or a count is one UPDATE of the product. It hands the ledger's triggers what it is (the
reason, note, location, expected level, counted level: app.models.stock_movement) through
`set_config(..., true)` in a CTE that the UPDATE reads; the trigger moves the change to that
level and records the movement, or, refusing, leaves the row as it was and hands back the level
it found. When the UPDATE changes no row, the statement that reads why also empties every
setting, so none can reach a later statement of an enclosing transaction. A transfer writes the
two levels itself, in one transaction, after locking the product; a basket locks its products in
id order, then applies its lines in the client's order, in one transaction. The writes are built
once, with bound parameters (the hot path skips building and cache-keying a statement per request).
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Row,
    Text,
    Update,
    bindparam,
    cast,
    exists,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.database import transaction
from app.core.exceptions import (
    BatchLineError,
    DomainError,
    LocationNotFoundError,
    ProductNotFoundError,
    QuantityMismatchError,
    StockLevelError,
)
from app.core.filters import MovementFilter
from app.core.ledger import MovementReason
from app.core.validation import INT4_MAX
from app.crud.batches import in_batches
from app.crud.product import IS_LIVE, value_must_fit
from app.models import (
    BATCH_SETTING,
    COUNTED_SETTING,
    EXPECTED_SETTING,
    LOCATION_SETTING,
    LOCATIONS,
    MOVEMENT_COLUMNS,
    NOTE_SETTING,
    PRODUCTS,
    READ_COLUMNS,
    REASON_SETTING,
    REFUSED_SETTING,
    STOCK_LEVELS,
    STOCK_MOVEMENTS,
    UNIT_COST_SETTING,
    UNIT_PRICE_SETTING,
)

PRODUCT = PRODUCTS.c
MOVEMENT = STOCK_MOVEMENTS.c
LEVEL = STOCK_LEVELS.c
LOCATION = LOCATIONS.c
AnyRow = Row[*tuple[Any, ...]]
MOVE_SETTINGS = {
    REASON_SETTING: "reason",
    NOTE_SETTING: "note",
    LOCATION_SETTING: "location",
    EXPECTED_SETTING: "expected",
    UNIT_COST_SETTING: "unit_cost",
    UNIT_PRICE_SETTING: "unit_price",
}
"""The settings a move hands the triggers, and the parameters that carry them ('' for none)."""
COUNT_SETTINGS = {**MOVE_SETTINGS, COUNTED_SETTING: "counted"}
"""Every setting a move or count sets for its statement."""


def _context(settings: dict[str, str]) -> ColumnElement[bool]:
    """A condition that is always true and, read first (a one-row MATERIALIZED CTE), sets
    `settings` for the triggers, local to the transaction."""
    context = (
        select(
            *(
                func.set_config(name, bindparam(parameter, type_=Text), True).label(parameter)
                for name, parameter in settings.items()
            )
        )
        .cte("movement")
        .prefix_with("MATERIALIZED")
    )
    first = next(iter(settings.values()))
    return select(context.c[first]).scalar_subquery().is_not(None)


def _recorded(statement: Update, settings: dict[str, str]) -> Update:
    """`statement` with the movement context set inside it, returning the product."""
    return statement.where(_context(settings)).returning(*READ_COLUMNS)


_DELTA = bindparam("delta", type_=Integer)
_PRODUCT_ID = bindparam("product_id", type_=BigInteger)
_ADD_DELTA = (
    update(PRODUCTS)
    .where(
        PRODUCT.id == _PRODUCT_ID,
        IS_LIVE,
        (cast(PRODUCT.quantity, BigInteger) + _DELTA).between(0, INT4_MAX),
    )
    .values(quantity=PRODUCT.quantity + _DELTA)
)
MOVE = _recorded(_ADD_DELTA, MOVE_SETTINGS)
"""Add `:delta` to product `:product_id` (at `:location`) unless that leaves the column's range."""
MOVE_LINE = _ADD_DELTA.where(_context(MOVE_SETTINGS))
"""MOVE returning nothing: a basket's lines are sent all at once (executemany, pipelined)."""
COUNT = _recorded(
    update(PRODUCTS).where(PRODUCT.id == _PRODUCT_ID, IS_LIVE).values(quantity=PRODUCT.quantity),
    COUNT_SETTINGS,
)
"""Set product `:product_id`'s level at `:location` to `:counted` (the trigger does the sum)."""
_LOCATION_ID = bindparam("location_id", type_=BigInteger)
REFUSAL = select(
    select(PRODUCT.quantity).where(PRODUCT.id == _PRODUCT_ID, IS_LIVE).scalar_subquery().label("on_hand"),
    exists().where(LOCATION.id == _LOCATION_ID).label("location_exists"),
    select(LOCATION.id).where(LOCATION.is_default).scalar_subquery().label("default_location_id"),
    func.current_setting(REFUSED_SETTING, True).label("level"),
    func.set_config(REFUSED_SETTING, "", False),  # the trigger sets it for the session
    *(func.set_config(name, "", True) for name in COUNT_SETTINGS),
)
"""Why a move or count of `:product_id` at `:location_id` changed nothing; empties the context."""


def _setting(value: object | None) -> str:
    return "" if value is None else str(value)


def _settings(
    location_id: int | None,
    expected: int | None,
    unit_cost: Decimal | None = None,
    unit_price: Decimal | None = None,
) -> dict[str, str]:
    return {
        "location": _setting(location_id),
        "expected": _setting(expected),
        "unit_cost": _setting(unit_cost),
        "unit_price": _setting(unit_price),
    }


async def _refused(
    db: AsyncConnection, product_id: int, location_id: int | None, delta: int, expected: int | None
) -> DomainError:
    """The refusal a move (or, with `delta` 0, a count) that changed nothing stands for."""
    why = (await db.execute(REFUSAL, {"product_id": product_id, "location_id": location_id})).one()
    if why.on_hand is None:
        return ProductNotFoundError(product_id)
    if location_id is not None and not why.location_exists:
        return LocationNotFoundError(location_id)
    if not why.level:  # refused by the UPDATE's own range check: the product's total
        return StockLevelError(why.on_hand, delta)
    level = int(why.level)
    place = why.default_location_id if location_id is None else location_id
    if expected is not None and expected != level:
        return QuantityMismatchError(product_id, place, expected, level)
    return StockLevelError(level, delta, "" if location_id is None else f"location {location_id}")


async def move_stock(
    *,
    db: AsyncConnection,
    product_id: int,
    delta: int,
    reason: MovementReason,
    note: str,
    location_id: int | None = None,
    expected: int | None = None,
    unit_cost: Decimal | None = None,
    unit_price: Decimal | None = None,
) -> AnyRow:
    """Atomically add `delta` to the product's level at `location_id` (None: the default
    location) and record the movement, valued by the ledger (a receipt at `unit_cost`, a sale or
    return at `unit_price`; None: the average cost, the product's price); the product after it.

    One UPDATE decides: concurrent moves serialise on the product's row lock, none is lost, and a
    move that would leave the level below zero (or the total beyond its range), or that finds a
    level other than `expected`, changes and records nothing; one whose value would not fit
    raises StockValueTooLargeError.
    """
    parameters = {
        "product_id": product_id,
        "delta": delta,
        "reason": reason.value,
        "note": note,
        **_settings(location_id, expected, unit_cost, unit_price),
    }
    with value_must_fit():
        product = (await db.execute(MOVE, parameters)).one_or_none()
    if product is not None:
        return product
    raise await _refused(db, product_id, location_id, delta, expected)


async def count_stock(
    *,
    db: AsyncConnection,
    product_id: int,
    counted: int,
    note: str,
    location_id: int | None = None,
    expected: int | None = None,
) -> AnyRow:
    """Set the level at `location_id` (None: the default) to what was counted; the `count`
    movement's delta is counted - before, computed from the locked level, so a sale running at
    the same time is never lost in it; a count that finds the level unchanged records a delta of 0.
    """
    parameters = {
        "product_id": product_id,
        "counted": str(counted),
        "reason": MovementReason.COUNT.value,
        "note": note,
        **_settings(location_id, expected),
    }
    with value_must_fit():
        product = (await db.execute(COUNT, parameters)).one_or_none()
    if product is not None:
        return product
    raise await _refused(db, product_id, location_id, 0, expected)


LEVELS = (
    select(LEVEL.location_id, LEVEL.quantity)
    .where(LEVEL.product_id == _PRODUCT_ID, LEVEL.quantity > 0)
    .order_by(LEVEL.location_id)
)
LIVE_PRODUCT = select(PRODUCT.id).where(PRODUCT.id == _PRODUCT_ID, IS_LIVE)


async def product_levels(*, db: AsyncConnection, product_id: int) -> Sequence[AnyRow]:
    """The product's levels above 0, by location id; ProductNotFoundError for no live product."""
    statement = LEVELS.where(exists(LIVE_PRODUCT))
    levels = (await db.execute(statement, {"product_id": product_id})).all()
    if not levels and (await db.execute(LIVE_PRODUCT, {"product_id": product_id})).first() is None:
        raise ProductNotFoundError(product_id)
    return levels


async def location_stock(
    *, db: AsyncConnection, location_id: int, limit: int, after_id: int | None
) -> tuple[Sequence[AnyRow], bool]:
    """One page of the live products held at the location (quantity above 0), by product id,
    after the cursor `after_id`, and whether more follow; LocationNotFoundError for none."""
    conditions = [LEVEL.location_id == location_id, LEVEL.quantity > 0]
    if after_id is not None:  # on both sides of the join, so that neither index scan starts at id 1
        conditions += [LEVEL.product_id > after_id, PRODUCT.id > after_id]
    statement = (
        select(LEVEL.product_id, LEVEL.quantity)
        .join(PRODUCTS, PRODUCT.id == LEVEL.product_id)
        .where(*conditions, IS_LIVE)
        .order_by(LEVEL.product_id)
        .limit(limit + 1)
    )
    rows = (await db.execute(statement)).all()
    if not rows and (await db.execute(select(LOCATION.id).where(LOCATION.id == location_id))).first() is None:
        raise LocationNotFoundError(location_id)
    return rows[:limit], len(rows) > limit


LEVELS_EXPORT = (
    select(LEVEL.product_id, PRODUCT.name, PRODUCT.sku, LEVEL.location_id, LOCATION.name, LEVEL.quantity)
    .join(PRODUCTS, PRODUCT.id == LEVEL.product_id)
    .join(LOCATIONS, LOCATION.id == LEVEL.location_id)
    .where(
        LEVEL.quantity > 0,
        IS_LIVE,
        tuple_(LEVEL.product_id, LEVEL.location_id)
        > tuple_(bindparam("after_product"), bindparam("after_location")),
        PRODUCT.id >= bindparam("after_product"),  # the join's other side starts there too
    )
    .order_by(LEVEL.product_id, LEVEL.location_id)
    .limit(bindparam("batch_size"))
)


def levels_in_batches(*, engine: AsyncEngine, batch_size: int) -> AsyncIterator[Sequence[AnyRow]]:
    """Every level above 0 of a live product, by product then location id, `batch_size` at a
    time (the export of `GET /stock.csv`; app.crud.batches)."""
    return in_batches(
        engine=engine,
        statement=LEVELS_EXPORT,
        parameters={"after_product": 0, "after_location": 0, "batch_size": batch_size},
        batch_size=batch_size,
        after=lambda last: {"after_product": last.product_id, "after_location": last.location_id},
    )


def _level_write(reason: MovementReason, statement: Any) -> Any:
    return statement.where(_context({REASON_SETTING: "reason_" + reason.value, NOTE_SETTING: "note"}))


_QUANTITY = bindparam("moved", type_=Integer)
_MOVED_PRODUCT = bindparam("product", type_=BigInteger)  # not `product_id`: the levels' column
TRANSFER_OUT = _level_write(
    MovementReason.TRANSFER_OUT,
    update(STOCK_LEVELS)
    .where(
        LEVEL.product_id == _MOVED_PRODUCT,
        LEVEL.location_id == bindparam("source"),
        LEVEL.quantity >= _QUANTITY,
    )
    .values(quantity=LEVEL.quantity - _QUANTITY),
).returning(LEVEL.quantity)
_arrival = pg_insert(STOCK_LEVELS).from_select(
    ["product_id", "location_id", "quantity"],
    _level_write(
        MovementReason.TRANSFER_IN,
        select(_MOVED_PRODUCT, bindparam("destination", type_=BigInteger), _QUANTITY),
    ),
)
TRANSFER_IN = _arrival.on_conflict_do_update(
    index_elements=[LEVEL.product_id, LEVEL.location_id],
    set_={"quantity": LEVEL.quantity + _arrival.excluded.quantity},
)
TRANSFER_PARTIES = select(
    select(PRODUCT.id).where(PRODUCT.id == _MOVED_PRODUCT, IS_LIVE).with_for_update().scalar_subquery(),
    exists().where(LOCATION.id == bindparam("source")),
    exists().where(LOCATION.id == bindparam("destination")),
)
"""The product, locked (so transfers and moves of it queue), and whether both locations exist."""
LEVEL_AT = select(LEVEL.quantity).where(
    LEVEL.product_id == _MOVED_PRODUCT, LEVEL.location_id == bindparam("source")
)


async def transfer_stock(
    *, db: AsyncConnection, product_id: int, source: int, destination: int, quantity: int, note: str
) -> Sequence[AnyRow]:
    """Move `quantity` from one location to another: a `transfer_out` then a `transfer_in`
    movement, one transaction, the same `transfer_id`; the product's levels after it."""
    # No `product_id` key: a key named after a column of the written table would join its SET.
    parameters = {
        "product": product_id,
        "source": source,
        "destination": destination,
        "moved": quantity,
        "note": note,
        "reason_transfer_out": MovementReason.TRANSFER_OUT.value,
        "reason_transfer_in": MovementReason.TRANSFER_IN.value,
    }
    async with transaction(db):
        product, has_source, has_destination = (await db.execute(TRANSFER_PARTIES, parameters)).one()
        if product is None:
            raise ProductNotFoundError(product_id)
        for location_id, exists_ in ((source, has_source), (destination, has_destination)):
            if not exists_:
                raise LocationNotFoundError(location_id)
        if (await db.execute(TRANSFER_OUT, parameters)).first() is None:
            on_hand = (await db.execute(LEVEL_AT, parameters)).scalar_one_or_none() or 0
            raise StockLevelError(on_hand, -quantity, f"location {source}")
        await db.execute(TRANSFER_IN, parameters)
        return (await db.execute(LEVELS, {"product_id": product_id})).all()


@dataclass(frozen=True, slots=True)
class BasketLine:
    """One line of a basket, as `move_stock` takes it."""

    product_id: int
    delta: int
    reason: MovementReason
    note: str
    location_id: int | None
    expected: int | None
    unit_cost: Decimal | None = None
    unit_price: Decimal | None = None


START_BASKET = select(func.set_config(BATCH_SETTING, "new", True)).add_columns(
    select(func.count())
    .select_from(
        select(PRODUCT.id)
        .where(PRODUCT.id.in_(bindparam("product_ids", expanding=True)))
        .order_by(PRODUCT.id)
        .with_for_update()
        .subquery()
    )
    .scalar_subquery()
)
"""Lock the basket's products in id order (so two baskets never wait on each other in a circle),
and let its first movement name the batch."""
_BATCH_ID = cast(func.nullif(func.current_setting(BATCH_SETTING, True), "new"), BigInteger)
BASKET_MOVEMENTS = (
    select(*MOVEMENT_COLUMNS)
    .where(MOVEMENT.id >= _BATCH_ID, MOVEMENT.batch_id == _BATCH_ID)
    .order_by(MOVEMENT.id)
)
"""The movements of the basket in progress, in the order its lines recorded them."""


class _LineRefusedError(Exception):
    """A line of a basket sent at once recorded nothing: the basket is undone, then sent line by line."""


def _line_parameters(line: BasketLine) -> dict[str, object]:
    return {
        "product_id": line.product_id,
        "delta": line.delta,
        "reason": line.reason.value,
        "note": line.note,
        **_settings(line.location_id, line.expected, line.unit_cost, line.unit_price),
    }


async def _all_at_once(db: AsyncConnection, lines: Sequence[BasketLine]) -> Sequence[AnyRow]:
    """The lines in one pipelined executemany; _LineRefusedError when fewer movements came of it."""
    await db.execute(MOVE_LINE, [_line_parameters(line) for line in lines])
    movements = (await db.execute(BASKET_MOVEMENTS)).all()
    if len(movements) != len(lines):
        raise _LineRefusedError
    return movements


async def _line_by_line(db: AsyncConnection, lines: Sequence[BasketLine]) -> Sequence[AnyRow]:
    """The lines one statement each, so that a refused one is known: BatchLineError names it."""
    for index, line in enumerate(lines):
        product = (await db.execute(MOVE, _line_parameters(line))).one_or_none()
        if product is None:
            refusal = await _refused(db, line.product_id, line.location_id, line.delta, line.expected)
            raise BatchLineError(index, line.product_id, refusal)
    return (await db.execute(BASKET_MOVEMENTS)).all()


async def apply_basket(*, db: AsyncConnection, lines: Sequence[BasketLine]) -> tuple[int, Sequence[AnyRow]]:
    """Apply every line, in order, or none: one transaction. The batch's id (its first
    movement's) and its movements in line order; a refused line raises BatchLineError.

    The lines go all at once; only when one of them is refused is the basket undone and sent
    again line by line, to name the line (and should nothing refuse it by then, it is applied).
    """
    product_ids = {"product_ids": sorted({line.product_id for line in lines})}
    for send in (_all_at_once, _line_by_line):
        try:
            with value_must_fit():
                async with transaction(db):
                    await db.execute(START_BASKET, product_ids)
                    movements = await send(db, lines)
                    return movements[0].batch_id, movements
        except _LineRefusedError:
            continue
    raise AssertionError("_line_by_line applies every line or raises")


def _conditions(filters: MovementFilter, before_id: int | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if before_id is not None:
        conditions.append(MOVEMENT.id < before_id)
    if filters.product_id is not None:
        conditions.append(MOVEMENT.product_id == filters.product_id)
    if filters.location_id is not None:
        conditions.append(MOVEMENT.location_id == filters.location_id)
    if filters.reason:
        conditions.append(MOVEMENT.reason.in_([reason.value for reason in filters.reason]))
    if filters.since is not None:
        conditions.append(MOVEMENT.created_at >= filters.since)
    if filters.until is not None:
        conditions.append(MOVEMENT.created_at < filters.until)
    return conditions


async def list_movements(
    *,
    db: AsyncConnection,
    filters: MovementFilter,
    limit: int,
    before_id: int | None = None,
    product_id: int | None = None,
) -> tuple[Sequence[AnyRow], bool]:
    """One page of movements, newest (largest id) first, and whether more follow it.

    With `product_id`, that product's own list: for a product that does not exist, or was
    deleted (archived), it raises ProductNotFoundError. The global list (`filters.product_id`)
    shows an archived product's movements too: the history stays.
    """
    conditions = _conditions(filters, before_id)
    if product_id is not None:  # its own list: only while the product is live (one InitPlan)
        conditions.append(MOVEMENT.product_id == product_id)
        conditions.append(exists().where(PRODUCT.id == product_id, IS_LIVE))
    statement = select(*MOVEMENT_COLUMNS).where(*conditions).order_by(MOVEMENT.id.desc()).limit(limit + 1)
    rows = (await db.execute(statement)).all()
    if not rows and product_id is not None:
        live = await db.scalar(select(PRODUCT.id).where(PRODUCT.id == product_id, IS_LIVE))
        if live is None:
            raise ProductNotFoundError(product_id)
    return rows[:limit], len(rows) > limit
