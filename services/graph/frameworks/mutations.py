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
from services.workflows.framework.workflow import FrameworkWorkflow

FrameworkResult = Annotated[Framework | Rejected, strawberry.union("FrameworkResult")]


@strawberry.input
class ReportAdoptionInput:
    framework_id: strawberry.ID
    status: AdoptionStatus
    explanation: str | None = strawberry.field(
        default=None, description="required for EXCEPTION: comply or explain")


async def _update(context: Context, framework_id: str, update, command) -> FrameworkResult:
    try:
        actor = await context.acting()
        framework = await context.store.frameworks.get(framework_id)
        if framework is None:
            raise Rejection(RejectionCode.NOT_FOUND, f"no framework {framework_id}")
        if framework["withdrawn"]:
            raise Rejection(RejectionCode.WRONG_PHASE, "the framework has been withdrawn")
        await context.cycles.update_framework(framework_id, update, command(actor))
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
            info.context, str(input.framework_id), FrameworkWorkflow.report_adoption,
            lambda actor: domain.ReportAdoptionInput(actor, input.status, input.explanation))

    @strawberry.mutation(description="the CIO Rijk sets a new version: adoptions start again")
    async def revise_framework(self, info: Info, framework_id: strawberry.ID, text: str
                               ) -> FrameworkResult:
        return await _update(info.context, str(framework_id), FrameworkWorkflow.revise,
                             lambda actor: domain.ReviseFrameworkInput(actor, text))

    @strawberry.mutation
    async def withdraw_framework(self, info: Info, framework_id: strawberry.ID, reason: str
                                 ) -> FrameworkResult:
        return await _update(info.context, str(framework_id), FrameworkWorkflow.withdraw,
                             lambda actor: domain.WithdrawFrameworkInput(actor, reason))
