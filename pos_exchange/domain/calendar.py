"""The store's calendar: daily limits and the end of day follow the store's own time zone,
not UTC and not the register's clock setting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


def day_bounds(now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The store's calendar day (in its own time zone) around ``now``, in UTC."""
    local = now.astimezone(tz)
    start = datetime(local.year, local.month, local.day, tzinfo=tz)
    end = datetime.combine(start.date() + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)
