"""Abuse limits that are ours to enforce (the GraphQL ones are Strawberry extensions in
schema.py): mutations per identity, and the size of a request body."""

from __future__ import annotations

import math
import time

from graphql import GraphQLError
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RateLimited(GraphQLError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many changes: try again in {retry_after} s",
            extensions={"code": "RATE_LIMITED", "retryAfter": retry_after},
        )


class MutationRateLimiter:
    """A token bucket per identity, refilled at `per_minute`, holding at most a minute's
    worth. Kept per process: with N API replicas an identity gets N times the rate."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}

    def spend(self, identity: str) -> None:
        now = time.monotonic()
        tokens, since = self._buckets.get(identity, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - since) * self.rate)
        if tokens < 1:
            raise RateLimited(math.ceil((1 - tokens) / self.rate))
        self._buckets[identity] = (tokens - 1, now)
        if len(self._buckets) > 100_000:  # forget the idle, never grow without bound
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}


class BodySizeLimit:
    """Answers 413 to an HTTP request whose body exceeds `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = b'{"errors":[{"message":"request body too large","extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}'
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
