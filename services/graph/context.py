"""The typed request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry

from services.domain.errors import Rejection, RejectionCode
from services.domain.types import Actor
from services.graph.auth import Viewer
from services.graph.errors import Unauthenticated
from services.graph.feed import EventFeed
from services.graph.limits import RateLimiter
from services.graph.loaders import Loaders
from services.graph.observability import Metrics
from services.graph.pages import IssuePages
from services.settings import Settings
from services.store.database import Store
from services.workflows.client import CycleClient


@dataclass
class Context:
    request: Any
    response: Any
    settings: Settings
    store: Store
    cycles: CycleClient
    feed: EventFeed
    viewer: Viewer
    loaders: Loaders
    limiter: RateLimiter
    metrics: Metrics
    trace_id: str
    # First pages of issue lists kept between events; None with the read cache off.
    pages: IssuePages | None = None
    # Set by the graphql-transport-ws connection_init message.
    connection_params: dict[str, Any] | None = field(default=None)
    # Subscriptions open on this connection (a WebSocket shares one context).
    following: int = 0

    def changed(self, timeline: str, owner: str, seq: int) -> None:
        """Tells the read cache what this request's mutation changed (services.graph.cache)."""
        state = getattr(self.request, "state", None)
        if state is not None:
            state.changed = (timeline, owner, seq)

    async def sees_deliberation(self) -> bool:
        """Advice, contributions, votes and actors: only for holders of an appointment."""
        return await self.viewer.holds_appointment()

    def require_viewer(self) -> Viewer:
        if not self.viewer.authenticated:
            reason = self.viewer.refused or (
                "the token has expired" if self.viewer.person_id else None)
            raise Unauthenticated(reason or "a valid bearer token is required")
        return self.viewer

    async def acting(self) -> Actor:
        """The caller of a mutation, as the register knows them, within the rate limit."""
        viewer = self.require_viewer()
        self.limiter.spend(viewer.person_id)
        actor = await viewer.actor_now()
        if actor is None:
            raise Rejection(RejectionCode.FORBIDDEN, "you are not in the register")
        return actor


Info = strawberry.Info[Context, None]
