from __future__ import annotations

import strawberry

from services.domain.awaiting import seat_key
from services.domain.types import Seat
from services.graph.context import Info
from services.graph.cost import MAX_PAGE
from services.graph.enums import Phase, Scope
from services.graph.errors import BadUserInput
from services.graph.issues.types import Issue, IssueConnection
from services.store.issues import IssueSelection, decode_cursor

DEFAULT_PAGE = 20


@strawberry.input
class IssueFilter:
    phase: Phase | None = None
    scope: Scope | None = None
    ministry: strawberry.ID | None = None
    council: strawberry.ID | None = None
    overdue: bool | None = strawberry.field(
        default=None, description="true: only issues past their phase's deadline")
    title_contains: str | None = strawberry.field(
        default=None, description="part of the title, in any case")
    waiting_on_me: bool | None = strawberry.field(
        default=None, description="true: only issues that wait on one of the caller's "
        "seats (advice, a vote, closing or deciding); needs a token")


async def issue_page(
    info: Info, selection: IssueSelection, first: int | None, after: str | None
) -> IssueConnection:
    first = DEFAULT_PAGE if first is None else first
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first must lie between 1 and {MAX_PAGE}")
    after_id = None
    if after is not None:
        after_id = decode_cursor(after)
        if after_id is None:
            raise BadUserInput("after is not a cursor of this connection")
    pages = info.context.pages
    if pages is not None and pages.keeps(selection, after_id):
        views, has_next = await pages.first(selection, first,
                                             info.context.loaders.issue.load_many)
    else:
        views, has_next = await info.context.store.issues.page(selection, first, after_id)
    for view in views:
        info.context.loaders.issue.prime(view.id, view)
    return IssueConnection.of(views, has_next, selection)


async def my_seats(info: Info) -> list[str]:
    """The caller's seats as the record's `waiting` keys (a deputy's in their period)."""
    info.context.require_viewer()
    actor = await info.context.viewer.actor()
    default = info.context.settings.default_council
    return [seat_key(a.council or default, Seat(a.ministry, a.role))
            for a in (actor.appointments if actor else [])]


@strawberry.type
class IssueQuery:
    @strawberry.field
    async def issue(self, info: Info, id: strawberry.ID) -> Issue | None:
        view = await info.context.loaders.issue.load(str(id))
        return Issue.of(view) if view else None

    @strawberry.field
    async def issues(
        self,
        info: Info,
        filter: IssueFilter | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> IssueConnection:
        selection = IssueSelection()
        if filter is not None:
            selection = IssueSelection(
                phase=filter.phase, scope=filter.scope,
                ministry=str(filter.ministry) if filter.ministry is not None else None,
                council=str(filter.council) if filter.council is not None else None,
                overdue=filter.overdue, title=filter.title_contains or None,
                waiting=await my_seats(info) if filter.waiting_on_me else None)
        return await issue_page(info, selection, first, after)
