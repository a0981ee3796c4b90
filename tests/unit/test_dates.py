"""Amsterdam time without a tz database (workflow code reads no files): the same offsets
as zoneinfo's Europe/Amsterdam across three decades of clock changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from services.domain.dates import amsterdam, dutch

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_every_moment_has_amsterdams_offset():
    moment = datetime(1996, 1, 1, tzinfo=timezone.utc)
    while moment.year < 2040:
        assert amsterdam(moment).utcoffset() == moment.astimezone(AMSTERDAM).utcoffset(), moment
        moment += timedelta(minutes=3613)  # not a divisor of a day: every hour gets visited


def test_the_clock_changes_at_one_in_the_night_utc():
    assert dutch(datetime(2026, 3, 29, 0, 59, tzinfo=timezone.utc)) == "29 maart 2026 01:59"
    assert dutch(datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc)) == "29 maart 2026 03:00"
    assert dutch(datetime(2026, 10, 25, 0, 59, tzinfo=timezone.utc)) == "25 oktober 2026 02:59"
    assert dutch(datetime(2026, 10, 25, 1, 0, tzinfo=timezone.utc)) == "25 oktober 2026 02:00"
    assert dutch(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == "1 januari 2027 00:30"
