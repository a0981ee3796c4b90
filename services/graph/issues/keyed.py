"""Idempotency keys, the whole sequence in one place. A client may resend any mutation
with the same `idempotencyKey`; it is applied once and answered as the first try was.

1. The API makes a request id of caller and key (services.domain.idempotency.request_id):
   two callers never collide, and the id does not reveal the key.
2. raiseIssue: the first try claims the request id for a new issue id in `keyed_raises`
   (unique `_id`); every retry, concurrent ones included, gets that issue id and joins the
   workflow the first try started (update-with-start with the same update id). Claims
   expire after KEYED_RAISE_HORIZON (a TTL index): a resend later than that raises anew.
3. Every other mutation sends the request id as the Temporal update id. Temporal answers a
   repeated update id within a run; the cycle itself remembers its last 100 keyed requests
   across continue-as-new (CycleState.requests) and answers a retry without applying it.
4. Every event a keyed request causes carries its request id (IssueEvent.request, indexed):
   when the cycle no longer remembers it, or has ended (perhaps by this very request),
   `answered_before` finds it there and the API answers the issue as stored.
"""

from __future__ import annotations

from datetime import datetime

from services.domain.idempotency import request_of
from services.graph.context import Context
from services.store.views import IssueView

__all__ = ["answered_before", "claim_raise", "raised_before", "request_of"]


async def raised_before(context: Context, request: str | None) -> IssueView | None:
    """The issue an earlier try of this keyed raise created, if any."""
    if request is None:
        return None
    issue_id = await context.store.issues.raise_claimed(request)
    return await context.store.issues.get(issue_id) if issue_id else None


async def claim_raise(context: Context, request: str | None, issue_id: str, at: datetime
                      ) -> str:
    """The issue id this raise goes on with: `issue_id`, or an earlier try's."""
    if request is None:
        return issue_id
    return await context.store.issues.claim_raise(request, issue_id, at)


async def answered_before(context: Context, issue_id: str, request: str | None) -> bool:
    """Whether this keyed request was applied on an earlier try whose answer was lost."""
    return request is not None and await context.store.issues.applied(issue_id, request)
