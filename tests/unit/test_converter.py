"""Our payload decoder gives exactly what the Temporal SDK's own gives, for every payload
type the cycle sends, and leaves types it does not know to the SDK."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from temporalio.converter import DataConverter, value_to_type

from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    RaiseIssueInput,
    RecordEventsInput,
    RecordOutcome,
    SubmitAdviceInput,
    UpdateResult,
)
from services.domain.cycle import undo_point
from services.domain.record import change_between
from services.domain.types import AdviceStance, Phase, Register, VoteChoice
from services.typed import decoder
from services.workflows.converter import DATA_CONVERTER
from tests.unit.builders import MINISTRIES, REGISTER, RIJK, Role, at, cio, officer, raised, voting


def both_ways(value: object, hint: type) -> object:
    (payload,) = DataConverter.default.payload_converter.to_payloads([value])
    (ours,) = DATA_CONVERTER.payload_converter.from_payloads([payload], [hint])
    (sdk,) = DataConverter.default.payload_converter.from_payloads([payload], [hint])
    assert ours == sdk == value
    return ours


def test_every_cycle_payload_decodes_as_the_sdk_decodes_it():
    cycle = raised(privacy=True)
    cpo = officer(Role.CPO, "BZK")
    advice = SubmitAdviceInput(cpo, AdviceStance.CONDITIONAL, "Met DPIA", Role.CPO)
    events = cycle.submit_advice(advice, at(1))
    cycle.state.requests["key-abc"] = cycle.state.seq
    both_ways(advice, SubmitAdviceInput)
    keyed = [replace(e, request="key-abc") for e in events]
    both_ways(RecordEventsInput(keyed, state=cycle.state), RecordEventsInput)
    before = undo_point(cycle.state)
    cycle.close_phase(ClosePhaseInput(RIJK), at(2), REGISTER)
    change = change_between(before, cycle.state)
    assert change is not None and change.status.phase == Phase.DELIBERATION
    both_ways(RecordEventsInput(keyed, change=change), RecordEventsInput)
    both_ways(RecordOutcome(stale=True), RecordOutcome)
    both_ways(UpdateResult(cycle.state.seq, cycle.state.phase), UpdateResult)
    both_ways(UpdateResult(3), UpdateResult)
    command = RaiseIssueInput("i2", RIJK, "t", "p", cycle.state.scope, None, False,
                              cycle.state.procedure, ["ai"], resumed=cycle.state)
    both_ways(command, RaiseIssueInput)
    both_ways(Register(MINISTRIES, []), Register)

    voted = voting()
    voted.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.OBJECT, "Te duur"), at(3))
    both_ways(voted.state, type(voted.state))


def test_types_it_does_not_know_are_left_to_the_sdk():
    @dataclass
    class Pair:
        numbers: tuple[int, int]
        names: set[str]

    value = {"numbers": [1, 2], "names": ["a"]}
    assert decoder(Pair)(value) == value_to_type(Pair, value) == Pair((1, 2), {"a"})


def test_a_record_from_before_a_field_existed_keeps_its_default():
    @dataclass
    class Record:
        name: str
        phase: Phase
        added: list[str] = field(default_factory=list)

    decode = decoder(Record)
    assert decode({"name": "a", "phase": "ADVICE"}) == Record("a", Phase.ADVICE)
    assert decode({"name": "a", "phase": "VOTING", "added": ["x"], "more": 1}) == Record(
        "a", Phase.VOTING, ["x"])
    # As many keys as fields, one of them unknown: still read by name.
    assert decode({"name": "a", "phase": "ADVICE", "more": 1}) == Record("a", Phase.ADVICE)
    with pytest.raises(TypeError):
        decode({"phase": "ADVICE", "more": 1, "added": []})  # no name: not a Record
    for wrong in ("NOPE", ["ADVICE"]):
        with pytest.raises(ValueError):
            decode({"name": "a", "phase": wrong})
