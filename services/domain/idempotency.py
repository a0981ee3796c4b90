"""Client-supplied idempotency keys: a retried request with the same key, from the same
caller, is applied once and answered as the first try was.

A key becomes a request id (a hash of caller and key, so two callers never collide). The
API sends it as the Temporal update id, which Temporal deduplicates within a run; the
cycle remembers the last few across continue-as-new, and every event it records carries
the request id, so a retry after the issue has closed is still recognised."""

from __future__ import annotations

import hashlib

from services.domain.errors import Rejection, RejectionCode

MAX_KEY_LENGTH = 128
PREFIX = "key-"
# Keyed requests a cycle remembers itself; older ones are found by their events.
REMEMBERED = 100


def request_id(person_id: str, key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise Rejection(RejectionCode.INVALID_INPUT,
                        f"an idempotency key is 1 to {MAX_KEY_LENGTH} printable characters")
    digest = hashlib.sha256(f"{person_id}\0{key}".encode()).hexdigest()
    return PREFIX + digest[:32]


def request_of(person_id: str, key: str | None) -> str | None:
    """The request id of a keyed request; None without a key."""
    return request_id(person_id, key) if key is not None else None


def is_keyed(update_id: str | None) -> bool:
    return bool(update_id) and update_id.startswith(PREFIX)  # type: ignore[union-attr]


def remember(requests: dict[str, int], request: str, seq: int) -> None:
    requests[request] = seq
    while len(requests) > REMEMBERED:
        del requests[next(iter(requests))]
