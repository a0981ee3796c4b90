"""Permissions through the API, one smoke test per mutation: without a token it is
UNAUTHENTICATED, from a seat that may not it is FORBIDDEN, on a closed issue WRONG_PHASE,
and no refusal changes the issue. The whole matrix (every action × seat × phase) is a unit
test over the domain: tests/unit/test_permission_matrix.py."""

from __future__ import annotations

import uuid

import pytest

from tests.helpers import GraphQL

OWNER = "cio-bzk"  # raised the issue; CIO of its ministry
OK = "OK"
PHASES = ["ADVICE", "DELIBERATION", "VOTING", "MANDATE", "DEPARTMENTAL_DECISION", "DECIDED",
          "WITHDRAWN"]


# Each mutation: the phase it acts in, and a seat that may not.
SMOKE = {
    "submitAdvice": ("ADVICE", "cio-fin"),
    "contribute": ("DELIBERATION", "cpo-bzk"),
    "amendProposal": ("DELIBERATION", "cio-fin"),
    "castVote": ("VOTING", "cpo-bzk"),
    "closePhase": ("ADVICE", "cio-fin"),
    "decide": ("MANDATE", "cio-fin"),
    "reclassify": ("ADVICE", "cio-fin"),
    "withdrawIssue": ("ADVICE", "cio-fin"),
}


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


@pytest.mark.parametrize("mutation", list(SMOKE))
async def test_each_mutation_refuses_the_anonymous_and_the_unauthorised(mutation: str,
                                                                        gql: GraphQL):
    phase, outsider = SMOKE[mutation]
    issue_id = await issue_in(gql, phase)
    before = await gql(STATE, {"id": issue_id}, as_="cio-rijk")
    assert before["issue"]["phase"] == phase
    assert await call(gql, mutation, issue_id, phase, None) == "UNAUTHENTICATED"
    assert await call(gql, mutation, issue_id, phase, outsider) == "FORBIDDEN"
    assert await gql(STATE, {"id": issue_id}, as_="cio-rijk") == before


@pytest.mark.parametrize("phase", ["DECIDED", "WITHDRAWN"])
async def test_a_closed_issue_takes_no_mutation(phase: str, gql: GraphQL):
    """Its workflow has ended: the API answers from the record, for every mutation."""
    issue_id = await issue_in(gql, phase)
    before = await gql(STATE, {"id": issue_id}, as_="cio-rijk")
    outcomes = {m: await call(gql, m, issue_id, phase, "cio-rijk") for m in SMOKE}
    assert set(outcomes.values()) == {"WRONG_PHASE"}, outcomes
    assert await gql(STATE, {"id": issue_id}, as_="cio-rijk") == before
