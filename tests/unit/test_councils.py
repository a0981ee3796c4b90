"""Councils as data: definitions read and refused with a path, and the cycle following each
council's rules (vote rules, skipped phases, council-wide advisors), without any server."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from services.councils.definitions import InvalidDefinition, preset, presets, read, schema
from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    DecideInput,
    RaiseIssueInput,
    SubmitAdviceInput,
)
from services.domain.councils import CouncilRules
from services.domain.cycle import Cycle
from services.domain.errors import RejectionCode
from services.domain.types import (
    Actor,
    AdviceStance,
    Appointment,
    DecisionOutcome,
    DecisionRoute,
    Phase,
    Register,
    Scope,
    Seat,
    VoteChoice,
)
from services.domain.waiting import details
from tests.unit.builders import T0, at, kinds, rejected

GEMEENTE = preset("gemeente-voorbeeld")
BOARD = preset("architectuurboard")
UNITS = ["VS-BSD", "VS-RO", "VS-SD", "VS-BV", "VS-FIN"]


def person(council: CouncilRules, role: str, unit: str | None = None) -> Actor:
    return Actor(f"{role}-{unit or ''}".lower(), f"{role} {unit or ''}".strip(),
                 [Appointment(role, unit, council.id)])


# -- definitions --------------------------------------------------------------------------


@pytest.mark.parametrize("council_id", sorted(presets()))
def test_every_preset_is_valid_against_the_published_schema_and_the_rules(council_id: str):
    data = yaml.safe_load(presets()[council_id])
    assert list(Draft202012Validator(schema()).iter_errors(data)) == []
    definition = read(presets()[council_id])
    assert definition.id == council_id == data["id"]


def test_the_same_definition_hashes_the_same_in_json_and_yaml():
    text = presets()["gemeente-voorbeeld"]
    as_json = json.dumps(yaml.safe_load(text), indent=1)
    assert read(as_json).rules.hash == GEMEENTE.rules.hash
    changed = text.replace("quorum: \"1/2\"", "quorum: \"3/5\"")
    assert read(changed).rules.hash != GEMEENTE.rules.hash


def refusal(text: str) -> str:
    with pytest.raises(InvalidDefinition) as err:
        read(text)
    return str(err.value)


CIO = presets()["cio-beraad"]


@pytest.mark.parametrize("change,expected", [
    (("rule: CONSENSUS", "rule: UNANIMOUS"),
     "procedure.vote.rule: 'UNANIMOUS' is not one of CONSENSUS, MAJORITY, QUALIFIED_MAJORITY"),
    (("window: P10D", "window: 10 days"), "procedure.advice.window: '10 days' is not an ISO-8601"),
    (("privacy: true,", "privacy: true, colour: red,"), "roles[1].colour: unknown key"),
    (("quorum: \"2/3\"", "quorum: \"3/2\""), "procedure.vote.quorum: must satisfy 0 < share <= 1"),
    (("quorum: \"2/3\"", "quorum: 0"), "procedure.vote.quorum"),
    (("kind: CHAIR", "kind: MEMBER"), "roles: needs exactly one MEMBER role"),
    (("{code: CDO,", "{code: CPO,"), "roles[2].code: 'CPO' is defined twice"),
    (("{code: CDO, kind: ADVISOR, seats: unit,", "{code: CDO, kind: ADVISOR, seats: unit, "
      "privacy: true,"), "roles: at most one role gives the privacy advice"),
    (("window: P7D, rule", "window: P400D, rule"),
     "procedure.vote.window: lies outside procedure.windowBounds"),
    (("rule: CONSENSUS", "rule: QUALIFIED_MAJORITY"),
     "procedure.vote.threshold: is required by QUALIFIED_MAJORITY"),
    (("id: cio-beraad", "id: CIO Beraad"), "id:"),
    (("  mandate: {window: P5D}\n", ""), "procedure.mandate: is required"),
])
def test_an_invalid_definition_is_refused_with_the_path_of_its_first_problem(change, expected):
    old, new = change
    assert old in CIO
    assert refusal(CIO.replace(old, new, 1)).startswith(expected)


def test_text_that_is_no_definition_is_refused_plainly():
    assert refusal("[1").startswith("not YAML or JSON")
    assert refusal("- just a list") == "a definition is a mapping (id, version, name, …)"
    assert refusal("x" * 200_000).startswith("a definition is at most")


def test_the_cio_beraad_preset_is_the_procedure_that_was_code():
    cio = preset("cio-beraad")
    p = cio.procedure
    assert (p.advice_window_seconds, p.deliberation_window_seconds, p.vote_window_seconds,
            p.mandate_window_seconds) == (10 * 86400, 14 * 86400, 7 * 86400, 5 * 86400)
    assert p.quorum == pytest.approx(2 / 3) and p.vote_rule.value == "CONSENSUS"
    assert [(r.code, r.kind.value) for r in cio.rules.roles] == [
        ("CIO", "MEMBER"), ("CPO", "ADVISOR"), ("CDO", "ADVISOR"), ("CTO", "ADVISOR"),
        ("CIO_RIJK", "CHAIR"), ("SECRETARIAT", "SECRETARIAT")]
    assert cio.rules.privacy.code == "CPO" and cio.units is None and cio.frameworks


def test_the_legacy_council_preset_is_never_edited_in_place():
    """Issues from before councils were data keep to this text, and every database holds
    it as version 2026-01-01: a change is a new version (a new file or a procedure
    change), never an edit of this one."""
    legacy = preset("cio-beraad")
    assert (legacy.version, legacy.rules.hash) == (
        "2026-01-01", "c4856cf759dc67b8fa7d43af39a6ddd1d37ab3e8f0eea296fd8422c26650cdc7")


# -- the municipality: council-wide advisors, no deliberation, a majority -----------------

GS = person(GEMEENTE.rules, "GS")
FG = person(GEMEENTE.rules, "FG")
GEMEENTE_REGISTER = Register(UNITS, [Seat(None, "FG"), Seat(None, "CISO"), Seat(None, "ARCH")])


def gemeente_issue(privacy: bool = True, by: Actor = GS) -> Cycle:
    cycle = Cycle.raised(RaiseIssueInput(
        "g1", by, "Zaaksysteem", "Eén zaaksysteem", Scope.GOVERNMENT_WIDE, None, privacy,
        GEMEENTE.procedure, council=GEMEENTE.rules), T0)
    cycle.start(by, T0, GEMEENTE_REGISTER)
    return cycle


def test_the_council_wide_fg_is_the_privacy_precondition():
    cycle = gemeente_issue()
    assert {(s.ministry, s.role) for s in cycle.state.advisory_seats} == {
        (None, "FG"), (None, "CISO"), (None, "ARCH")}
    refused = rejected(RejectionCode.PRECONDITION_FAILED, cycle.check_close_phase,
                       ClosePhaseInput(GS))
    assert "(FG)" in refused.message
    cycle.submit_advice(SubmitAdviceInput(FG, AdviceStance.SUPPORT, "Akkoord met DPIA"), at(1),
                        GEMEENTE_REGISTER)
    # No deliberation: closing the advice opens the vote for every directorate.
    events = cycle.close_phase(ClosePhaseInput(GS), at(2), GEMEENTE_REGISTER)
    assert cycle.state.phase == Phase.VOTING and cycle.state.members == sorted(UNITS)
    assert kinds(events) == ["PHASE_CHANGED"]


def vote(cycle: Cycle, council: CouncilRules, unit: str, choice: VoteChoice, when: int):
    reason = "Bezwaar" if choice == VoteChoice.OBJECT else None
    member = council.member.code
    return cycle.cast_vote(CastVoteInput(person(council, member, unit), choice, reason), at(when))


def test_three_agree_and_two_object_adopts_by_majority():
    cycle = gemeente_issue()
    cycle.submit_advice(SubmitAdviceInput(FG, AdviceStance.SUPPORT, "Goed"), at(1),
                        GEMEENTE_REGISTER)
    cycle.close_phase(ClosePhaseInput(GS), at(2), GEMEENTE_REGISTER)
    choices = [VoteChoice.AGREE] * 3 + [VoteChoice.OBJECT] * 2
    for i, (unit, choice) in enumerate(zip(UNITS, choices, strict=True)):
        events = vote(cycle, GEMEENTE.rules, unit, choice, 10 + i)
    assert kinds(events) == ["VOTE_CAST", "DECIDED"]
    decision = cycle.state.decision
    assert (decision.route, decision.outcome) == (DecisionRoute.MAJORITY, DecisionOutcome.ADOPTED)
    assert "3 eens, 2 bezwaar" in decision.motivation


def test_a_tie_is_rejected_and_below_the_quorum_the_chair_decides():
    cycle = gemeente_issue(privacy=False)
    cycle.close_phase(ClosePhaseInput(GS), at(1), GEMEENTE_REGISTER)
    vote(cycle, GEMEENTE.rules, "VS-BSD", VoteChoice.AGREE, 2)
    vote(cycle, GEMEENTE.rules, "VS-RO", VoteChoice.OBJECT, 3)
    vote(cycle, GEMEENTE.rules, "VS-SD", VoteChoice.ABSTAIN, 4)  # 3 of 5 voted: quorum met
    cycle.close_phase(ClosePhaseInput(GS), at(5), GEMEENTE_REGISTER)
    assert (cycle.state.decision.route, cycle.state.decision.outcome) == (
        DecisionRoute.MAJORITY, DecisionOutcome.REJECTED)

    short = gemeente_issue(privacy=False)
    short.close_phase(ClosePhaseInput(GS), at(1), GEMEENTE_REGISTER)
    vote(short, GEMEENTE.rules, "VS-BSD", VoteChoice.AGREE, 2)  # 1 of 5: below 1/2
    events = short.on_deadline(at(10**7), None)
    assert kinds(events) == ["NO_CONSENSUS"] and short.state.phase == Phase.MANDATE
    assert "de gemeentesecretaris besluit" in events[0].summary
    rejected(RejectionCode.FORBIDDEN, short.check_decide,
             DecideInput(person(GEMEENTE.rules, "IM", "VS-BSD"), DecisionOutcome.ADOPTED, "Ik"))
    short.decide(DecideInput(GS, DecisionOutcome.ADOPTED, "Besloten"), at(10**7 + 1))
    assert short.state.decision.route == DecisionRoute.MANDATE


def test_operators_read_the_municipality_in_its_own_words():
    """The Temporal UI's details and timer summary name the council's phases, scopes and
    roles (not the CIO-beraad's)."""
    cycle = gemeente_issue()
    shown = details(cycle.state)
    assert "— Informatieberaad Gemeente Voorbeeldstad, gemeentebreed; fase **advies**" in shown
    assert "Wacht op: FG, CISO, ARCH" in shown or "Wacht op: ARCH, CISO, FG" in shown
    assert "Termijn: 7 maart 2026 10:00" in shown  # 5 days after 2 March 09:00 UTC, in CET
    cycle.submit_advice(SubmitAdviceInput(FG, AdviceStance.SUPPORT, "Goed"), at(1),
                        GEMEENTE_REGISTER)
    cycle.close_phase(ClosePhaseInput(GS), at(2), GEMEENTE_REGISTER)
    assert "Wacht op: IM VS-BSD, IM VS-BV, IM VS-FIN, IM VS-RO, IM VS-SD" in details(cycle.state)
    for i, unit in enumerate(UNITS):
        vote(cycle, GEMEENTE.rules, unit, VoteChoice.AGREE, 10 + i)
    assert "Besluit: aangenomen (stemming)" in details(cycle.state)


def test_a_seat_of_another_council_counts_for_nothing_here():
    """The CIO-beraad's CIO of a ministry holds no seat in the municipality's council, even
    where the codes would match."""
    cycle = gemeente_issue(privacy=False)
    stranger = Actor("x", "X", [Appointment("GS", None, "cio-beraad")])
    rejected(RejectionCode.FORBIDDEN, cycle.check_close_phase, ClosePhaseInput(stranger))


# -- the company board: a qualified majority ----------------------------------------------


def board_voting() -> Cycle:
    cto = person(BOARD.rules, "CTO")
    units = [u.code for u in BOARD.units]
    cycle = Cycle.raised(RaiseIssueInput(
        "b1", cto, "Event streaming", "Kafka als standaard", Scope.GOVERNMENT_WIDE, None, False,
        BOARD.procedure, council=BOARD.rules), T0)
    cycle.start(cto, T0, Register(units, []))
    cycle.close_phase(ClosePhaseInput(cto), at(1), Register(units, []))
    cycle.close_phase(ClosePhaseInput(cto), at(2), Register(units, []))
    assert cycle.state.phase == Phase.VOTING
    return cycle


@pytest.mark.parametrize("agree,object_,outcome", [
    (4, 2, DecisionOutcome.ADOPTED),   # 4/6 = 2/3: exactly the threshold
    (3, 3, DecisionOutcome.REJECTED),
    (5, 1, DecisionOutcome.ADOPTED),
])
def test_a_qualified_majority_needs_two_thirds_of_the_votes_for_or_against(
        agree: int, object_: int, outcome: DecisionOutcome):
    cycle = board_voting()
    units = [u.code for u in BOARD.units]
    choices = [VoteChoice.AGREE] * agree + [VoteChoice.OBJECT] * object_
    for i, (unit, choice) in enumerate(zip(units, choices, strict=True)):
        vote(cycle, BOARD.rules, unit, choice, 10 + i)
    assert cycle.state.phase == Phase.DECIDED
    assert cycle.state.decision.outcome == outcome


# -- the hostile and the careless author ----------------------------------------------------

BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n")


@pytest.mark.parametrize("text,expected", [
    ("[" * 40_000, "nested deeper than 20 levels"),
    ("a: [1, 2", "not YAML or JSON"),
    (CIO.replace("name: {nl: CIO-beraad Rijksdienst", "name: {nl: *x", 1), "anchors and aliases"),
    (CIO.replace("version: \"2026-01-01\"", "version: &v \"2026-01-01\"\nextra: *v", 1),
     "anchors and aliases"),
    (CIO + BOMB, "anchors and aliases"),
    (CIO.replace("quorum: \"2/3\"", "quorum: \"" + "9" * 5000 + "/" + "9" * 5001 + "\""),
     "procedure.vote.quorum"),
    (CIO.replace("max: P365D", "max: P99999999999999Y"), "procedure.windowBounds.max"),
    (CIO.replace("window: P7D, rule", "window: P9999999999999999999D, rule"),
     "procedure.vote.window"),
])
def test_hostile_text_is_refused_plainly_and_fast(text: str, expected: str):
    """Nesting that would exhaust the parser's stack, aliases that multiply on reading,
    numbers past what Python converts, windows past any calendar: each an InvalidDefinition,
    never a crash of the request or a deadline the workflow cannot compute."""
    assert expected in refusal(text)
