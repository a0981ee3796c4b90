"""Deputies in the cycle: what a deputy in period does is the seat's act, on behalf of its
holder; one vote per seat, and the holder's own vote is theirs to change."""

from __future__ import annotations

from datetime import timedelta

from services.domain.appointments import check_name_deputy
from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    ContributeInput,
    SubmitAdviceInput,
)
from services.domain.cycle import tally
from services.domain.errors import RejectionCode
from services.domain.types import Actor, AdviceStance, Appointment, Holder, VoteChoice
from tests.unit.builders import (
    CIO_BERAAD,
    MINISTRIES,
    REGISTER,
    RIJK,
    SECRETARY,
    T0,
    Role,
    at,
    cio,
    officer,
    raised,
    rejected,
    voting,
)

FIN = Holder("cio-fin", "CIO FIN")
DEPUTY = Actor("plv", "Plaatsvervanger", [Appointment(Role.CIO, "FIN", None, FIN)])


def test_the_deputys_vote_counts_for_the_seat_and_the_holders_replaces_it():
    cycle = voting()
    events = cycle.cast_vote(CastVoteInput(DEPUTY, VoteChoice.AGREE), at(10))
    assert "Plaatsvervanger (plaatsvervanger van CIO FIN) stemde namens FIN" in events[0].summary
    vote = cycle.state.votes[0]
    assert (vote.ministry, vote.person_id, vote.on_behalf_of) == ("FIN", "plv", "cio-fin")
    cycle.cast_vote(CastVoteInput(cio("FIN"), VoteChoice.OBJECT, "Nee"), at(11))
    assert [(v.ministry, v.person_id, v.on_behalf_of) for v in cycle.state.votes] == [
        ("FIN", "cio-fin", None)]
    assert tally(cycle.state).object == 1 and tally(cycle.state).agree == 0
    refused = rejected(RejectionCode.FORBIDDEN, cycle.check_cast_vote,
                       CastVoteInput(DEPUTY, VoteChoice.AGREE))
    assert "in person" in refused.message


def test_a_deputy_may_change_the_deputys_own_vote():
    cycle = voting()
    cycle.cast_vote(CastVoteInput(DEPUTY, VoteChoice.AGREE), at(10))
    cycle.cast_vote(CastVoteInput(DEPUTY, VoteChoice.ABSTAIN), at(11))
    assert [v.choice for v in cycle.state.votes] == [VoteChoice.ABSTAIN]


def test_deputies_advise_and_contribute_on_behalf():
    cycle = raised()
    cpo = Actor("plv-cpo", "Plv CPO", [Appointment(Role.CPO, "BZK", None,
                                                   Holder("cpo-bzk", "CPO BZK"))])
    cycle.submit_advice(SubmitAdviceInput(cpo, AdviceStance.SUPPORT, "Goed"), at(1))
    assert cycle.state.advice[0].on_behalf_of == "cpo-bzk"
    rejected(RejectionCode.DUPLICATE, cycle.check_submit_advice,
             SubmitAdviceInput(officer(Role.CPO, "BZK"), AdviceStance.OBJECT, "Toch niet"))


def test_contributions_in_deliberation_carry_the_holder():
    cycle = raised()
    cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    cycle.contribute(ContributeInput(DEPUTY, "Namens FIN"), at(2))
    assert cycle.state.contributions[0].on_behalf_of == "cio-fin"


def name(actor: Actor, role: str = Role.CIO, ministry: str | None = "FIN",
         deputy: Actor | None = None, holder: str | None = "cio-fin", days: int = 30):
    check_name_deputy(actor, CIO_BERAAD, role, ministry, MINISTRIES, None, holder,
                      deputy or Actor("plv", "P"), "Plaatsvervanger", T0,
                      T0 + timedelta(days=days), T0)


def test_who_names_a_deputy_for_which_seat():
    name(cio("FIN"))  # the holder
    name(SECRETARY)
    rejected(RejectionCode.FORBIDDEN, name, cio("BZK"))
    rejected(RejectionCode.FORBIDDEN, name, DEPUTY)  # a deputy does not name a deputy
    rejected(RejectionCode.INVALID_INPUT, name, SECRETARY, Role.CIO_RIJK, None)
    rejected(RejectionCode.PRECONDITION_FAILED, lambda: name(SECRETARY, holder=None))
    rejected(RejectionCode.INVALID_INPUT, lambda: name(SECRETARY, deputy=cio("FIN")))
    rejected(RejectionCode.INVALID_INPUT, lambda: name(SECRETARY, deputy=cio("BZK")))
    name(SECRETARY, deputy=DEPUTY, days=60)  # named again for the same seat: a new period
    rejected(RejectionCode.INVALID_INPUT, lambda: name(SECRETARY, days=0))
    rejected(RejectionCode.INVALID_INPUT, lambda: name(SECRETARY, days=5 * 366))
