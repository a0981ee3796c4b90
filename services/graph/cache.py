"""Results of read-only GraphQL requests, kept until the next event.

Reads change only when an event happens: the feed clears the cache on every new timeline
event (from any replica or worker), and a mutation through this process clears it at once,
so its caller reads its own write. A result computed while an event arrived is not kept
(the generation check). Keys are the request body and the caller's identity, since what a
caller sees depends on who they are.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from functools import lru_cache

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse


class ResultCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.generation = 0
        self._results: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        result = self._results.get(key)
        if result is None:
            return None
        self._results.move_to_end(key)
        return result

    def put(self, key: str, result: bytes, generation: int) -> None:
        if generation != self.generation:
            return  # an event arrived meanwhile: this result may already be stale
        self._results[key] = result
        if len(self._results) > self.max_entries:
            self._results.popitem(last=False)

    def invalidate(self, *_: object) -> None:
        self.generation += 1
        self._results.clear()


@lru_cache(maxsize=512)
def operation_type(document: str, operation_name: str | None) -> OperationType | None:
    try:
        parsed = parse(document)
    except GraphQLError:
        return None
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        if operation_name is None and len(operations) == 1 or (
            operation.name and operation.name.value == operation_name
        ):
            return operation.operation
    return None


def cache_key(viewer: str, data: dict) -> str:
    canonical = json.dumps([viewer, data.get("query"), data.get("variables"),
                            data.get("operationName")], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
