"""Abuse limits that are ours to enforce (the GraphQL ones are Strawberry extensions in
schema.py): changes and reads per identity, what an operation may cost, and the size of a
request body or WebSocket message."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

from graphql import GraphQLError, OperationType
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from services.graph.cost import QueryTooCostly, operation_cost


class RateLimited(GraphQLError):
    def __init__(self, retry_after: int, what: str = "changes") -> None:
        super().__init__(
            f"too many {what}: try again in {retry_after} s",
            extensions={"code": "RATE_LIMITED", "retryAfter": retry_after},
        )


class RateLimiter:
    """A token bucket per identity, refilled at `per_minute`, holding at most a minute's
    worth. Kept per process: with N API replicas an identity gets N times the rate."""

    def __init__(self, per_minute: int, what: str = "changes") -> None:
        self.what = what
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}

    def spend(self, identity: str) -> None:
        now = time.monotonic()
        tokens, since = self._buckets.get(identity, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - since) * self.rate)
        if tokens < 1:
            raise RateLimited(math.ceil((1 - tokens) / self.rate), self.what)
        self._buckets[identity] = (tokens - 1, now)
        if len(self._buckets) > 100_000:  # forget the idle, never grow without bound
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}


def reader(context) -> str:
    """Whose reads are counted together: a person, or an address for anonymous callers."""
    viewer = getattr(context, "viewer", None)
    if viewer is not None and viewer.person_id:
        return f"person:{viewer.person_id}"
    return address(getattr(context, "request", None))


def address(request) -> str:
    """The caller's address, as the proxy headers middleware found it."""
    client = getattr(request, "client", None)
    return f"ip:{client.host if client else 'unknown'}"


class OperationBudget(SchemaExtension):
    """Before an operation is validated or run: reads (queries, subscriptions) within the
    caller's rate, and the operation within the maximum cost (services.graph.cost). First,
    because validation itself expands fragments: a small document of fragments spreading
    fragments would keep the validators busy for minutes."""

    def __init__(self, max_cost: int, readers: RateLimiter) -> None:
        self.max_cost = max_cost
        self.readers = readers

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            try:
                self._check(context)
            except GraphQLError as refused:
                # Strawberry skips validation and answers with these.
                context.pre_execution_errors = [refused]
        yield

    def _check(self, context) -> None:
        try:
            reading = context.operation_type != OperationType.MUTATION
        except RuntimeError:
            return  # no such operation: validation says so
        if reading:
            self.readers.spend(reader(context.context))
        try:
            cost = operation_cost(context.schema._schema, context.graphql_document,
                                  context.operation_name, context.variables)
        except RecursionError:
            cost = self.max_cost + 1  # nested beyond counting
        if cost > self.max_cost:
            raise QueryTooCostly(cost, self.max_cost)


class BodySizeLimit:
    """Answers 413 to an HTTP request whose body exceeds `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, self._capped_messages(receive, send), send)
            return
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

    def _capped_messages(self, receive: Receive, send: Send) -> Receive:
        """A WebSocket message over the cap closes the socket (1009) before it is parsed:
        the same cap as an HTTP body."""
        async def capped() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive":
                text = message.get("text") or ""
                size = len(message.get("bytes") or b"") + (
                    len(text) if len(text) > self.max_bytes
                    else len(text.encode("utf-8", "surrogatepass")))
                if size > self.max_bytes:
                    await send({"type": "websocket.close", "code": 1009,
                                "reason": "message too large"})
                    return {"type": "websocket.disconnect", "code": 1009}
            return message
        return capped

    async def _refuse(self, send: Send) -> None:
        body = b'{"errors":[{"message":"request body too large","extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}'
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
