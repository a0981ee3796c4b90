"""What an issue's workflow shows operators in the Temporal UI: who still has to act and
what its running timer will do, in the words of the procedure."""

from __future__ import annotations

from services.domain.awaiting import council_of
from services.domain.cycle import (
    OUTCOME_WORDS,
    extensions_used,
    phase_words,
    privacy_advice_missing,
    waiting_on,
)
from services.domain.dates import dutch
from services.domain.types import CycleState, DecisionRoute, Phase, Scope, VoteRule


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
    """The workflow's current details (Markdown) in the Temporal UI, in the council's
    words: phase, deadline (Amsterdam time), who has not acted yet, the decision."""
    council = council_of(state)
    scope = council.scopes[state.scope.value].nl
    phase = phase_words(council, state.phase)
    where = f"{scope} {state.ministry}" if state.ministry else scope
    lines = [f"**{state.title}** — {council.name.nl}, {where}; fase **{phase}**"]
    if state.phase_deadline:
        lines.append(f"Termijn: {dutch(state.phase_deadline)}"
                     + (" (verstreken)" if state.overdue else ""))
    waiting = waiting_on(state)
    if waiting:
        shown = ", ".join(waiting[:12]) + (f" en nog {len(waiting) - 12}"
                                           if len(waiting) > 12 else "")
        lines.append(f"Wacht op: {shown}")
    if state.decision:
        route = {DecisionRoute.CONSENSUS: "consensus", DecisionRoute.MAJORITY: "stemming",
                 DecisionRoute.MANDATE: f"mandaat {council.chair.name.nl}",
                 DecisionRoute.DEPARTMENTAL: f"besluit {council.member.name.nl}"}
        lines.append(f"Besluit: {OUTCOME_WORDS[state.decision.outcome]} "
                     f"({route[state.decision.route]})")
    return "\n\n".join(lines)
