"""Recusal: a seat steps aside on one issue for a conflict of interest. Its vote goes, the
quorum base shrinks, and nothing it leaves behind can stop the issue."""

from __future__ import annotations

from services.domain.actions import IssueAction, allowed_actions
from services.domain.commands import CastVoteInput, ClosePhaseInput, RecuseInput, SubmitAdviceInput
from services.domain.cycle import tally
from services.domain.errors import RejectionCode
from services.domain.types import AdviceStance, DecisionRoute, Phase, Scope, VoteChoice
from services.domain.waiting import details
from tests.unit.builders import (
    MINISTRIES,
    REGISTER,
    RIJK,
    Role,
    at,
    cio,
    kinds,
    officer,
    raised,
    rejected,
    voting,
)


def test_a_recused_member_leaves_the_quorum_base_and_its_vote_is_withdrawn():
    cycle = voting()
    cycle.cast_vote(CastVoteInput(cio("FIN"), VoteChoice.OBJECT, "Te duur"), at(10))
    events = cycle.recuse(RecuseInput(cio("FIN"), "Mijn dienst levert de software"), at(11))
    assert kinds(events) == ["RECUSED"]
    assert "de uitgebrachte stem vervalt" in events[0].summary
    assert events[0].public_summary == "Een zetel verschoonde zich wegens belangenverstrengeling"
    assert "FIN" not in events[0].public_summary
    t = tally(cycle.state)
    assert (t.eligible, t.recused, t.object, t.not_voted) == (2, 1, 0, 2)
    refused = rejected(RejectionCode.FORBIDDEN, cycle.check_cast_vote,
                       CastVoteInput(cio("FIN"), VoteChoice.AGREE))
    assert "recused" in refused.message
    rejected(RejectionCode.DUPLICATE, cycle.check_recuse, RecuseInput(cio("FIN"), "Nogmaals"))
    assert "CIO FIN" not in details(cycle.state)


def test_the_last_vote_of_the_others_decides_once_a_seat_recused():
    cycle = voting()
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.AGREE), at(10))
    cycle.cast_vote(CastVoteInput(cio("OCW"), VoteChoice.AGREE), at(11))
    events = cycle.recuse(RecuseInput(cio("FIN"), "Belang"), at(12))
    assert kinds(events) == ["RECUSED", "CONSENSUS_REACHED", "DECIDED"]
    assert cycle.state.decision.route == DecisionRoute.CONSENSUS
    assert "2 eens" in cycle.state.decision.motivation


def test_when_every_member_recuses_the_deadline_brings_the_mandate():
    cycle = voting()
    for ministry in MINISTRIES:
        cycle.recuse(RecuseInput(cio(ministry), "Belang"), at(10))
    assert tally(cycle.state).eligible == 0
    events = cycle.on_deadline(at(10**6), None)
    assert kinds(events) == ["NO_CONSENSUS"] and cycle.state.phase == Phase.MANDATE


def test_a_member_may_recuse_before_the_vote_opens_and_is_not_counted_then():
    cycle = raised()
    cycle.recuse(RecuseInput(cio("OCW"), "Eerder betrokken"), at(1))
    cycle.close_phase(ClosePhaseInput(RIJK), at(2), REGISTER)
    cycle.close_phase(ClosePhaseInput(RIJK), at(3), REGISTER)
    t = tally(cycle.state)
    assert cycle.state.phase == Phase.VOTING and (t.eligible, t.recused) == (2, 1)


def test_an_advisor_recusing_is_not_waited_for():
    cycle = raised()
    seats = cycle.state.advisory_seats
    others = [s for s in seats if (s.ministry, s.role) != ("OCW", Role.CTO)]
    for n, seat in enumerate(others):
        cycle.submit_advice(SubmitAdviceInput(officer(Role(seat.role), seat.ministry),
                                              AdviceStance.SUPPORT, "Goed"), at(1 + n), REGISTER)
    assert cycle.state.phase == Phase.ADVICE
    events = cycle.recuse(RecuseInput(officer(Role.CTO, "OCW"), "Leverancier is mijn broer"),
                          at(50), REGISTER)
    assert kinds(events) == ["RECUSED", "PHASE_CHANGED"]
    assert cycle.state.phase == Phase.DELIBERATION
    # Advice is over: an advisor's seat no longer takes part.
    rejected(RejectionCode.FORBIDDEN, cycle.check_recuse,
             RecuseInput(officer(Role.CTO, "OCW"), "Te laat"))


def test_recusal_needs_a_seat_a_reason_and_an_open_phase():
    cycle = voting()
    rejected(RejectionCode.FORBIDDEN, cycle.check_recuse, RecuseInput(RIJK, "Ik"))
    rejected(RejectionCode.INVALID_INPUT, cycle.check_recuse, RecuseInput(cio("BZK"), "  "))
    rejected(RejectionCode.INVALID_INPUT, cycle.check_recuse,
             RecuseInput(cio("BZK"), "\ud800"))  # a lone surrogate
    assert IssueAction.RECUSE in allowed_actions(cycle, cio("BZK"))
    assert IssueAction.RECUSE not in allowed_actions(cycle, RIJK)
    for ministry in MINISTRIES:
        cycle.cast_vote(CastVoteInput(cio(ministry), VoteChoice.AGREE), at(10))
    assert cycle.state.phase == Phase.DECIDED
    rejected(RejectionCode.WRONG_PHASE, cycle.check_recuse, RecuseInput(cio("BZK"), "Nu"))


def test_a_departmental_issue_has_no_member_seat_to_recuse():
    cycle = raised(scope=Scope.DEPARTMENTAL, ministry="BZK", by=cio("BZK"))
    rejected(RejectionCode.FORBIDDEN, cycle.check_recuse, RecuseInput(cio("FIN"), "Belang"))
    # The owning ministry's advisors still may.
    events = cycle.recuse(RecuseInput(officer(Role.CPO, "BZK"), "Belang"), at(1), REGISTER)
    assert kinds(events) == ["RECUSED"]
