"""Calendar periods in a time zone: where each day, week and month begins, across the changes of
the clocks, in zones whose offset is not whole hours."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.core.periods import Bucket, Periods, periods_between

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_days_begin_at_the_zones_midnight_and_last_as_long_as_the_clocks_say() -> None:
    periods = Periods.covering(date(2026, 10, 24), date(2026, 10, 27), Bucket.DAY, AMSTERDAM)
    assert [bound.isoformat() for bound in periods.bounds] == [
        "2026-10-24T00:00:00+02:00",
        "2026-10-25T00:00:00+02:00",
        "2026-10-26T00:00:00+01:00",  # the clocks went back: this Sunday had 25 hours
        "2026-10-27T00:00:00+01:00",
    ]
    lengths = [end.astimezone(UTC) - start for start, end in zip(periods.starts, periods.ends, strict=True)]
    assert lengths == [timedelta(hours=24), timedelta(hours=25), timedelta(hours=24)]


def test_an_instant_belongs_to_the_local_day_it_falls_in() -> None:
    late_in_utc = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 00:30 in Amsterdam
    periods = Periods.covering(late_in_utc, late_in_utc + timedelta(days=1), Bucket.DAY, AMSTERDAM)
    assert [start.isoformat() for start in periods.starts] == ["2026-12-07T00:00:00+01:00"]
    kathmandu = Periods.covering(
        late_in_utc, late_in_utc + timedelta(days=1), Bucket.DAY, ZoneInfo("Asia/Kathmandu")
    )
    assert kathmandu.starts[0] == datetime(2026, 12, 6, 18, 15, tzinfo=UTC)  # +05:45: a quarter-hour


def test_weeks_begin_on_monday_and_months_on_the_first() -> None:
    weeks = Periods.covering(date(2026, 12, 3), date(2026, 12, 16), Bucket.WEEK, UTC_ZONE)
    assert [start.date() for start in weeks.starts] == [date(2026, 11, 30), date(2026, 12, 7)]
    assert weeks.bounds[-1].date() == date(2026, 12, 14)
    months = Periods.covering(date(2026, 11, 15), date(2027, 2, 1), Bucket.MONTH, UTC_ZONE)
    assert [start.date() for start in months.starts] == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert periods_between(date(2026, 11, 1), date(2027, 2, 1), Bucket.MONTH) == 3


def test_a_day_whose_midnight_does_not_exist_begins_when_the_clocks_land() -> None:
    santiago = ZoneInfo("America/Santiago")  # 2022-09-11: 00:00 became 01:00
    periods = Periods.covering(date(2022, 9, 10), date(2022, 9, 12), Bucket.DAY, santiago)
    assert periods.bounds[1].isoformat() == "2022-09-11T01:00:00-03:00"
    assert periods.bounds[2].astimezone(UTC) - periods.bounds[1] == timedelta(hours=23)


UTC_ZONE = ZoneInfo("UTC")
