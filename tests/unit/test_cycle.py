"""The procedure's rules, one by one, without any server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.domain.commands import (
    AmendProposalInput,
    CastVoteInput,
    ClosePhaseInput,
    ContributeInput,
    DecideInput,
    ReclassifyInput,
    SubmitAdviceInput,
    WithdrawInput,
)
from services.domain.cycle import Cycle, tally, vote_result
from services.domain.errors import Rejection, RejectionCode
from services.domain.types import (
    Actor,
    AdviceStance,
    Appointment,
    DecisionOutcome,
    DecisionRoute,
    Phase,
    Procedure,
    Register,
    Scope,
    VoteChoice,
)
from tests.unit.builders import (
    MINISTRIES,
    REGISTER,
    RIJK,
    SECRETARY,
    Role,
    at,
    cio,
    kinds,
    officer,
    raised,
    rejected,
    voting,
)

# -- advice -------------------------------------------------------------------------------


def test_government_wide_advice_asks_every_member_seat():
    cycle = raised()
    assert len(cycle.state.advisory_seats) == 9
    assert cycle.state.phase_deadline == at(100)


def test_departmental_advice_asks_the_owning_ministry_only():
    cycle = raised(Scope.DEPARTMENTAL, "BZK", by=cio("BZK"))
    assert {s.ministry for s in cycle.state.advisory_seats} == {"BZK"}


def test_one_advice_per_seat():
    cycle = raised()
    advice = SubmitAdviceInput(officer(Role.CPO, "BZK"), AdviceStance.SUPPORT, "ok")
    cycle.submit_advice(advice, at(1))
    rejected(RejectionCode.DUPLICATE, cycle.check_submit_advice, advice)


def test_only_eligible_advisors_advise():
    cycle = raised(Scope.DEPARTMENTAL, "BZK", by=cio("BZK"))
    other = SubmitAdviceInput(officer(Role.CPO, "FIN"), AdviceStance.SUPPORT, "ok")
    rejected(RejectionCode.FORBIDDEN, cycle.check_submit_advice, other)
    a_cio = SubmitAdviceInput(cio("BZK"), AdviceStance.SUPPORT, "ok")
    rejected(RejectionCode.FORBIDDEN, cycle.check_submit_advice, a_cio)


def test_an_advisor_with_two_roles_must_say_which():
    both = Actor("x", "X", [Appointment(Role.CPO, "BZK"), Appointment(Role.CDO, "BZK")])
    cycle = raised()
    rejected(RejectionCode.INVALID_INPUT, cycle.check_submit_advice,
             SubmitAdviceInput(both, AdviceStance.SUPPORT, "ok"))
    cycle.submit_advice(SubmitAdviceInput(both, AdviceStance.SUPPORT, "ok", Role.CDO), at(1))
    assert cycle.state.advice[0].role == Role.CDO


def test_empty_advice_text_is_invalid():
    cycle = raised()
    rejected(RejectionCode.INVALID_INPUT, cycle.check_submit_advice,
             SubmitAdviceInput(officer(Role.CPO, "BZK"), AdviceStance.SUPPORT, "   "))


def test_advice_ends_when_every_seat_has_advised():
    cycle = raised(Scope.DEPARTMENTAL, "BZK", by=cio("BZK"))
    events = []
    for role in (Role.CPO, Role.CDO, Role.CTO):
        events = cycle.submit_advice(
            SubmitAdviceInput(officer(role, "BZK"), AdviceStance.SUPPORT, "ok"), at(5)
        )
    assert kinds(events) == ["ADVICE_SUBMITTED", "PHASE_CHANGED"]
    assert cycle.state.phase == Phase.DEPARTMENTAL_DECISION
    assert cycle.state.phase_deadline == at(5 + 400)


def test_advice_window_closes_into_deliberation():
    cycle = raised()
    events = cycle.on_deadline(at(100), None)
    assert kinds(events) == ["PHASE_CHANGED"]
    assert cycle.state.phase == Phase.DELIBERATION
    assert cycle.state.phase_deadline == at(300)


def test_closing_advice_early_without_privacy_advice_is_refused():
    cycle = raised(privacy=True)
    rejected(RejectionCode.PRECONDITION_FAILED, cycle.check_close_phase, ClosePhaseInput(RIJK))
    cycle.submit_advice(
        SubmitAdviceInput(officer(Role.CPO, "FIN"), AdviceStance.CONDITIONAL, "pseudonymise"),
        at(3),
    )
    cycle.close_phase(ClosePhaseInput(RIJK), at(4), REGISTER)
    assert cycle.state.phase == Phase.DELIBERATION


def test_the_owning_cio_may_close_departmental_advice_but_not_government_wide():
    departmental = raised(Scope.DEPARTMENTAL, "BZK", by=cio("BZK"))
    departmental.close_phase(ClosePhaseInput(cio("BZK")), at(1), REGISTER)
    assert departmental.state.phase == Phase.DEPARTMENTAL_DECISION
    wide = raised(ministry="BZK", by=cio("BZK"))
    rejected(RejectionCode.FORBIDDEN, wide.check_close_phase, ClosePhaseInput(cio("BZK")))


def test_missing_privacy_advice_extends_the_window_once():
    cycle = raised(privacy=True)
    events = cycle.on_deadline(at(100), None)
    assert kinds(events) == ["ADVICE_WINDOW_EXTENDED", "REMINDER_SENT"]
    assert "CPO BZK" in events[1].summary
    assert cycle.state.phase == Phase.ADVICE
    assert cycle.state.phase_deadline == at(200)


def test_advice_arriving_in_the_extension_lets_the_issue_continue():
    cycle = raised(privacy=True)
    cycle.on_deadline(at(100), None)
    cycle.submit_advice(
        SubmitAdviceInput(officer(Role.CPO, "OCW"), AdviceStance.SUPPORT, "fine"), at(150)
    )
    events = cycle.on_deadline(at(200), None)
    assert kinds(events) == ["PHASE_CHANGED"]
    assert cycle.state.phase == Phase.DELIBERATION


def test_privacy_advice_still_missing_goes_to_mandate_or_departmental_decision():
    wide = raised(privacy=True)
    wide.on_deadline(at(100), None)
    events = wide.on_deadline(at(200), None)
    assert wide.state.phase == Phase.MANDATE
    assert "privacyadvies ontbreekt ook na de verlenging" in events[0].summary
    departmental = raised(Scope.DEPARTMENTAL, "BZK", privacy=True, by=cio("BZK"))
    departmental.on_deadline(at(100), None)
    departmental.on_deadline(at(200), None)
    assert departmental.state.phase == Phase.DEPARTMENTAL_DECISION


# -- deliberation -------------------------------------------------------------------------


def test_contributions_and_amendments_in_deliberation():
    cycle = raised(by=cio("BZK"), ministry="BZK")
    rejected(RejectionCode.WRONG_PHASE, cycle.check_contribute,
             ContributeInput(cio("FIN"), "too early"))
    cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    cycle.contribute(ContributeInput(cio("FIN"), "mind the costs"), at(2))
    assert cycle.state.contributions[0].ministry == "FIN"
    rejected(RejectionCode.FORBIDDEN, cycle.check_contribute,
             ContributeInput(officer(Role.CTO, "FIN"), "advisors do not contribute"))
    rejected(RejectionCode.FORBIDDEN, cycle.check_amend_proposal,
             AmendProposalInput(cio("FIN"), "mine now"))
    events = cycle.amend_proposal(AmendProposalInput(cio("BZK"), "Use the cloud, carefully"),
                                  at(3))
    assert kinds(events) == ["PROPOSAL_AMENDED"]
    assert cycle.state.proposal_version == 2
    rejected(RejectionCode.INVALID_INPUT, cycle.check_amend_proposal,
             AmendProposalInput(cio("BZK"), "Use the cloud, carefully"))


# -- voting -------------------------------------------------------------------------------


def test_members_are_the_ministries_in_force_when_the_vote_opens():
    cycle = voting(members=["BZK", "FIN", "OCW", "EZK"])
    assert cycle.state.members == ["BZK", "EZK", "FIN", "OCW"]
    assert tally(cycle.state).eligible == 4


def test_unanimous_agreement_closes_the_vote_early():
    cycle = voting()
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.AGREE), at(10))
    cycle.cast_vote(CastVoteInput(cio("FIN"), VoteChoice.ABSTAIN), at(11))
    events = cycle.cast_vote(CastVoteInput(cio("OCW"), VoteChoice.AGREE), at(12))
    assert kinds(events) == ["VOTE_CAST", "CONSENSUS_REACHED", "DECIDED"]
    decision = cycle.state.decision
    assert decision.route == DecisionRoute.CONSENSUS
    assert decision.outcome == DecisionOutcome.ADOPTED
    assert decision.decided_by is None
    assert cycle.state.phase_deadline is None


def test_all_abstaining_is_no_consensus():
    cycle = voting()
    for m in MINISTRIES:
        events = cycle.cast_vote(CastVoteInput(cio(m), VoteChoice.ABSTAIN), at(10))
    assert kinds(events) == ["VOTE_CAST"]
    events = cycle.on_deadline(at(400), None)
    assert kinds(events) == ["NO_CONSENSUS"]
    assert cycle.state.phase == Phase.MANDATE


def test_an_objection_needs_a_reason():
    cycle = voting()
    rejected(RejectionCode.INVALID_INPUT, cycle.check_cast_vote,
             CastVoteInput(cio("BZK"), VoteChoice.OBJECT, " "))


def test_only_member_cios_vote():
    cycle = voting(members=["BZK", "FIN"])
    rejected(RejectionCode.FORBIDDEN, cycle.check_cast_vote,
             CastVoteInput(cio("OCW"), VoteChoice.AGREE))
    rejected(RejectionCode.FORBIDDEN, cycle.check_cast_vote,
             CastVoteInput(RIJK, VoteChoice.AGREE))
    rejected(RejectionCode.FORBIDDEN, cycle.check_cast_vote,
             CastVoteInput(officer(Role.CPO, "BZK"), VoteChoice.AGREE))


def test_vote_changed_from_object_to_agree_before_the_deadline_counts_last():
    cycle = voting()
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.OBJECT, "too costly"), at(10))
    cycle.cast_vote(CastVoteInput(cio("FIN"), VoteChoice.AGREE), at(11))
    assert tally(cycle.state).object == 1
    events = cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.AGREE), at(12))
    assert kinds(events) == ["VOTE_CAST"]
    assert "wijzigde de stem" in events[0].summary
    assert (tally(cycle.state).agree, tally(cycle.state).object) == (2, 0)
    events = cycle.on_deadline(at(400), None)
    assert kinds(events) == ["CONSENSUS_REACHED", "DECIDED"]


def test_casting_the_same_vote_twice_is_a_duplicate():
    cycle = voting()
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.AGREE), at(10))
    rejected(RejectionCode.DUPLICATE, cycle.check_cast_vote,
             CastVoteInput(cio("BZK"), VoteChoice.AGREE))


def test_quorum_exactly_met_is_consensus():
    members = [f"M{i}" for i in range(12)]
    cycle = voting(members=members)
    for m in members[:8]:  # 8 of 12 is exactly 2/3
        cycle.cast_vote(CastVoteInput(cio(m), VoteChoice.AGREE), at(10))
    assert vote_result(cycle.state, at_deadline=True) == (DecisionRoute.CONSENSUS,
                                                          DecisionOutcome.ADOPTED)
    events = cycle.on_deadline(at(400), None)
    assert kinds(events) == ["CONSENSUS_REACHED", "DECIDED"]


def test_quorum_missed_by_one_is_no_consensus():
    members = [f"M{i}" for i in range(12)]
    cycle = voting(members=members)
    for m in members[:7]:
        cycle.cast_vote(CastVoteInput(cio(m), VoteChoice.AGREE), at(10))
    events = cycle.on_deadline(at(400), None)
    assert kinds(events) == ["NO_CONSENSUS"]
    assert "onder het quorum" in events[0].summary


def test_an_objection_at_the_deadline_sends_the_issue_to_mandate():
    cycle = voting()
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.AGREE), at(10))
    cycle.cast_vote(CastVoteInput(cio("FIN"), VoteChoice.OBJECT, "no budget"), at(11))
    cycle.close_phase(ClosePhaseInput(RIJK), at(12), REGISTER)
    assert cycle.state.phase == Phase.MANDATE
    assert cycle.state.phase_deadline == at(12 + 400)


# -- mandate and decisions ----------------------------------------------------------------


def mandate(**kwargs) -> Cycle:
    cycle = voting(**kwargs)
    cycle.close_phase(ClosePhaseInput(RIJK), at(20), REGISTER)
    assert cycle.state.phase == Phase.MANDATE
    return cycle


def test_the_mandate_timer_records_overdue_and_does_not_decide():
    cycle = mandate()
    events = cycle.on_deadline(at(420), None)
    assert kinds(events) == ["MANDATE_OVERDUE", "REMINDER_SENT"]
    assert cycle.state.phase == Phase.MANDATE
    assert cycle.state.overdue and cycle.state.timer_at is None
    assert cycle.state.decision is None


def test_only_the_cio_rijk_decides_by_mandate():
    cycle = mandate(binding=True)
    rejected(RejectionCode.FORBIDDEN, cycle.check_decide,
             DecideInput(cio("BZK"), DecisionOutcome.ADOPTED, "because"))
    rejected(RejectionCode.INVALID_INPUT, cycle.check_decide,
             DecideInput(RIJK, DecisionOutcome.ADOPTED, ""))
    events = cycle.decide(DecideInput(RIJK, DecisionOutcome.ADOPTED, "needed now"), at(30))
    assert kinds(events) == ["DECIDED"]
    decision = cycle.state.decision
    assert (decision.route, decision.decided_by, decision.binding) == (
        DecisionRoute.MANDATE, "rijk", True)


def test_a_rejected_framework_is_not_binding():
    cycle = mandate(binding=True)
    cycle.decide(DecideInput(RIJK, DecisionOutcome.REJECTED, "not proportionate"), at(30))
    assert cycle.state.decision.binding is False


def test_departmental_decision_by_the_owning_cio_only():
    cycle = raised(Scope.DEPARTMENTAL, "BZK", by=cio("BZK"))
    cycle.on_deadline(at(100), None)
    assert cycle.state.phase == Phase.DEPARTMENTAL_DECISION
    rejected(RejectionCode.FORBIDDEN, cycle.check_decide,
             DecideInput(RIJK, DecisionOutcome.ADOPTED, "mine"))
    events = cycle.on_deadline(at(500), None)
    assert kinds(events) == ["DECISION_OVERDUE", "REMINDER_SENT"]
    cycle.decide(DecideInput(cio("BZK"), DecisionOutcome.ADOPTED, "go"), at(600))
    assert cycle.state.decision.route == DecisionRoute.DEPARTMENTAL
    rejected(RejectionCode.WRONG_PHASE, cycle.check_decide,
             DecideInput(cio("BZK"), DecisionOutcome.ADOPTED, "again"))


# -- reclassify and withdraw --------------------------------------------------------------


def test_reclassified_in_advice_stays_with_the_new_advisors():
    cycle = raised(Scope.DEPARTMENTAL, "BZK", by=cio("BZK"))
    rejected(RejectionCode.FORBIDDEN, cycle.check_reclassify,
             ReclassifyInput(cio("BZK"), Scope.GOVERNMENT_WIDE, "bigger"))
    events = cycle.reclassify(ReclassifyInput(RIJK, Scope.GOVERNMENT_WIDE, "affects all"),
                              at(5), REGISTER)
    assert kinds(events) == ["RECLASSIFIED"]
    assert cycle.state.phase == Phase.ADVICE
    assert len(cycle.state.advisory_seats) == 9


def test_reclassified_later_moves_to_the_scope_s_next_phase():
    cycle = voting()
    rejected(RejectionCode.INVALID_INPUT, cycle.check_reclassify,
             ReclassifyInput(RIJK, Scope.DEPARTMENTAL, "only theirs"))
    events = cycle.reclassify(
        ReclassifyInput(RIJK, Scope.DEPARTMENTAL, "only theirs", "FIN"), at(30), REGISTER
    )
    assert kinds(events) == ["RECLASSIFIED", "PHASE_CHANGED"]
    assert (cycle.state.phase, cycle.state.ministry) == (Phase.DEPARTMENTAL_DECISION, "FIN")
    cycle.reclassify(ReclassifyInput(RIJK, Scope.GOVERNMENT_WIDE, "after all"), at(40),
                     REGISTER)
    assert cycle.state.phase == Phase.DELIBERATION


def test_withdraw_by_the_raiser_or_the_cio_rijk_before_the_decision():
    cycle = raised(ministry="BZK", by=cio("BZK"))
    rejected(RejectionCode.FORBIDDEN, cycle.check_withdraw, WithdrawInput(cio("FIN"), "no"))
    events = cycle.withdraw(WithdrawInput(cio("BZK"), "solved elsewhere"), at(5))
    assert kinds(events) == ["WITHDRAWN"]
    assert cycle.state.phase == Phase.WITHDRAWN and cycle.state.phase_deadline is None
    rejected(RejectionCode.WRONG_PHASE, cycle.check_withdraw, WithdrawInput(RIJK, "again"))
    rejected(RejectionCode.WRONG_PHASE, cycle.check_reclassify,
             ReclassifyInput(RIJK, Scope.DEPARTMENTAL, "late"))


def test_the_secretariat_cannot_act_in_the_procedure():
    cycle = voting()
    rejected(RejectionCode.FORBIDDEN, cycle.check_close_phase, ClosePhaseInput(SECRETARY))
    rejected(RejectionCode.FORBIDDEN, cycle.check_cast_vote,
             CastVoteInput(SECRETARY, VoteChoice.AGREE))


def test_the_timeline_is_numbered_without_gaps():
    cycle = raised()
    events = []
    events += cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    events += cycle.contribute(ContributeInput(cio("FIN"), "yes"), at(2))
    events += cycle.on_deadline(at(300), Register(MINISTRIES, []))
    for m in MINISTRIES:
        events += cycle.cast_vote(CastVoteInput(cio(m), VoteChoice.AGREE), at(310))
    assert [e.seq for e in events] == list(range(2, 2 + len(events)))
    assert events[-1].phase == Phase.DECIDED


def test_a_reminder_goes_out_before_the_vote_closes_to_whoever_has_not_voted():
    cycle = voting(procedure=Procedure(100, 200, 300, 400, 2 / 3, reminder_lead_seconds=60))
    assert cycle.next_wake() == cycle.state.phase_deadline - timedelta(seconds=60)
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.AGREE), at(10))
    events = cycle.on_wake(cycle.next_wake(), None)
    assert kinds(events) == ["REMINDER_SENT"]
    assert "CIO FIN, CIO OCW" in events[0].summary and "BZK" not in events[0].summary
    assert cycle.next_wake() == cycle.state.phase_deadline
    assert kinds(cycle.on_wake(cycle.state.phase_deadline, None)) == ["NO_CONSENSUS"]


def test_no_early_reminder_when_the_window_is_shorter_than_the_lead():
    cycle = voting(procedure=Procedure(100, 200, 30, 400, 2 / 3, reminder_lead_seconds=60))
    assert cycle.next_wake() == cycle.state.phase_deadline


# -- requests that name what they expect, and a record that stays carriable ---------------


def test_closing_a_named_phase_twice_closes_it_once():
    cycle = raised()
    cycle.close_phase(ClosePhaseInput(RIJK, Phase.ADVICE), at(1), REGISTER)
    assert cycle.state.phase == Phase.DELIBERATION
    refusal = rejected(RejectionCode.WRONG_PHASE, cycle.check_close_phase,
                       ClosePhaseInput(RIJK, Phase.ADVICE))
    assert "no longer in ADVICE" in refusal.message
    assert cycle.state.phase == Phase.DELIBERATION
    cycle.close_phase(ClosePhaseInput(RIJK, Phase.DELIBERATION), at(2), REGISTER)
    assert cycle.state.phase == Phase.VOTING


def test_unnamed_close_still_closes_the_current_phase():
    cycle = raised()
    cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    cycle.close_phase(ClosePhaseInput(RIJK), at(2), REGISTER)
    assert cycle.state.phase == Phase.VOTING


def test_text_that_no_store_can_take_is_refused_by_every_check():
    cycle = raised()
    rejected(RejectionCode.INVALID_INPUT, cycle.check_submit_advice,
             SubmitAdviceInput(officer(Role.CPO, "BZK"), AdviceStance.SUPPORT, "x\ud800"))
    cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    rejected(RejectionCode.INVALID_INPUT, cycle.check_contribute,
             ContributeInput(cio("FIN"), "nul\x00"))
    rejected(RejectionCode.INVALID_INPUT, cycle.check_amend_proposal,
             AmendProposalInput(RIJK, "\ud83d"))
    cycle.close_phase(ClosePhaseInput(RIJK), at(2), REGISTER)
    rejected(RejectionCode.INVALID_INPUT, cycle.check_cast_vote,
             CastVoteInput(cio("FIN"), VoteChoice.OBJECT, "\x1b[2J"))
    cycle.close_phase(ClosePhaseInput(RIJK), at(3), REGISTER)
    rejected(RejectionCode.INVALID_INPUT, cycle.check_decide,
             DecideInput(RIJK, DecisionOutcome.ADOPTED, "x\udfff"))
    rejected(RejectionCode.INVALID_INPUT, cycle.check_withdraw, WithdrawInput(RIJK, "\x00"))


def test_a_full_record_refuses_more_text_but_the_chair_still_decides():
    from services.domain.cycle import RECORD_BUDGET, TEXT_MAX

    cycle = raised()
    cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    posted = 0
    with pytest.raises(Rejection) as full:
        while True:  # one CIO floods the deliberation
            cycle.contribute(ContributeInput(cio("FIN"), "x" * TEXT_MAX), at(2))
            posted += 1
    assert full.value.code == RejectionCode.PRECONDITION_FAILED
    assert posted == RECORD_BUDGET // (TEXT_MAX + 2)
    assert cycle.record_size() <= RECORD_BUDGET
    cycle.close_phase(ClosePhaseInput(RIJK), at(3), REGISTER)
    cycle.cast_vote(CastVoteInput(cio("FIN"), VoteChoice.AGREE), at(4))  # no text: fine
    cycle.close_phase(ClosePhaseInput(RIJK), at(5), REGISTER)
    cycle.decide(DecideInput(RIJK, DecisionOutcome.REJECTED, "x" * TEXT_MAX), at(6))
    assert cycle.state.phase == Phase.DECIDED


def test_an_undo_point_is_untouched_by_every_later_change():
    from services.domain.cycle import undo_point

    cycle = raised(privacy=True)
    cycle.submit_advice(SubmitAdviceInput(officer(Role.CPO, "BZK"), AdviceStance.SUPPORT,
                                          "Met DPIA"), at(1))
    before = undo_point(cycle.state)
    snapshot = repr(before)
    cycle.close_phase(ClosePhaseInput(RIJK), at(2), REGISTER)
    cycle.contribute(ContributeInput(cio("FIN"), "Kosten?"), at(3))
    cycle.close_phase(ClosePhaseInput(RIJK), at(4), REGISTER)
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.AGREE), at(5))
    cycle.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.OBJECT, "Toch niet"), at(6))
    cycle.state.requests["k"] = 9
    assert repr(before) == snapshot
