"""Any valid definition gives a procedure that ends: generated councils run random cycles,
and every one ends DECIDED or WITHDRAWN, with a gapless timeline, the chair able to decide
once the deadlines have passed. A broken definition is always refused with a path."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from services.councils.definitions import InvalidDefinition, read, schema
from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    DecideInput,
    RaiseIssueInput,
    RecuseInput,
    SubmitAdviceInput,
)
from services.domain.cycle import Cycle
from services.domain.errors import Rejection
from services.domain.procedure import CouncilDefinition
from services.domain.types import (
    Actor,
    AdviceStance,
    Appointment,
    DecisionOutcome,
    Phase,
    Register,
    Scope,
    Seat,
    VoteChoice,
)
from tests.unit.builders import T0

LABEL = {"nl": "naam", "en": "name"}
WINDOW = st.sampled_from(["PT1H", "P1D", "P3D", "P2W"])
FRACTION = st.sampled_from(["1/3", "1/2", "2/3", "3/4", "1/1", 0.6, 1])


@st.composite
def definitions(draw) -> dict:
    units = [{"code": f"U{i}", "name": LABEL} for i in range(draw(st.integers(1, 6)))]
    advisors = [{"code": f"A{i}", "kind": "ADVISOR",
                 "seats": draw(st.sampled_from(["unit", "council"])), "name": LABEL}
                for i in range(draw(st.integers(0, 3)))]
    if advisors and draw(st.booleans()):
        advisors[draw(st.integers(0, len(advisors) - 1))]["privacy"] = True
    roles = [{"code": "M", "kind": "MEMBER", "seats": "unit", "name": LABEL}, *advisors,
             {"code": "C", "kind": "CHAIR", "seats": "council", "name": LABEL},
             {"code": "S", "kind": "SECRETARIAT", "seats": "council", "name": LABEL}]
    rule = draw(st.sampled_from(["CONSENSUS", "MAJORITY", "QUALIFIED_MAJORITY"]))
    vote = {"window": draw(WINDOW), "rule": rule, "quorum": draw(FRACTION)}
    if rule == "QUALIFIED_MAJORITY":
        vote["threshold"] = draw(st.sampled_from(["2/3", "3/4", 0.55, 1]))
    procedure: dict = {"vote": vote, "mandate": {"window": draw(WINDOW)}}
    if draw(st.booleans()):
        procedure["advice"] = {"window": draw(WINDOW),
                               "privacyExtensions": draw(st.integers(0, 2))}
    if draw(st.booleans()):
        procedure["deliberation"] = {"window": draw(WINDOW)}
    if draw(st.booleans()):
        procedure["departmentalDecision"] = {"window": draw(WINDOW)}
    procedure["windowBounds"] = {"min": "PT1H", "max": "P30D"}
    return {"id": "raad", "version": "1", "name": LABEL, "unitTerm": LABEL, "units": units,
            "roles": roles, "scopes": {"DEPARTMENTAL": LABEL, "GOVERNMENT_WIDE": LABEL},
            "procedure": procedure}


def actors(definition: CouncilDefinition) -> tuple[Actor, list[Actor], list[Actor], Register]:
    rules = definition.rules
    units = [u.code for u in definition.units or []]
    chair = Actor("chair", "Voorzitter", [Appointment(rules.chair.code, None, rules.id)])
    members = [Actor(f"m-{u}", f"Lid {u}", [Appointment(rules.member.code, u, rules.id)])
               for u in units]
    seats = [Seat(u if role.per_unit else None, role.code) for role in rules.advisors
             for u in (units if role.per_unit else [None])]
    advisors = [Actor(f"a-{s.role}-{s.ministry}", "Adviseur",
                      [Appointment(s.role, s.ministry, rules.id)]) for s in seats]
    return chair, members, advisors, Register(units, seats)


STEP = st.tuples(st.sampled_from(["advise", "vote", "close", "deadline", "recuse-member",
                                  "recuse-advisor"]),
                 st.integers(0, 5), st.sampled_from(list(VoteChoice)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=definitions(), departmental=st.booleans(), privacy=st.booleans(),
       steps=st.lists(STEP, max_size=25))
def test_every_cycle_of_every_valid_council_ends(data, departmental, privacy, steps):
    definition = read(json.dumps(data))
    chair, members, advisors, register = actors(definition)
    scope, unit = (Scope.DEPARTMENTAL, "U0") if departmental else (Scope.GOVERNMENT_WIDE, None)
    raiser = members[0] if departmental else chair
    cycle = Cycle.raised(RaiseIssueInput("p1", raiser, "T", "P", scope, unit, privacy,
                                         definition.procedure, council=definition.rules), T0)
    events = cycle.start(raiser, T0, register)
    now = T0

    def run(action, *args) -> None:
        try:
            events.extend(action(*args))
        except Rejection:
            pass  # refused: nothing changed, the cycle goes on

    for kind, index, choice in steps:
        now += timedelta(minutes=1)
        if kind == "advise" and advisors:
            who = advisors[index % len(advisors)]
            run(cycle.submit_advice, SubmitAdviceInput(who, AdviceStance.SUPPORT, "advies"), now,
                register)
        elif kind == "vote":
            who = members[index % len(members)]
            run(cycle.cast_vote, CastVoteInput(who, choice, "reden"), now)
        elif kind == "recuse-member":
            who = members[index % len(members)]
            run(cycle.recuse, RecuseInput(who, "belang"), now, register)
        elif kind == "recuse-advisor" and advisors:
            who = advisors[index % len(advisors)]
            run(cycle.recuse, RecuseInput(who, "belang"), now, register)
        elif kind == "close":
            run(cycle.close_phase, ClosePhaseInput(chair), now, register)
        elif kind == "deadline" and cycle.next_wake() is not None:
            now = max(now, cycle.next_wake())
            run(cycle.on_wake, now, register)
    # Then nobody acts: the timers alone bring it to someone who decides.
    for _ in range(20):
        if cycle.state.phase in (Phase.MANDATE, Phase.DEPARTMENTAL_DECISION, Phase.DECIDED):
            break
        assert cycle.next_wake() is not None, f"stuck in {cycle.state.phase}"
        now = max(now, cycle.next_wake())
        events.extend(cycle.on_wake(now, register))
    if cycle.state.phase != Phase.DECIDED:
        decider = chair if cycle.state.phase == Phase.MANDATE else members[0]
        events.extend(cycle.decide(DecideInput(decider, DecisionOutcome.REJECTED, "besluit"),
                                   now))
    assert cycle.state.phase == Phase.DECIDED
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


ID = schema()["properties"]["id"]["pattern"]
KEYS = st.sampled_from(["id", "roles", "procedure", "units", "scopes", "unitTerm"])


@settings(max_examples=100, deadline=None)
@given(data=definitions(), key=KEYS, junk=st.one_of(st.integers(), st.text(max_size=5),
                                                    st.none(), st.lists(st.integers())))
def test_a_broken_definition_is_always_refused_with_a_path(data, key, junk):
    # Short text can be a well-formed id ("00"): that is no junk.
    assume(not (key == "id" and isinstance(junk, str) and re.fullmatch(ID, junk)))
    data[key] = junk
    try:
        read(json.dumps(data))
    except InvalidDefinition as invalid:
        assert invalid.path.split(".")[0].split("[")[0] == key, str(invalid)
    else:
        raise AssertionError(f"{key}={junk!r} was accepted")
