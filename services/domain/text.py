"""Checks of free text that every command shares."""

from __future__ import annotations

from services.domain.errors import RejectionCode, reject


def require_text(value: str | None, what: str, max_length: int) -> str:
    if value is None or not value.strip():
        raise reject(RejectionCode.INVALID_INPUT, f"{what} must not be empty")
    if len(value) > max_length:
        raise reject(RejectionCode.INVALID_INPUT, f"{what} is longer than {max_length} characters")
    return value.strip()
