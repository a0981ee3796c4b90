"""Fan-out: a subscription event is resolved once per document, variables and visibility
class (public or officer) — once per person when the document selects the caller's own
fields (`myActions`, `me`) — and that result goes to every socket of this process that
asked the same, instead of being resolved again for each socket.

The results live with the event's shared loaders (services.graph.feed), so they are
dropped with the event. The execution context is the schema's for every operation, so
what it does about memory (below) holds for queries and mutations too."""

from __future__ import annotations

import inspect
import json
import weakref
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfoHelpers, GraphQLSchema, print_ast
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from services.graph.cache import read_plan
from services.graph.shared import SharedResult
from services.graph.visibility import Internal


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    held = weakref.WeakMethod(method)
    return lambda *args, **kwargs: held()(*args, **kwargs)


class SharedEventExecution(StrawberryGraphQLCoreExecutionContext):
    per_event = False
    # What names the operation among the event's results, made once per subscription: its
    # document and variables are the same for every event it gets.
    operation_key: tuple[str, str] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core's helpers for resolvers hold the executor's own bound methods: a
        # cycle, through which each operation's context, loaders and every record it read
        # were left to the collector (~2,300 objects a list). Held weakly, they go when
        # the operation does; no resolver runs after it.
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_weakly(self.gather_async_work), track=_weakly(self.track_async_work))

    def build_per_event_executor(self, payload: Any):
        executor = super().build_per_event_executor(payload)
        executor.per_event = True
        if self.operation_key is None:
            # The coerced values only: graphql-core keeps each variable's signature beside
            # them, which cost more to encode than the frame did to send.
            variables = getattr(self.variable_values, "coerced", self.variable_values)
            self.operation_key = (self._document(),
                                  json.dumps(variables, sort_keys=True, default=str))
        executor.operation_key = self.operation_key
        return executor

    def execute_operation(self, serially: bool | None = None):
        results = getattr(self.context_value, "loaders", None)
        results = getattr(results, "resolved", None)
        if not self.per_event or results is None:
            return super().execute_operation(serially)
        return self._once(results, serially)

    async def _once(self, results: dict, serially: bool | None) -> Any:
        # Who reads is asked anew for every event: an appointment may have ended.
        key = (await self._seen_as(), *self.operation_key)
        found = results.get(key)
        if found is None:
            found = results[key] = SharedResult(self._execute(serially))
        return await found.wait()

    async def _execute(self, serially: bool | None) -> Any:
        result = StrawberryGraphQLCoreExecutionContext.execute_operation(self, serially)
        return await result if inspect.isawaitable(result) else result

    def _name(self) -> str | None:
        return self.operation.name.value if self.operation.name else None

    def _document(self) -> str:
        loc = self.operation.loc
        text = loc.source.body if loc is not None else print_ast(self.operation)
        return f"{self._name()}\n{text}"

    async def _seen_as(self) -> str:
        context = self.context_value
        loc = self.operation.loc
        plan = read_plan(loc.source.body, self._name()) if loc is not None else None
        # Without the text to read the plan from, every socket is its own.
        if plan is None or plan.per_caller or plan.kind is None:
            person = context.viewer.person_id if context.viewer.authenticated else None
            return f"person:{person}" if person else "public"
        # A document without internal fields reads the same for everyone: no need to ask
        # who the caller is (a register lookup per connection).
        if not plan.names & internal_fields(self.schema):
            return "anyone"
        return "officer" if await context.sees_deliberation() else "public"


_INTERNAL: dict[int, frozenset[str]] = {}


def internal_fields(schema: GraphQLSchema) -> frozenset[str]:
    """The names of every field guarded by `Internal`, anywhere in the schema (by name: a
    field of the same name elsewhere only costs sharing, never leaks)."""
    found = _INTERNAL.get(id(schema))
    if found is None:
        names = set()
        for graphql_type in schema.type_map.values():
            for name, field in getattr(graphql_type, "fields", {}).items():
                definition = (field.extensions or {}).get("strawberry-definition")
                if any(isinstance(e, Internal)
                       for e in getattr(definition, "extensions", None) or ()):
                    names.add(name)
        found = _INTERNAL[id(schema)] = frozenset(names)
    return found
