"""Which seats an issue waits on, and who stepped aside: read by the cycle's rules, by the
record (so lists can ask what waits on a seat) and by the workflow's details."""

from __future__ import annotations

from services.domain.councils import CouncilRules
from services.domain.types import CycleState, Phase, Seat


def recused_members(state: CycleState) -> set[str]:
    """The units whose member seat recused on this issue."""
    return {r.ministry for r in state.recusals if r.member and r.ministry}


def has_recused(state: CycleState, seat: Seat) -> bool:
    return any(r.ministry == seat.ministry and r.role == seat.role for r in state.recusals)


def council_of(state: CycleState) -> CouncilRules:
    if state.council is None:
        raise ValueError(f"issue {state.issue_id} carries no council rules")
    return state.council


def waiting_seats(state: CycleState) -> list[Seat]:
    """The seats that still have to act in the current phase: advisors who have not
    advised, members who have not voted, the chair who closes or decides, the unit that
    decides a departmental issue. Recused seats are not waited for."""
    council = council_of(state)
    if state.phase == Phase.ADVICE:
        advised = {(a.ministry, a.role) for a in state.advice}
        return [s for s in state.advisory_seats
                if (s.ministry, s.role) not in advised and not has_recused(state, s)]
    if state.phase in (Phase.DELIBERATION, Phase.MANDATE):
        return [Seat(None, council.chair.code)]
    if state.phase == Phase.VOTING:
        done = {v.ministry for v in state.votes} | recused_members(state)
        return [Seat(m, council.member.code) for m in state.members if m not in done]
    if state.phase == Phase.DEPARTMENTAL_DECISION:
        return [Seat(state.ministry, council.member.code)]
    return []


def seat_key(council: str, seat: Seat) -> str:
    """A seat as one string, to find the issues waiting on it: "cio-beraad/CIO/BZK"."""
    return "/".join((council, seat.role, seat.ministry or ""))


def waiting_keys(state: CycleState) -> list[str]:
    """The record's `waiting` field; a bare state (no council) waits on nobody."""
    if state.council is None:
        return []
    return [seat_key(state.council.id, seat) for seat in waiting_seats(state)]
