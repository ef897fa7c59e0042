"""Async data access for products: one function per operation, no HTTP in here.

Writes commit inside the operation, so a constraint violation surfaces here (and becomes a
domain error) rather than after the response has gone out.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.models import NAME_UNIQUE_INDEX, Product
from app.schemas import ProductCreate
from app.validation import INT4_MAX

UNIQUE_VIOLATION = "23505"


class DuplicateNameError(Exception):
    """Another product already has this name (compared case-insensitively)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"A product named '{name}' already exists")
        self.name = name


class StockLevelError(Exception):
    """A stock move would take the quantity below zero or beyond the column's range."""

    def __init__(self, on_hand: int, delta: int) -> None:
        if on_hand + delta < 0:
            message = f"Not enough stock: {on_hand} on hand, cannot remove {-delta}"
        else:
            message = f"Stock would exceed the maximum of {INT4_MAX}: {on_hand} on hand, cannot add {delta}"
        super().__init__(message)
        self.on_hand = on_hand
        self.delta = delta


@dataclass(frozen=True, slots=True)
class ProductFilters:
    """The optional filters of `GET /products`; None means "no filter"."""

    q: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    max_quantity: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.q:
            # strpos matches a literal substring: % and _ are not wildcards.
            conditions.append(func.strpos(func.lower(col(Product.name)), func.lower(self.q)) > 0)
        if self.min_price is not None:
            conditions.append(col(Product.price) >= self.min_price)
        if self.max_price is not None:
            conditions.append(col(Product.price) <= self.max_price)
        if self.max_quantity is not None:
            conditions.append(col(Product.quantity) <= self.max_quantity)
        return conditions


def _is_duplicate_name(error: IntegrityError) -> bool:
    cause = error.orig.__cause__ if error.orig is not None else None
    return (
        getattr(error.orig, "sqlstate", None) == UNIQUE_VIOLATION
        and getattr(cause, "constraint_name", None) == NAME_UNIQUE_INDEX
    )


async def _write_returning(session: AsyncSession, statement: Any, name: str | None) -> Product | None:
    """Run an INSERT/UPDATE ... RETURNING, commit it, and map a name clash to DuplicateNameError."""
    try:
        product = (await session.scalars(statement)).one_or_none()
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        if name is not None and _is_duplicate_name(error):
            raise DuplicateNameError(name) from error
        raise
    return product


async def create_product(session: AsyncSession, data: ProductCreate) -> Product:
    statement = insert(Product).values(**data.model_dump()).returning(Product)
    product = await _write_returning(session, statement, data.name)
    assert product is not None  # an INSERT ... RETURNING always returns its row
    return product


async def list_products(
    session: AsyncSession, filters: ProductFilters, limit: int, offset: int
) -> tuple[Sequence[Product], int]:
    """One page of products ordered by id, and how many match the filters in all."""
    conditions = filters.conditions()
    page = select(Product).where(*conditions).order_by(col(Product.id)).limit(limit).offset(offset)
    total = select(func.count()).select_from(Product).where(*conditions)
    products = (await session.scalars(page)).all()
    count = (await session.scalar(total)) or 0
    return products, count


async def get_product(session: AsyncSession, product_id: int) -> Product | None:
    return await session.get(Product, product_id)


async def update_product(session: AsyncSession, product_id: int, changes: dict[str, Any]) -> Product | None:
    """Change only the given columns; the database trigger advances `updated_at`."""
    if not changes:
        return await get_product(session, product_id)
    statement = (
        update(Product)
        .where(col(Product.id) == product_id)
        .values(**changes)
        .returning(Product)
        .execution_options(synchronize_session=False)
    )
    return await _write_returning(session, statement, changes.get("name"))


async def delete_product(session: AsyncSession, product_id: int) -> bool:
    """True when a row was deleted, False when there was none."""
    result = await session.execute(
        delete(Product).where(col(Product.id) == product_id).returning(col(Product.id))
    )
    deleted = result.scalar_one_or_none() is not None
    await session.commit()
    return deleted


async def adjust_stock(session: AsyncSession, product_id: int, delta: int) -> Product | None:
    """Atomically add `delta` to the quantity; None if there is no such product.

    One UPDATE decides: concurrent moves serialise on the row lock, none is lost, and a move
    that would leave the quantity out of range changes nothing and raises StockLevelError.
    """
    new_quantity = cast(col(Product.quantity), BigInteger) + delta
    statement = (
        update(Product)
        .where(col(Product.id) == product_id, new_quantity.between(0, INT4_MAX))
        .values(quantity=col(Product.quantity) + delta)
        .returning(Product)
        .execution_options(synchronize_session=False)
    )
    product = await _write_returning(session, statement, None)
    if product is not None:
        return product
    on_hand = await session.scalar(select(col(Product.quantity)).where(col(Product.id) == product_id))
    if on_hand is None:
        return None
    raise StockLevelError(on_hand, delta)
