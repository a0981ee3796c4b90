"""What the issue mutations do, behind the transport: find the caller in the register,
check what the API can check itself, and hand the rest to the issue's workflow. Every
refusal is a Rejection; every success answers the issue as stored after its event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from services.councils.definitions import InvalidDefinition, read
from services.domain.commands import RaiseIssueInput, ReclassifyInput
from services.domain.councils import CouncilRules
from services.domain.errors import Rejection, RejectionCode
from services.domain.procedure import ProcedureOverrides, resolve_procedure
from services.domain.raising import check_procedure_change, check_raise
from services.domain.types import Actor, IssueKind, Scope
from services.graph.context import Context
from services.graph.errors import TryAgain
from services.graph.issues import keyed
from services.store.database import ISSUE_EVENTS
from services.store.views import IssueView
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
    council: str | None = None,
    kind: IssueKind = IssueKind.DECISION,
    proposed: str | None = None,
) -> IssueView:
    actor = await context.acting()
    now = datetime.now(timezone.utc)
    request = keyed.request_of(actor.person_id, key)
    if (raised := await keyed.raised_before(context, request)) is not None:
        return raised  # a resend: the first try's answer
    settings = context.settings
    definition = await context.store.councils.in_force(council or settings.default_council, now)
    if definition is None:
        raise Rejection(RejectionCode.NOT_FOUND, f"no council {council}")
    in_force = await context.store.register.units_in_force(definition, now)
    owner = check_raise(actor, definition.rules, scope, ministry, in_force, title, proposal,
                        topics)
    if binding_framework and not definition.frameworks:
        raise Rejection(RejectionCode.INVALID_INPUT,
                        f"{definition.id} sets no binding frameworks")
    if kind == IssueKind.PROCEDURE_CHANGE:
        await _check_procedure_change(context, definition.rules, proposed, scope,
                                      binding_framework)
    elif proposed is not None:
        raise Rejection(RejectionCode.INVALID_INPUT, "definition: only with PROCEDURE_CHANGE")
    procedure = resolve_procedure(settings.procedure(definition), overrides, actor,
                                  settings.bounds(definition), definition.rules)
    # Accepted: a new id, or the one a concurrent try of the same request reserved.
    issue_id = await keyed.claim_raise(context, request, context.store.issues.new_id(), now)
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
        council=definition.rules,
        kind=kind,
        definition=proposed,
    )
    await context.cycles.raise_issue(command, request)
    return await _stored(context, command.issue_id)


async def _check_procedure_change(context: Context, council: CouncilRules, text: str | None,
                                  scope: Scope, binding_framework: bool) -> None:
    """The proposed definition reads, is this council's, and its version is new."""
    if text is None:
        raise Rejection(RejectionCode.INVALID_INPUT,
                        "definition: a PROCEDURE_CHANGE proposes the council's definition")
    try:
        proposed = read(text)
    except InvalidDefinition as invalid:
        raise Rejection(RejectionCode.INVALID_INPUT, f"definition: {invalid}") from None
    check_procedure_change(council, proposed.rules, scope, binding_framework)
    if await context.store.councils.pinned(proposed.id, proposed.version) is not None:
        raise Rejection(RejectionCode.DUPLICATE,
                        f"definition: {proposed.id} version {proposed.version} exists")


async def update_issue(
    context: Context, issue_id: str, command: Callable[[Actor], Any], key: str | None = None,
) -> IssueView:
    """Sends the command built for the caller to the issue's cycle; answers the issue as
    stored after its events. With an idempotency `key`, a retry of a change already
    applied is answered, not applied again (services.graph.issues.keyed)."""
    actor = await context.acting()
    request = keyed.request_of(actor.person_id, key)
    try:
        result = await context.cycles.change(issue_id, command(actor), request)
        context.changed(ISSUE_EVENTS, issue_id, result.seq)
    except CycleBusy as err:
        raise TryAgain() from err
    except CycleGone:
        return await _ended(context, issue_id, request)
    except Rejection:
        # This very request may have been applied on a try whose answer was lost, and be
        # remembered no longer by the cycle.
        if not await keyed.answered_before(context, issue_id, request):
            raise
    return await _stored(context, issue_id)


async def reclassify(context: Context, issue_id: str, scope: Scope, reason: str,
                     ministry: str | None, key: str | None) -> IssueView:
    """With the ministries in force, so the cycle refuses one that is not before the change
    reaches its history."""
    now = datetime.now(timezone.utc)
    issue = await context.store.issues.get(issue_id)
    if issue is None:
        raise Rejection(RejectionCode.NOT_FOUND, f"no issue {issue_id}")
    council = await context.store.councils.of_issue(issue.council_id, issue.council_version)
    in_force = await context.store.register.units_in_force(council, now)
    return await update_issue(
        context, issue_id,
        lambda actor: ReclassifyInput(actor, scope, reason, ministry, in_force), key)


async def _ended(context: Context, issue_id: str, request: str | None) -> IssueView:
    """No cycle runs for the issue: it does not exist, or it has closed (perhaps by this
    request on an earlier try, whose answer was lost)."""
    issue = await context.store.issues.get(issue_id)
    if issue is None:
        raise Rejection(RejectionCode.NOT_FOUND, f"no issue {issue_id}")
    if await keyed.answered_before(context, issue_id, request):
        return issue
    raise Rejection(RejectionCode.WRONG_PHASE, f"the issue is {issue.phase.value}")


async def _stored(context: Context, issue_id: str) -> IssueView:
    issue = await context.store.issues.get(issue_id)
    assert issue is not None, "an update returns only after its record is stored"
    return issue
