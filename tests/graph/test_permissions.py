"""The permission matrix: every mutation × every role × every phase, through the API.

The expected outcome is written out below from DESIGN.md's procedure, by hand, not derived
from the code under test. An allowed call runs on an issue of its own; every refused call
runs on one probe issue per phase, whose state must not change.
"""

from __future__ import annotations

import uuid

import pytest

from tests.helpers import GraphQL

OWNER = "cio-bzk"  # raised the issue; CIO of its ministry
ROLES = {
    "owner": OWNER, "other CIO": "cio-fin", "CPO": "cpo-bzk", "CDO": "cdo-bzk",
    "CTO": "cto-bzk", "CIO Rijk": "cio-rijk", "secretariat": "secretariaat", "anonymous": None,
}
OK = "OK"
PHASES = ["ADVICE", "DELIBERATION", "VOTING", "MANDATE", "DEPARTMENTAL_DECISION", "DECIDED",
          "WITHDRAWN"]


def expected(mutation: str, phase: str, role: str) -> str:
    if role == "anonymous":
        return "UNAUTHENTICATED"
    if phase in ("DECIDED", "WITHDRAWN"):
        return "WRONG_PHASE"
    advisor = role in ("CPO", "CDO", "CTO")
    allowed_in = {
        "submitAdvice": ({"ADVICE"}, advisor),
        "contribute": ({"DELIBERATION"}, role in ("owner", "other CIO", "CIO Rijk")),
        "amendProposal": ({"DELIBERATION"}, role == "owner"),
        "castVote": ({"VOTING"}, role in ("owner", "other CIO")),
        "closePhase": ({"ADVICE", "DELIBERATION", "VOTING"}, role == "CIO Rijk"),
        "decide": ({"MANDATE", "DEPARTMENTAL_DECISION"},
                   role == ("CIO Rijk" if phase == "MANDATE" else "owner")),
        "reclassify": (set(PHASES[:5]), role == "CIO Rijk"),
        "withdrawIssue": (set(PHASES[:5]), role in ("owner", "CIO Rijk")),
    }
    phases, permitted = allowed_in[mutation]
    if phase not in phases:
        return "WRONG_PHASE"
    return OK if permitted else "FORBIDDEN"


MUTATIONS = {
    "submitAdvice": ("SubmitAdviceInput", lambda i, p: {"issueId": i, "stance": "SUPPORT",
                                                        "text": "Advies"}),
    "contribute": ("ContributeInput", lambda i, p: {"issueId": i, "text": "Bijdrage"}),
    "amendProposal": ("AmendProposalInput", lambda i, p: {
        "issueId": i, "proposal": f"Gewijzigd {uuid.uuid4().hex}"}),
    "castVote": ("CastVoteInput", lambda i, p: {"issueId": i, "choice": "ABSTAIN"}),
    "closePhase": (None, None),
    "decide": ("DecideInput", lambda i, p: {"issueId": i, "outcome": "ADOPTED",
                                            "motivation": "Besloten"}),
    "reclassify": ("ReclassifyInput", lambda i, p: {
        "issueId": i, "reason": "Herindeling", "ministry": "BZK",
        "scope": "GOVERNMENT_WIDE" if p == "DEPARTMENTAL_DECISION" else "DEPARTMENTAL"}),
    "withdrawIssue": ("WithdrawInput", lambda i, p: {"issueId": i, "reason": "Niet nodig"}),
}
STATE = """query($id: ID!) { issue(id: $id) { phase scope proposal proposalVersion decision { route }
  tally { agree abstain object } timeline { seq kind } } }"""


async def call(gql: GraphQL, mutation: str, issue_id: str, phase: str, person: str | None
               ) -> str:
    input_type, build = MUTATIONS[mutation]
    selection = "{ __typename ... on Rejected { code message } }"
    if input_type is None:
        document = f"mutation($id: ID!) {{ {mutation}(issueId: $id) {selection} }}"
        variables = {"id": issue_id}
    else:
        document = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {selection} }}"
        variables = {"input": build(issue_id, phase)}
    headers = {"Authorization": f"Bearer {gql.token(person)}"} if person else {}
    body = await gql.raw(document, variables, headers)
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    result = body["data"][mutation]
    return OK if result["__typename"] == "Issue" else result["code"]


async def issue_in(gql: GraphQL, phase: str) -> str:
    """A fresh issue of OWNER's, brought to `phase` through the API."""
    departmental = phase == "DEPARTMENTAL_DECISION"
    raised = await gql("""mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
        ... on Issue { id } } }""", {"input": {
        "title": f"Matrix {phase}", "proposal": "Voorstel", "ministry": "BZK",
        "scope": "DEPARTMENTAL" if departmental else "GOVERNMENT_WIDE",
        "touchesPersonalData": False}}, as_=OWNER)
    issue_id = raised["raiseIssue"]["id"]

    async def run(mutation: str, person: str) -> None:
        outcome = await call(gql, mutation, issue_id, phase, person)
        assert outcome == OK, (mutation, phase, outcome)

    if departmental:
        await run("closePhase", OWNER)
        return issue_id
    if phase == "WITHDRAWN":
        await run("withdrawIssue", OWNER)
        return issue_id
    steps = PHASES.index(phase) if phase != "DECIDED" else 3
    for _ in range(min(steps, 2)):
        await run("closePhase", "cio-rijk")
    if steps >= 3:
        vote = await gql("""mutation($id: ID!) { castVote(input: {issueId: $id, choice: OBJECT,
            reason: "Nee"}) { __typename } }""", {"id": issue_id}, as_="cio-fin")
        assert vote["castVote"]["__typename"] == "Issue"
        await run("closePhase", "cio-rijk")
    if phase == "DECIDED":
        await run("decide", "cio-rijk")
    return issue_id


@pytest.mark.parametrize("phase", PHASES)
async def test_every_mutation_and_role_in(phase: str, gql: GraphQL):
    probe = await issue_in(gql, phase)
    before = await gql(STATE, {"id": probe}, as_="cio-rijk")
    assert before["issue"]["phase"] == phase
    outcomes, wanted = {}, {}
    for mutation in MUTATIONS:
        for role, person in ROLES.items():
            wanted[(mutation, role)] = expected(mutation, phase, role)
            target = await issue_in(gql, phase) if wanted[(mutation, role)] == OK else probe
            outcomes[(mutation, role)] = await call(gql, mutation, target, phase, person)
    mismatches = {k: (outcomes[k], wanted[k]) for k in wanted if outcomes[k] != wanted[k]}
    assert mismatches == {}
    assert await gql(STATE, {"id": probe}, as_="cio-rijk") == before, "a refusal changed state"
    assert list(wanted.values()).count(OK) >= 1 or phase in ("DECIDED", "WITHDRAWN")
