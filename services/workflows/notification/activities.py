"""POSTing a notification to every webhook, signed; receivers that accepted it are not sent
it again when a retry goes to the others. Past the delivery horizon it is given up on: a
dead letter (metric `stelsel_notifications_dead`, `stelsel notifications`), until an
operator sends it again (`stelsel notifications --retry`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from services.domain.notifications import DeliverNotificationInput
from services.store.database import Store

log = logging.getLogger("stelsel.notifications")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `<timestamp>.<body>`, as receivers verify it."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


@dataclass
class Webhooks:
    urls: list[str]
    secret: str
    # How long delivery is tried before the notification becomes a dead letter.
    give_up_after: timedelta = timedelta(days=3)


class NotificationActivities:
    def __init__(self, store: Store, webhooks: Webhooks | None) -> None:
        self._store = store
        self._webhooks = webhooks

    @activity.defn(name="deliver_notification")
    async def deliver_notification(self, input: DeliverNotificationInput) -> None:
        notification = await self._store.outbox.get(input.notification_id)
        if notification is None or self._webhooks is None:
            return
        if notification.dead_at is not None:
            return  # given up on; an operator's retry starts a new delivery
        body = json.dumps({
            "id": notification.id, "kind": notification.kind,
            "subject": notification.subject, "seq": notification.seq,
            "at": notification.at.isoformat(), "summary": notification.summary,
        }, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json",
                   "X-Stelsel-Notification-Id": notification.id,
                   "X-Stelsel-Timestamp": timestamp,
                   "X-Stelsel-Signature": signature(self._webhooks.secret, timestamp, body)}
        failed = []
        async with httpx.AsyncClient(timeout=10) as http:
            for url in self._webhooks.urls:
                if url in notification.delivered_to:
                    continue  # accepted on an earlier attempt
                try:
                    response = await http.post(url, content=body, headers=headers)
                except httpx.HTTPError as err:
                    failed.append(f"{url}: {type(err).__name__}")
                    continue
                if response.is_success:
                    await self._store.outbox.delivered(notification.id, url,
                                                       datetime.now(timezone.utc))
                else:
                    failed.append(f"{url}: HTTP {response.status_code}")
        if not failed:
            return
        error = "delivery failed: " + "; ".join(failed)
        now = datetime.now(timezone.utc)
        if now - notification.trying_since >= self._webhooks.give_up_after:
            log.error("notification %s given up on after %s: %s", notification.id,
                      self._webhooks.give_up_after, failed)
            await self._store.outbox.give_up(notification.id, error, now)
            return
        log.warning("notification %s not delivered: %s", notification.id, failed)
        # Retried by Temporal with backoff; receivers that accepted are not sent again.
        raise ApplicationError(error)
