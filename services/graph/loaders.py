"""Per-request DataLoaders: one database round trip per kind of thing a query needs,
whatever the page size. Each answers the store's read models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.dataloader import DataLoader

from services.store.database import Store


def _by_key(fetch: Callable[[list[str]], Awaitable[dict]], empty=None) -> DataLoader:
    async def load(keys: list[str]) -> list:
        found = await fetch(list(keys))
        return [found.get(key, empty) for key in keys]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self, store: Store) -> None:
        register, issues = store.register, store.issues
        self.ministry = _by_key(register.ministries_by_code)
        self.person = _by_key(register.persons_by_id)
        self.officers_of_ministry = _by_key(register.officers_of_ministries, [])
        self.officers_of_person = _by_key(register.officers_of_persons, [])
        self.issue = _by_key(issues.by_id)
        self.timeline = _by_key(issues.timelines, [])
        self.framework = _by_key(store.frameworks.by_id)
        # An event's results per document and visibility class (services.graph.fanout):
        # used when these loaders are one event's, shared by its subscribers.
        self.resolved: dict[tuple, Any] = {}
