"""What an issue waits on, as seat keys: the record carries them, so a list can ask which
issues wait on a person's seats ("wacht op mij")."""

from __future__ import annotations

import copy

from services.domain.awaiting import waiting_keys
from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    RecuseInput,
    SubmitAdviceInput,
)
from services.domain.record import change_between
from services.domain.types import AdviceStance, Phase, Scope, VoteChoice
from tests.unit.builders import MINISTRIES, REGISTER, RIJK, Role, at, cio, officer, raised, voting


def test_advice_waits_on_each_advisor_until_they_advise_or_recuse():
    cycle = raised()
    seats = cycle.state.advisory_seats
    keys = waiting_keys(cycle.state)
    assert keys == [f"cio-beraad/{Role(s.role).value}/{s.ministry}" for s in seats]
    first, second = seats[0], seats[1]
    cycle.submit_advice(SubmitAdviceInput(officer(Role(first.role), first.ministry),
                                          AdviceStance.SUPPORT, "Goed"), at(1), REGISTER)
    cycle.recuse(RecuseInput(officer(Role(second.role), second.ministry), "Belang"), at(2),
                 REGISTER)
    assert waiting_keys(cycle.state) == keys[2:]


def test_the_chair_is_waited_on_to_close_the_deliberation():
    cycle = raised()
    cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    assert cycle.state.phase == Phase.DELIBERATION
    assert waiting_keys(cycle.state) == ["cio-beraad/CIO_RIJK/"]


def test_the_vote_waits_on_members_who_have_not_voted_and_a_change_carries_it():
    cycle = voting()
    assert waiting_keys(cycle.state) == [f"cio-beraad/CIO/{m}" for m in MINISTRIES]
    before = copy.deepcopy(cycle.state)
    cycle.cast_vote(CastVoteInput(cio(MINISTRIES[0]), VoteChoice.AGREE), at(10))
    change = change_between(before, cycle.state)
    assert change is not None
    assert change.status.waiting == [f"cio-beraad/CIO/{m}" for m in MINISTRIES[1:]]


def test_a_departmental_issue_waits_on_its_unit_and_a_decided_one_on_nobody():
    cycle = raised(scope=Scope.DEPARTMENTAL, ministry="BZK", by=cio("BZK"))
    while cycle.state.phase != Phase.DEPARTMENTAL_DECISION:
        cycle.close_phase(ClosePhaseInput(cio("BZK")), at(1), REGISTER)
    assert cycle.state.phase == Phase.DEPARTMENTAL_DECISION
    assert waiting_keys(cycle.state) == ["cio-beraad/CIO/BZK"]
    voted = voting()
    for ministry in MINISTRIES:
        voted.cast_vote(CastVoteInput(cio(ministry), VoteChoice.AGREE), at(10))
    assert voted.state.phase == Phase.DECIDED
    assert waiting_keys(voted.state) == []

