"""The permission matrix over the domain: every action × every seat × every phase.

The expected outcome is written out from DESIGN.md's procedure by hand, not derived from
the code under test. Each allowed action runs on a cycle of its own; every outcome is the
one the cycle's action gives, and `allowed_actions` (what the API offers as `myActions`)
names exactly the allowed ones. The API keeps one smoke test per mutation
(tests/graph/test_permissions.py)."""

from __future__ import annotations

import copy

import pytest

from services.domain.actions import IssueAction, allowed_actions
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
from services.domain.errors import Rejection
from services.domain.types import (
    Actor,
    AdviceStance,
    Appointment,
    DecisionOutcome,
    Phase,
    Scope,
    VoteChoice,
)
from tests.unit.builders import REGISTER, RIJK, Role, at, cio, officer, raised

OWNER = cio("BZK")  # raised the issue; CIO of its ministry
ROLES: dict[str, Actor] = {
    "owner": OWNER, "other CIO": cio("FIN"), "CPO": officer(Role.CPO, "BZK"),
    "CDO": officer(Role.CDO, "BZK"), "CTO": officer(Role.CTO, "BZK"), "CIO Rijk": RIJK,
    "secretariat": Actor("sec", "Secretaris", [Appointment(Role.SECRETARIAT)]),
}
OK = "OK"
PHASES = [Phase.ADVICE, Phase.DELIBERATION, Phase.VOTING, Phase.MANDATE,
          Phase.DEPARTMENTAL_DECISION, Phase.DECIDED, Phase.WITHDRAWN]


def expected(action: IssueAction, phase: Phase, role: str) -> str:
    if phase in (Phase.DECIDED, Phase.WITHDRAWN):
        return "WRONG_PHASE"
    advisor = role in ("CPO", "CDO", "CTO")
    open_phases = set(PHASES[:5])
    allowed_in = {
        IssueAction.SUBMIT_ADVICE: ({Phase.ADVICE}, advisor),
        IssueAction.CONTRIBUTE: ({Phase.DELIBERATION},
                                 role in ("owner", "other CIO", "CIO Rijk")),
        IssueAction.AMEND_PROPOSAL: ({Phase.DELIBERATION}, role == "owner"),
        IssueAction.CAST_VOTE: ({Phase.VOTING}, role in ("owner", "other CIO")),
        # The owning CIO closes advice only on a departmental issue (its own test below).
        IssueAction.CLOSE_PHASE: ({Phase.ADVICE, Phase.DELIBERATION, Phase.VOTING},
                                  role == "CIO Rijk"),
        IssueAction.DECIDE: ({Phase.MANDATE, Phase.DEPARTMENTAL_DECISION},
                             role == ("CIO Rijk" if phase == Phase.MANDATE else "owner")),
        IssueAction.RECLASSIFY: (open_phases, role == "CIO Rijk"),
        IssueAction.WITHDRAW: (open_phases, role in ("owner", "CIO Rijk")),
        # A member seat until the vote closes; an advisory seat while advice runs.
        IssueAction.RECUSE: ({Phase.ADVICE, Phase.DELIBERATION, Phase.VOTING},
                             role in ("owner", "other CIO")
                             or (advisor and phase == Phase.ADVICE)),
    }
    phases, permitted = allowed_in[action]
    if phase not in phases:
        return "WRONG_PHASE"
    return OK if permitted else "FORBIDDEN"


def cycle_in(phase: Phase) -> Cycle:
    """A cycle of OWNER's issue for BZK, brought to `phase` by the procedure's own steps."""
    if phase == Phase.DEPARTMENTAL_DECISION:
        cycle = raised(Scope.DEPARTMENTAL, "BZK", by=OWNER)
        cycle.close_phase(ClosePhaseInput(OWNER), at(1), REGISTER)
        return cycle
    cycle = raised(Scope.GOVERNMENT_WIDE, "BZK", by=OWNER)
    if phase == Phase.WITHDRAWN:
        cycle.withdraw(WithdrawInput(OWNER, "Niet nodig"), at(1))
        return cycle
    steps = {Phase.ADVICE: 0, Phase.DELIBERATION: 1, Phase.VOTING: 2}.get(phase, 2)
    for n in range(steps):
        cycle.close_phase(ClosePhaseInput(RIJK), at(n + 1), REGISTER)
    if phase in (Phase.MANDATE, Phase.DECIDED):
        cycle.cast_vote(CastVoteInput(cio("FIN"), VoteChoice.OBJECT, "Nee"), at(3))
        cycle.close_phase(ClosePhaseInput(RIJK), at(4), REGISTER)
    if phase == Phase.DECIDED:
        cycle.decide(DecideInput(RIJK, DecisionOutcome.ADOPTED, "Besloten"), at(5))
    assert cycle.state.phase == phase
    return cycle


def act(cycle: Cycle, action: IssueAction, actor: Actor) -> str:
    other = (Scope.GOVERNMENT_WIDE if cycle.state.scope == Scope.DEPARTMENTAL
             else Scope.DEPARTMENTAL)
    calls = {
        IssueAction.SUBMIT_ADVICE: lambda: cycle.submit_advice(
            SubmitAdviceInput(actor, AdviceStance.SUPPORT, "Advies"), at(10)),
        IssueAction.CONTRIBUTE: lambda: cycle.contribute(
            ContributeInput(actor, "Bijdrage"), at(10)),
        IssueAction.AMEND_PROPOSAL: lambda: cycle.amend_proposal(
            AmendProposalInput(actor, "Gewijzigd voorstel"), at(10)),
        IssueAction.CAST_VOTE: lambda: cycle.cast_vote(
            CastVoteInput(actor, VoteChoice.ABSTAIN), at(10)),
        IssueAction.CLOSE_PHASE: lambda: cycle.close_phase(
            ClosePhaseInput(actor), at(10), REGISTER),
        IssueAction.DECIDE: lambda: cycle.decide(
            DecideInput(actor, DecisionOutcome.ADOPTED, "Besloten"), at(10)),
        IssueAction.RECLASSIFY: lambda: cycle.reclassify(
            ReclassifyInput(actor, other, "Herindeling", "BZK"), at(10), REGISTER),
        IssueAction.WITHDRAW: lambda: cycle.withdraw(
            WithdrawInput(actor, "Niet nodig"), at(10)),
        IssueAction.RECUSE: lambda: cycle.recuse(
            RecuseInput(actor, "Belangenconflict"), at(10), REGISTER),
    }
    try:
        calls[action]()
    except Rejection as rejection:
        return rejection.code.value
    return OK


@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p.value)
def test_every_action_and_seat_in(phase: Phase):
    probe = cycle_in(phase)
    before = copy.deepcopy(probe.state)
    outcomes, wanted = {}, {}
    for action in IssueAction:
        for role, actor in ROLES.items():
            wanted[(action.value, role)] = expected(action, phase, role)
            target = copy.deepcopy(probe) if wanted[(action.value, role)] == OK else probe
            outcomes[(action.value, role)] = act(target, action, actor)
    mismatches = {k: (outcomes[k], wanted[k]) for k in wanted if outcomes[k] != wanted[k]}
    assert mismatches == {}
    assert probe.state == before, "a refusal changed the cycle"


@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p.value)
def test_my_actions_name_exactly_the_allowed_ones(phase: Phase):
    cycle = cycle_in(phase)
    for role, actor in ROLES.items():
        allowed = {a for a in IssueAction if expected(a, phase, role) == OK}
        assert set(allowed_actions(cycle, actor)) == allowed, role


def test_the_owning_cio_closes_departmental_advice():
    cycle = raised(Scope.DEPARTMENTAL, "BZK", by=OWNER)
    assert IssueAction.CLOSE_PHASE in allowed_actions(cycle, OWNER)
    assert act(copy.deepcopy(cycle), IssueAction.CLOSE_PHASE, OWNER) == OK
    assert act(copy.deepcopy(cycle), IssueAction.CLOSE_PHASE, cio("FIN")) == "FORBIDDEN"
