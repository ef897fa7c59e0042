"""Four weeks of back-dated trade for the sample products, so that a new shop's reports and
charts are not empty: each day three till sales, every seventh day a delivery that restocks what
sold since the last one at a cost 2% above the samples' first, one return and one breakage.

Every movement goes through the ledger (app.crud.stock.move_stock, valued by PostgreSQL's rules)
and is then moved to its day, with its summary row, in the same transaction. Rewriting when a
movement happened needs the owner's connection: the ledger's append-only guard is off for those
statements only. app.cli.seed runs this on a database whose samples it has just added.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.database import transaction
from app.core.ledger import MovementReason
from app.crud.stock import move_stock
from app.models import APPEND_ONLY

DAYS = 28
TILL_PRODUCTS = (
    "Espresso cup",
    "Cappuccino mug",
    "Paper filters",
    "Coffee beans, house blend",
    "Coffee beans, Ethiopia Yirgacheffe",
    "Loose-leaf green tea",
    "Tea infuser",
    "Gift card",
    "French press",
    "Pour-over dripper",
)
"""What sells at the till (the two low-stock samples stay as they are, for the reorder view)."""
COST_SHARE = Decimal("0.55")
"""A sample's unit cost is this share of its price; each delivery costs 2% more than the last."""
QUARTER_HOUR = "date_bin('15 minutes', {at}, timestamptz '2000-01-01 00:00+00')"

MAY_REWRITE = text(
    "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class"
    " WHERE oid = 'stock_movements'::regclass"
)
"""Whether this connection may switch the ledger's guard off (only its owner may)."""
LAST_IDS = text(
    "SELECT (SELECT coalesce(max(id), 0) FROM stock_movements) AS movement,"
    " (SELECT coalesce(max(id), 0) FROM stock_value_changes) AS change"
)
GUARD_OFF = text(f"ALTER TABLE stock_movements DISABLE TRIGGER {APPEND_ONLY}")
GUARD_ON = text(f"ALTER TABLE stock_movements ENABLE TRIGGER {APPEND_ONLY}")
ALL_EARLIER = (
    text("UPDATE stock_movements SET created_at = created_at - CAST(:by AS interval)"),
    text("UPDATE stock_value_changes SET bucket = bucket - CAST(:by AS interval)"),
    text("UPDATE stock_value_buckets SET bucket = bucket - CAST(:by AS interval)"),
)
"""The whole ledger and its summaries `by` (whole days) into the past: the samples' arrival."""
RECORDED_AT = (
    text("UPDATE stock_movements SET created_at = :at WHERE id > :movement"),
    text(f"UPDATE stock_value_changes SET bucket = {QUARTER_HOUR.format(at=':at')} WHERE id > :change"),  # noqa: S608
)
"""The movements and summary rows written after the ids :movement and :change, recorded at :at."""

Move = tuple[str, int, MovementReason, Decimal | None]


def unit_cost(price: Decimal, delivery: int = 0) -> Decimal:
    """What one unit of a sample cost: `COST_SHARE` of its price, 2% more with each delivery."""
    return (price * COST_SHARE * Decimal("1.02") ** delivery).quantize(Decimal("0.0001"))


def day_of_trade(day: int, deliveries: int, unsold: dict[str, int], prices: dict[str, Decimal]) -> list[Move]:
    """The movements of the day `day` days ago; `unsold` (what sold since the last delivery) is
    restocked on every seventh day and then counts the day's sales."""
    moves: list[Move] = []
    if day % 7 == 0 and unsold:
        moves += [
            (name, sold, MovementReason.RECEIVED, unit_cost(prices[name], deliveries))
            for name, sold in unsold.items()
        ]
        unsold.clear()
    for slot in range(3):
        name, units = TILL_PRODUCTS[(day + slot * 3) % len(TILL_PRODUCTS)], 1 + (day + slot) % 2
        moves.append((name, -units, MovementReason.SOLD, None))
        unsold[name] = unsold.get(name, 0) + units
    if day == 12:
        moves.append(("Espresso cup", 1, MovementReason.RETURNED, None))
    if day == 9:
        moves.append(("Cappuccino mug", -1, MovementReason.DAMAGED, None))
    return moves


async def add_sample_history(owner: AsyncConnection, products: dict[str, tuple[int, Decimal]]) -> int:
    """Move what the ledger holds `DAYS` + 1 days back, then write the four weeks, oldest first;
    how many movements that made (0 when `owner` does not own the ledger: nothing is written).
    `products`: each sample's id and price, by name."""
    may_rewrite = (await owner.execute(MAY_REWRITE)).scalar_one()
    if not may_rewrite:
        return 0
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    async with transaction(owner):  # a real one: the engine's connections autocommit
        await owner.execute(GUARD_OFF)
        for statement in ALL_EARLIER:
            await owner.execute(statement, {"by": timedelta(days=DAYS + 1)})
        await owner.execute(GUARD_ON)
    unsold: dict[str, int] = {}
    prices = {name: price for name, (_, price) in products.items()}
    written = 0
    for day in range(DAYS, 0, -1):
        deliveries = (DAYS - day) // 7
        for hour, (name, delta, reason, cost) in enumerate(day_of_trade(day, deliveries, unsold, prices)):
            async with transaction(owner):
                ids = (await owner.execute(LAST_IDS)).one()
                note = "Delivery (sample)" if reason is MovementReason.RECEIVED else "Sample"
                await move_stock(
                    db=owner,
                    product_id=products[name][0],
                    delta=delta,
                    reason=reason,
                    note=note,
                    unit_cost=cost,
                )
                at = today - timedelta(days=day) + timedelta(hours=hour, minutes=(7 * day) % 60)
                await owner.execute(GUARD_OFF)
                for statement in RECORDED_AT:
                    await owner.execute(statement, {"at": at, "movement": ids.movement, "change": ids.change})
                await owner.execute(GUARD_ON)
            written += 1
    return written
