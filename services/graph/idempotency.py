"""The `idempotencyKey` every mutation a client may resend takes (issues, seats)."""

from __future__ import annotations

import strawberry

IDEMPOTENCY_KEY_HELP = (
    "a key of the caller's choosing (1-128 characters, unique per request, a UUID say): a "
    "retry with the same key is applied once and answered like the first try, so a client "
    "may resend after a lost response"
)


def idempotency_key() -> str | None:
    # A field object per input type: Strawberry binds each to the class it sits in.
    return strawberry.field(default=None, description=IDEMPOTENCY_KEY_HELP)
