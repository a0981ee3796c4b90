"""The typed request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry

from services.graph.auth import Viewer
from services.graph.errors import Unauthenticated
from services.graph.feed import EventFeed
from services.graph.loaders import Loaders
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
    # Set by the graphql-transport-ws connection_init message.
    connection_params: dict[str, Any] | None = field(default=None)

    async def sees_deliberation(self) -> bool:
        """Advice, contributions, votes and actors: only for holders of an appointment."""
        return await self.viewer.holds_appointment()

    def require_viewer(self) -> Viewer:
        if self.viewer.person_id is None:
            raise Unauthenticated(self.viewer.refused or "a valid bearer token is required")
        return self.viewer


Info = strawberry.Info[Context, None]
