"""Who still has to act on an issue, and what its running timer will do: for operators
reading the Temporal UI, in the words of the procedure."""

from __future__ import annotations

from services.domain.types import CycleState, Phase, Scope


def waiting_on(state: CycleState) -> list[str]:
    advised = {(a.ministry, a.role) for a in state.advice}
    voted = {v.ministry for v in state.votes}
    if state.phase == Phase.ADVICE:
        return [f"{s.role.value} {s.ministry}" for s in state.advisory_seats
                if (s.ministry, s.role) not in advised]
    if state.phase == Phase.DELIBERATION:
        return ["CIO Rijk (closes deliberation)"]
    if state.phase == Phase.VOTING:
        return [f"CIO {m}" for m in state.members if m not in voted]
    if state.phase == Phase.MANDATE:
        return ["CIO Rijk (decides by mandate)"]
    if state.phase == Phase.DEPARTMENTAL_DECISION:
        return [f"CIO {state.ministry} (decides)"]
    return []


def timer_summary(state: CycleState) -> str:
    """What the phase's durable timer does when it fires (Dutch, as operators speak)."""
    wide = state.scope == Scope.GOVERNMENT_WIDE
    if state.reminder_at is not None:
        return "herinnering vóór de termijn → wie nog moet handelen"
    if state.phase == Phase.ADVICE:
        if state.touches_personal_data and not any(a.role.value == "CPO" for a in state.advice):
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
