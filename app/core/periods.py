"""Calendar periods for the reports: days, weeks (from Monday) or months in an IANA time zone,
each beginning at that zone's own midnight, as the instants where they begin and end.

Pure Python (`zoneinfo`, with the `tzdata` package where the system has no zone database); the
database sums its quarter-hour summaries between these instants.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

MAX_PERIODS = 1000


class Bucket(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone name this machine knows ("Europe/Amsterdam", "UTC", ...)."""
    return frozenset(available_timezones())


def period_day(moment: datetime | date, bucket: Bucket, zone: ZoneInfo) -> date:
    """The local date on which the period holding `moment` begins (a date is taken as local)."""
    day = moment.astimezone(zone).date() if isinstance(moment, datetime) else moment
    if bucket is Bucket.WEEK:
        return day - timedelta(days=day.weekday())
    if bucket is Bucket.MONTH:
        return day.replace(day=1)
    return day


def following_day(day: date, bucket: Bucket) -> date:
    """The local date on which the period after the one beginning on `day` begins."""
    if bucket is Bucket.MONTH:
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=7 if bucket is Bucket.WEEK else 1)


def periods_between(first: date, last: date, bucket: Bucket) -> int:
    """How many periods begin on or after `first` and before `last` (both period starts)."""
    if bucket is Bucket.MONTH:
        return (last.year - first.year) * 12 + last.month - first.month
    return (last - first).days // (7 if bucket is Bucket.WEEK else 1)


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant `day` begins in `zone`, shown with the offset then in force (where midnight
    does not exist, because the clocks jump at 00:00, the day begins when they land)."""
    return datetime.combine(day, time(), zone).astimezone(UTC).astimezone(zone)


@dataclass(frozen=True, slots=True)
class Periods:
    """Consecutive periods of one kind in one zone: `bounds[i]` is where period i begins, and
    the last bound is where the last period ends."""

    bounds: tuple[datetime, ...]

    @classmethod
    def covering(
        cls, since: datetime | date, until: datetime | date, bucket: Bucket, zone: ZoneInfo
    ) -> "Periods":
        """The periods from the one holding `since` up to, not including, the one holding `until`."""
        first, last = period_day(since, bucket, zone), period_day(until, bucket, zone)
        days = [first]
        while days[-1] < last:
            days.append(following_day(days[-1], bucket))
        return cls(tuple(midnight(day, zone) for day in days))

    @property
    def starts(self) -> tuple[datetime, ...]:
        return self.bounds[:-1]

    @property
    def ends(self) -> tuple[datetime, ...]:
        return self.bounds[1:]
