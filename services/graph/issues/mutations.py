"""Issue mutations: GraphQL inputs in, `Issue | Rejected` out. The rules live in the domain
and the workflow; this file only translates."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry

from services.domain import commands
from services.domain.errors import Rejection
from services.domain.procedure import ProcedureOverrides
from services.graph.context import Info
from services.graph.enums import (
    AdviceStance,
    DecisionOutcome,
    IssueKind,
    Phase,
    Scope,
    VoteChoice,
)
from services.graph.errors import Rejected
from services.graph.idempotency import IDEMPOTENCY_KEY_HELP, idempotency_key
from services.graph.issues import service
from services.graph.issues.types import Issue
from services.graph.procedure import ProcedureInput
from services.store.views import IssueView

IssueResult = Annotated[Issue | Rejected, strawberry.union("IssueResult")]

@strawberry.input
class RaiseIssueInput:
    title: str
    proposal: str
    scope: Scope
    ministry: strawberry.ID | None = strawberry.field(
        default=None,
        description="required for DEPARTMENTAL; a CIO may raise only for their own ministry",
    )
    topics: list[str] | None = strawberry.field(default_factory=list)
    touches_personal_data: bool
    binding_framework: bool | None = False
    procedure: ProcedureInput | None = strawberry.field(
        default=None,
        description="only the council's chair (the CIO Rijk) may set this; every window must "
        "lie within the council's bounds",
    )
    idempotency_key: str | None = idempotency_key()
    council: strawberry.ID | None = strawberry.field(
        default=None, description="the council that decides it; default: the deployment's "
        "default council")
    kind: IssueKind | None = strawberry.field(
        default=IssueKind.DECISION, description="PROCEDURE_CHANGE: the council's next "
        "procedure, given as `definition`; ADOPTED, it is in force from the decision")
    definition: str | None = strawberry.field(
        default=None, description="a PROCEDURE_CHANGE's proposed definition (YAML or JSON, "
        "schema/council.schema.json), validated when raised")


@strawberry.input
class SubmitAdviceInput:
    issue_id: strawberry.ID
    stance: AdviceStance
    text: str
    role: str | None = strawberry.field(
        default=None, description="an advisor's role code; needed only when the caller holds "
        "more than one advisory role"
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.input
class ContributeInput:
    issue_id: strawberry.ID
    text: str
    idempotency_key: str | None = idempotency_key()


@strawberry.input
class AmendProposalInput:
    issue_id: strawberry.ID
    proposal: str
    idempotency_key: str | None = idempotency_key()


@strawberry.input
class CastVoteInput:
    issue_id: strawberry.ID
    choice: VoteChoice
    reason: str | None = strawberry.field(default=None, description="required when choice is OBJECT")
    idempotency_key: str | None = idempotency_key()


@strawberry.input
class DecideInput:
    issue_id: strawberry.ID
    outcome: DecisionOutcome
    motivation: str
    idempotency_key: str | None = idempotency_key()


@strawberry.input
class ReclassifyInput:
    issue_id: strawberry.ID
    scope: Scope
    reason: str
    ministry: strawberry.ID | None = strawberry.field(
        default=None,
        description="the owning ministry when a government-wide issue without one becomes "
        "departmental",
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.input
class WithdrawInput:
    issue_id: strawberry.ID
    reason: str
    idempotency_key: str | None = idempotency_key()


@strawberry.input(description="a seat steps aside on one issue for a conflict of interest")
class RecuseInput:
    issue_id: strawberry.ID
    reason: str = strawberry.field(description="why (officers read it; the public sees only "
                                   "that a seat recused)")
    role: str | None = strawberry.field(
        default=None, description="which of your seats, when you hold more than one here")
    idempotency_key: str | None = idempotency_key()


async def _answer(info: Info, work: Awaitable[IssueView]) -> IssueResult:
    try:
        return Issue.of(await work)
    except Rejection as rejection:
        return Rejected.of(rejection, info.context)


def _update(info: Info, issue_id: strawberry.ID, command, key: str | None
            ) -> Awaitable[IssueView]:
    return service.update_issue(info.context, str(issue_id), command, key)


@strawberry.type
class IssueMutation:
    @strawberry.mutation
    async def raise_issue(self, info: Info, input: RaiseIssueInput) -> IssueResult:
        overrides = ProcedureOverrides(**vars(input.procedure)) if input.procedure else None
        return await _answer(
            info,
            service.raise_issue(
                info.context,
                title=input.title,
                proposal=input.proposal,
                scope=input.scope,
                ministry=str(input.ministry) if input.ministry is not None else None,
                topics=list(input.topics or []),
                touches_personal_data=input.touches_personal_data,
                binding_framework=bool(input.binding_framework),
                overrides=overrides,
                key=input.idempotency_key,
                council=str(input.council) if input.council is not None else None,
                kind=input.kind or IssueKind.DECISION,
                proposed=input.definition,
            )
        )

    @strawberry.mutation
    async def submit_advice(self, info: Info, input: SubmitAdviceInput) -> IssueResult:
        return await _answer(info, _update(
            info, input.issue_id,
            lambda actor: commands.SubmitAdviceInput(actor, input.stance, input.text, input.role),
            input.idempotency_key,
        ))

    @strawberry.mutation
    async def contribute(self, info: Info, input: ContributeInput) -> IssueResult:
        return await _answer(info, _update(
            info, input.issue_id,
            lambda actor: commands.ContributeInput(actor, input.text),
            input.idempotency_key,
        ))

    @strawberry.mutation
    async def amend_proposal(self, info: Info, input: AmendProposalInput) -> IssueResult:
        return await _answer(info, _update(
            info, input.issue_id,
            lambda actor: commands.AmendProposalInput(actor, input.proposal),
            input.idempotency_key,
        ))

    @strawberry.mutation
    async def cast_vote(self, info: Info, input: CastVoteInput) -> IssueResult:
        return await _answer(info, _update(
            info, input.issue_id,
            lambda actor: commands.CastVoteInput(actor, input.choice, input.reason),
            input.idempotency_key,
        ))

    @strawberry.mutation(
        description="the CIO Rijk ends the current ADVICE, DELIBERATION or VOTING phase now "
        "(the owning CIO may end a departmental issue's ADVICE)"
    )
    async def close_phase(
        self, info: Info, issue_id: strawberry.ID,
        idempotency_key: Annotated[str | None, strawberry.argument(
            description=IDEMPOTENCY_KEY_HELP)] = None,
        phase: Annotated[Phase | None, strawberry.argument(
            description="the phase the caller means to close; when the issue is no longer "
            "in it the answer is WRONG_PHASE and nothing changes (a double-click closes one "
            "phase, never two)")] = None,
    ) -> IssueResult:
        return await _answer(info, _update(
            info, issue_id,
            lambda actor: commands.ClosePhaseInput(actor, phase),
            idempotency_key,
        ))

    @strawberry.mutation(
        description="the CIO Rijk in MANDATE, or the owning ministry's CIO in "
        "DEPARTMENTAL_DECISION"
    )
    async def decide(self, info: Info, input: DecideInput) -> IssueResult:
        return await _answer(info, _update(
            info, input.issue_id,
            lambda actor: commands.DecideInput(actor, input.outcome, input.motivation),
            input.idempotency_key,
        ))

    @strawberry.mutation
    async def reclassify(self, info: Info, input: ReclassifyInput) -> IssueResult:
        ministry = str(input.ministry) if input.ministry is not None else None
        return await _answer(info, service.reclassify(
            info.context, str(input.issue_id), input.scope, input.reason, ministry,
            input.idempotency_key))

    @strawberry.mutation
    async def withdraw_issue(self, info: Info, input: WithdrawInput) -> IssueResult:
        return await _answer(info, _update(
            info, input.issue_id,
            lambda actor: commands.WithdrawInput(actor, input.reason),
            input.idempotency_key,
        ))

    @strawberry.mutation(
        description="a member seat (until the vote closes) or an advisory seat (while advice "
        "runs) takes no further part in the issue: its vote is withdrawn and it leaves the "
        "quorum base; it cannot be undone"
    )
    async def recuse(self, info: Info, input: RecuseInput) -> IssueResult:
        return await _answer(info, _update(
            info, input.issue_id,
            lambda actor: commands.RecuseInput(actor, input.reason, input.role),
            input.idempotency_key,
        ))
