from __future__ import annotations

from typing import Any

import strawberry

from services.graph.context import Info
from services.graph.cost import MAX_PAGE
from services.graph.enums import Phase, Scope
from services.graph.errors import BadUserInput
from services.graph.issues.types import Issue, IssueConnection
from services.store.issues import decode_cursor

DEFAULT_PAGE = 20


@strawberry.input
class IssueFilter:
    phase: Phase | None = None
    scope: Scope | None = None
    ministry: strawberry.ID | None = None


async def issue_page(
    info: Info, query: dict[str, Any], first: int | None, after: str | None
) -> IssueConnection:
    first = DEFAULT_PAGE if first is None else first
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first must lie between 1 and {MAX_PAGE}")
    after_id = None
    if after is not None:
        after_id = decode_cursor(after)
        if after_id is None:
            raise BadUserInput("after is not a cursor of this connection")
    docs, has_next = await info.context.store.issues.page(query, first, after_id)
    for doc in docs:
        info.context.loaders.issue.prime(doc["_id"], doc)
    return IssueConnection.of(docs, has_next, query)


@strawberry.type
class IssueQuery:
    @strawberry.field
    async def issue(self, info: Info, id: strawberry.ID) -> Issue | None:
        doc = await info.context.loaders.issue.load(str(id))
        return Issue.of(doc) if doc else None

    @strawberry.field
    async def issues(
        self,
        info: Info,
        filter: IssueFilter | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> IssueConnection:
        query: dict[str, Any] = {}
        if filter is not None:
            if filter.phase is not None:
                query["phase"] = filter.phase.value
            if filter.scope is not None:
                query["scope"] = filter.scope.value
            if filter.ministry is not None:
                query["ministry"] = str(filter.ministry)
        return await issue_page(info, query, first, after)
