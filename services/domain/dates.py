"""Moments as Dutch readers see them: Amsterdam time, Dutch month names. Computed from the
EU summer-time rule rather than a tz database, so workflow code (which may not read files)
formats dates the same way the API does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
CET = timezone(timedelta(hours=1), "CET")
CEST = timezone(timedelta(hours=2), "CEST")


def _last_sunday(year: int, month: int) -> datetime:
    """01:00 UTC on the month's last Sunday: when the EU changes its clocks."""
    last = datetime(year, month + 1, 1, 1, tzinfo=timezone.utc) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def amsterdam(moment: datetime) -> datetime:
    """The same moment on Amsterdam's clock (summer time from the last Sunday of March to
    the last Sunday of October, since 1996)."""
    utc = moment.astimezone(timezone.utc)
    summer = _last_sunday(utc.year, 3) <= utc < _last_sunday(utc.year, 10)
    return utc.astimezone(CEST if summer else CET)


def dutch(moment: datetime) -> str:
    """"1 december 2026 14:05" in Amsterdam time."""
    local = amsterdam(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"
