"""What an issue's workflow shows operators in the Temporal UI: who still has to act and
what its running timer will do, in the words of the procedure."""

from __future__ import annotations

from services.domain.cycle import privacy_advice_missing, waiting_on
from services.domain.types import CycleState, Phase, Scope


def timer_summary(state: CycleState) -> str:
    """What the phase's durable timer does when it fires (Dutch, as operators speak)."""
    wide = state.scope == Scope.GOVERNMENT_WIDE
    if state.reminder_at is not None:
        return "herinnering vóór de termijn → wie nog moet handelen"
    if state.phase == Phase.ADVICE:
        if privacy_advice_missing(state):
            return ("adviestermijn sluit → eenmalige verlenging (privacyadvies ontbreekt)"
                    if not state.advice_extended else
                    "verlengde adviestermijn sluit → " + ("mandaat CIO Rijk" if wide
                                                          else "departementaal besluit"))
        return "adviestermijn sluit → " + ("beraad" if wide else "departementaal besluit")
    return {
        Phase.DELIBERATION: "beraad sluit → stemming",
        Phase.VOTING: "stemming sluit → consensus of mandaat CIO Rijk",
        Phase.MANDATE: "mandaattermijn verstrijkt → herinnering CIO Rijk",
        Phase.DEPARTMENTAL_DECISION: f"besluittermijn verstrijkt → herinnering CIO {state.ministry}",
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
