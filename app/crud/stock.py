"""Async data access for the stock ledger: moves, counts and the movement lists. No HTTP here.

A move or a count is one UPDATE of the product. The trigger on `products` (app.models.
stock_movement) records its movement in the same statement, with the reason and note this
statement hands it through `set_config(..., true)` in a CTE that the UPDATE reads; the trigger
empties them after reading. When the UPDATE changes no row (refused, or no such product), the
statement that reads why also empties them, so they can never reach a later statement of an
enclosing transaction. The two writes are built once, with bound parameters (the hot path
skips building and cache-keying a statement per request).
"""

from collections.abc import Sequence
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
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.exceptions import ProductNotFoundError, StockLevelError
from app.core.filters import MovementFilter
from app.core.ledger import MovementReason
from app.core.validation import INT4_MAX
from app.crud.product import IS_LIVE
from app.models import (
    MOVEMENT_COLUMNS,
    NOTE_SETTING,
    PRODUCTS,
    READ_COLUMNS,
    REASON_SETTING,
    STOCK_MOVEMENTS,
)

PRODUCT = PRODUCTS.c
MOVEMENT = STOCK_MOVEMENTS.c
AnyRow = Row[*tuple[Any, ...]]


def _recorded(statement: Update) -> Update:
    """`statement` with the movement context (`:reason`, `:note`) set inside it, returning the
    product: a one-row CTE sets both for the trigger, local to the transaction, and an
    always-true condition reads it."""
    context = (
        select(
            func.set_config(REASON_SETTING, bindparam("reason", type_=Text), True).label("reason"),
            func.set_config(NOTE_SETTING, bindparam("note", type_=Text), True).label("note"),
        )
        .cte("movement")
        .prefix_with("MATERIALIZED")
    )
    return statement.where(select(context.c.reason).scalar_subquery().is_not(None)).returning(*READ_COLUMNS)


_DELTA = bindparam("delta", type_=Integer)
MOVE = _recorded(
    update(PRODUCTS)
    .where(
        PRODUCT.id == bindparam("product_id"),
        IS_LIVE,
        (cast(PRODUCT.quantity, BigInteger) + _DELTA).between(0, INT4_MAX),
    )
    .values(quantity=PRODUCT.quantity + _DELTA)
)
"""Add `:delta` to product `:product_id` unless that leaves the column's range."""
COUNT = _recorded(
    update(PRODUCTS)
    .where(PRODUCT.id == bindparam("product_id"), IS_LIVE)
    .values(quantity=bindparam("counted"))
)
"""Set product `:product_id`'s quantity to `:counted`."""
REFUSAL = select(
    select(PRODUCT.quantity).where(PRODUCT.id == bindparam("product_id"), IS_LIVE).scalar_subquery(),
    func.set_config(REASON_SETTING, "", True),
    func.set_config(NOTE_SETTING, "", True),
)
"""Product `:product_id`'s quantity now (NULL: no such product); empties the movement context."""


async def _on_hand_after_refusal(db: AsyncConnection, product_id: int) -> int | None:
    on_hand: int | None = (await db.execute(REFUSAL, {"product_id": product_id})).scalar_one()
    return on_hand


async def move_stock(
    *, db: AsyncConnection, product_id: int, delta: int, reason: MovementReason, note: str
) -> AnyRow:
    """Atomically add `delta` to the quantity and record the movement.

    One UPDATE decides: concurrent moves serialise on the row lock, none is lost, and a move
    that would leave the quantity out of range changes and records nothing (StockLevelError).
    """
    parameters = {"product_id": product_id, "delta": delta, "reason": reason.value, "note": note}
    product = (await db.execute(MOVE, parameters)).one_or_none()
    if product is not None:
        return product
    on_hand = await _on_hand_after_refusal(db, product_id)
    if on_hand is None:
        raise ProductNotFoundError(product_id)
    raise StockLevelError(on_hand, delta)


async def count_stock(*, db: AsyncConnection, product_id: int, counted: int, note: str) -> AnyRow:
    """Set the quantity to what was counted; the `count` movement's delta is counted - before.

    The trigger computes the delta from the row it locked, so a sale running at the same time
    is never lost in it; a count that finds the quantity unchanged records a delta of 0.
    """
    parameters = {
        "product_id": product_id,
        "counted": counted,
        "reason": MovementReason.COUNT.value,
        "note": note,
    }
    product = (await db.execute(COUNT, parameters)).one_or_none()
    if product is not None:
        return product
    await _on_hand_after_refusal(db, product_id)  # only an id that matches no product gets here
    raise ProductNotFoundError(product_id)


def _conditions(filters: MovementFilter, before_id: int | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if before_id is not None:
        conditions.append(MOVEMENT.id < before_id)
    if filters.product_id is not None:
        conditions.append(MOVEMENT.product_id == filters.product_id)
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
