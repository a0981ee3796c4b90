"""Framework mutations: GraphQL inputs in, `Framework | Rejected` out."""

from __future__ import annotations

from typing import Annotated

import strawberry

from services.domain import frameworks as domain
from services.domain.errors import Rejection, RejectionCode
from services.graph.context import Context, Info
from services.graph.enums import AdoptionStatus
from services.graph.errors import Rejected
from services.graph.frameworks.types import Framework
from services.store.database import FRAMEWORK_EVENTS
from services.workflows.client import CycleGone

FrameworkResult = Annotated[Framework | Rejected, strawberry.union("FrameworkResult")]


@strawberry.input
class ReportAdoptionInput:
    framework_id: strawberry.ID
    status: AdoptionStatus
    explanation: str | None = strawberry.field(
        default=None, description="required for EXCEPTION: comply or explain")


async def _update(context: Context, framework_id: str, command) -> FrameworkResult:
    """The command to the framework's workflow, whose rules decide; when it has ended, the
    domain says why."""
    try:
        actor = await context.acting()
        try:
            result = await context.cycles.change_framework(framework_id, command(actor))
            context.changed(FRAMEWORK_EVENTS, framework_id, result.seq)
        except CycleGone:
            ended = await context.store.frameworks.get(framework_id)
            if ended is None:
                raise Rejection(RejectionCode.NOT_FOUND, f"no framework {framework_id}"
                                ) from None
            raise Rejection(RejectionCode.WRONG_PHASE,
                            domain.closed_reason(ended.withdrawn, ended.adoptions)) from None
    except Rejection as rejection:
        return Rejected.of(rejection, context)
    stored = await context.store.frameworks.get(framework_id)
    assert stored is not None
    return Framework.of(stored)


@strawberry.type
class FrameworkMutation:
    @strawberry.mutation(description="the CIO of a ministry reports how it adopts a framework")
    async def report_adoption(self, info: Info, input: ReportAdoptionInput) -> FrameworkResult:
        return await _update(
            info.context, str(input.framework_id),
            lambda actor: domain.ReportAdoptionInput(actor, input.status, input.explanation))

    @strawberry.mutation(description="the CIO Rijk sets a new version: adoptions start again")
    async def revise_framework(self, info: Info, framework_id: strawberry.ID, text: str
                               ) -> FrameworkResult:
        return await _update(info.context, str(framework_id),
                             lambda actor: domain.ReviseFrameworkInput(actor, text))

    @strawberry.mutation
    async def withdraw_framework(self, info: Info, framework_id: strawberry.ID, reason: str
                                 ) -> FrameworkResult:
        return await _update(info.context, str(framework_id),
                             lambda actor: domain.WithdrawFrameworkInput(actor, reason))
