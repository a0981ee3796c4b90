"""What an actor may do with an issue now: the cycle's own checks, asked with neutral
input, so the API explains exactly what the workflow would accept."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from services.domain.commands import (
    AmendProposalInput,
    CastVoteInput,
    ClosePhaseInput,
    ContributeInput,
    DecideInput,
    ReclassifyInput,
    RecuseInput,
    SubmitAdviceInput,
    WithdrawInput,
)
from services.domain.cycle import Cycle
from services.domain.errors import Rejection, RejectionCode
from services.domain.types import Actor, AdviceStance, DecisionOutcome, Scope, VoteChoice


class IssueAction(str, Enum):
    SUBMIT_ADVICE = "SUBMIT_ADVICE"
    CONTRIBUTE = "CONTRIBUTE"
    AMEND_PROPOSAL = "AMEND_PROPOSAL"
    CAST_VOTE = "CAST_VOTE"
    CLOSE_PHASE = "CLOSE_PHASE"
    DECIDE = "DECIDE"
    RECLASSIFY = "RECLASSIFY"
    WITHDRAW = "WITHDRAW"
    RECUSE = "RECUSE"


# Refusals that depend on the text given or a precondition, not on who asks or when.
_INPUT_ONLY = (RejectionCode.INVALID_INPUT, RejectionCode.PRECONDITION_FAILED)
_PROBE = "-"


def allowed_actions(cycle: Cycle, actor: Actor) -> list[IssueAction]:
    other_scope = (
        Scope.DEPARTMENTAL if cycle.state.scope == Scope.GOVERNMENT_WIDE
        else Scope.GOVERNMENT_WIDE
    )
    probes: dict[IssueAction, Callable[[], object]] = {
        IssueAction.SUBMIT_ADVICE: lambda: cycle.check_submit_advice(
            SubmitAdviceInput(actor, AdviceStance.SUPPORT, _PROBE)),
        IssueAction.CONTRIBUTE: lambda: cycle.check_contribute(ContributeInput(actor, _PROBE)),
        IssueAction.AMEND_PROPOSAL: lambda: cycle.check_amend_proposal(
            AmendProposalInput(actor, _PROBE)),
        # An objection with a reason nobody gives: never the vote already cast.
        IssueAction.CAST_VOTE: lambda: cycle.check_cast_vote(
            CastVoteInput(actor, VoteChoice.OBJECT, "\u2063")),
        IssueAction.CLOSE_PHASE: lambda: cycle.check_close_phase(ClosePhaseInput(actor)),
        IssueAction.DECIDE: lambda: cycle.check_decide(
            DecideInput(actor, DecisionOutcome.ADOPTED, _PROBE)),
        IssueAction.RECLASSIFY: lambda: cycle.check_reclassify(
            ReclassifyInput(actor, other_scope, _PROBE, cycle.state.ministry or _PROBE)),
        IssueAction.WITHDRAW: lambda: cycle.check_withdraw(WithdrawInput(actor, _PROBE)),
        IssueAction.RECUSE: lambda: cycle.check_recuse(RecuseInput(actor, _PROBE)),
    }
    allowed = []
    for action, probe in probes.items():
        try:
            probe()
        except Rejection as rejection:
            if rejection.code not in _INPUT_ONLY:
                continue
        allowed.append(action)
    return allowed
