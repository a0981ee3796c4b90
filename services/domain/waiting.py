"""What an issue's workflow shows operators in the Temporal UI: who still has to act and
what its running timer will do, in the words of the procedure."""

from __future__ import annotations

from services.domain.cycle import (
    council_of,
    extensions_used,
    privacy_advice_missing,
    waiting_on,
)
from services.domain.types import CycleState, Phase, Scope, VoteRule


def timer_summary(state: CycleState) -> str:
    """What the phase's durable timer does when it fires (Dutch, as operators speak)."""
    council = council_of(state)
    chair, member = council.chair.name.nl, council.member.code
    wide = state.scope == Scope.GOVERNMENT_WIDE
    procedure = state.procedure
    if state.reminder_at is not None:
        return "herinnering vóór de termijn → wie nog moet handelen"
    after_advice = ("beraad" if procedure.deliberation_window_seconds else "stemming")
    if state.phase == Phase.ADVICE:
        if privacy_advice_missing(state):
            return ("adviestermijn sluit → verlenging (privacyadvies ontbreekt)"
                    if extensions_used(state) < procedure.privacy_extensions else
                    "verlengde adviestermijn sluit → " + (f"mandaat {chair}" if wide
                                                          else "departementaal besluit"))
        return "adviestermijn sluit → " + (after_advice if wide else "departementaal besluit")
    vote = ("consensus" if procedure.vote_rule == VoteRule.CONSENSUS
            else "besluit bij stemming")
    return {
        Phase.DELIBERATION: "beraad sluit → stemming",
        Phase.VOTING: f"stemming sluit → {vote} of mandaat {chair}",
        Phase.MANDATE: f"mandaattermijn verstrijkt → herinnering {chair}",
        Phase.DEPARTMENTAL_DECISION: f"besluittermijn verstrijkt → herinnering {member} "
                                     f"{state.ministry}",
    }.get(state.phase, "")


def details(state: CycleState) -> str:
    """The workflow's current details (Markdown) in the Temporal UI."""
    lines = [f"**{state.title}** — {state.scope.value}, phase **{state.phase.value}**"]
    if state.phase_deadline:
        lines.append(f"Deadline: {state.phase_deadline.isoformat()}"
                     + (" (overdue)" if state.overdue else ""))
    waiting = waiting_on(state)
    if waiting:
        shown = ", ".join(waiting[:12]) + (f" and {len(waiting) - 12} more"
                                           if len(waiting) > 12 else "")
        lines.append(f"Waiting on: {shown}")
    if state.decision:
        lines.append(f"Decided: {state.decision.outcome.value} by {state.decision.route.value}")
    return "\n\n".join(lines)
