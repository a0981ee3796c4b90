"""What the issue mutations do, behind the transport: find the caller in the register,
check what the API can check itself, and hand the rest to the issue's workflow. Every
refusal is a Rejection; every success answers the issue as stored after its event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from bson import ObjectId

from services.domain.commands import RaiseIssueInput
from services.domain.errors import Rejection, RejectionCode
from services.domain.idempotency import request_id
from services.domain.procedure import ProcedureOverrides, resolve_procedure
from services.domain.raising import check_raise
from services.domain.types import Actor, Scope
from services.graph.context import Context
from services.graph.errors import TryAgain
from services.store.documents import issue_document
from services.workflows.client import CycleBusy, CycleGone


async def raise_issue(
    context: Context,
    title: str,
    proposal: str,
    scope: Scope,
    ministry: str | None,
    topics: list[str],
    touches_personal_data: bool,
    binding_framework: bool,
    overrides: ProcedureOverrides | None,
    key: str | None = None,
) -> dict:
    actor = await context.acting()
    now = datetime.now(timezone.utc)
    request = request_id(actor.person_id, key) if key is not None else None
    if request is not None and (raised := await _raised_by(context, request)) is not None:
        return raised  # a resend: the first try's answer
    in_force = [m["_id"] for m in await context.store.register.ministries_in_force(now)]
    owner = check_raise(actor, scope, ministry, in_force, title, proposal, topics)
    settings = context.settings
    procedure = resolve_procedure(settings.procedure, overrides, actor, settings.bounds)
    issue_id = str(ObjectId())
    if request is not None:  # accepted: reserve the id, or join a concurrent try's
        issue_id = await context.store.issues.claim_raise(request, issue_id, now)
    command = RaiseIssueInput(
        issue_id=issue_id,
        actor=actor,
        title=title,
        proposal=proposal,
        scope=scope,
        ministry=owner,
        touches_personal_data=touches_personal_data,
        procedure=procedure,
        topics=topics,
        binding_framework=binding_framework,
        search_attributes=settings.temporal_search_attributes,
    )
    await context.cycles.raise_issue(command, request)
    return await _stored(context, command.issue_id)


async def update_issue(
    context: Context, issue_id: str, update: Any, command: Callable[[Actor], Any],
    key: str | None = None,
) -> dict:
    """Sends `update` with the command built for the caller; answers the issue as stored
    after its event. With an idempotency `key`, a retry of a change already applied is
    answered, not applied again."""
    actor = await context.acting()
    request = request_id(actor.person_id, key) if key is not None else None
    try:
        result = await context.cycles.update(issue_id, update, command(actor), request)
    except CycleBusy as err:
        raise TryAgain() from err
    except CycleGone:
        return await _ended(context, issue_id, request)
    except Rejection:
        # This very request may have been applied on a try whose answer was lost, and be
        # remembered no longer by the cycle.
        if request is None or not await context.store.issues.applied(issue_id, request):
            raise
        return await _stored(context, issue_id)
    if result.state is None:  # a keyed retry: answered from the store
        return await _stored(context, issue_id)
    return issue_document(result.state, datetime.now(timezone.utc))


async def _ended(context: Context, issue_id: str, request: str | None) -> dict:
    """No cycle runs for the issue: it does not exist, or it has closed (perhaps by this
    request on an earlier try, whose answer was lost)."""
    issue = await context.store.issues.get(issue_id)
    if issue is None:
        raise Rejection(RejectionCode.NOT_FOUND, f"no issue {issue_id}")
    if request is not None and await context.store.issues.applied(issue_id, request):
        return issue
    raise Rejection(RejectionCode.WRONG_PHASE, f"the issue is {issue['phase']}")


async def _raised_by(context: Context, request: str) -> dict | None:
    issue_id = await context.store.issues.raise_claimed(request)
    return await context.store.issues.get(issue_id) if issue_id else None


async def _stored(context: Context, issue_id: str) -> dict:
    issue = await context.store.issues.get(issue_id)
    assert issue is not None, "an update returns only after its projection is stored"
    return issue
