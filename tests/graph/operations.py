"""The API's operations as the procedure tests send them, and small helpers around them."""

from __future__ import annotations

from tests.helpers import GraphQL

ISSUE = """
fragment IssueFields on Issue {
  id title proposal proposalVersion scope phase phaseDeadline workflowId
  touchesPersonalData bindingFramework topics
  ministry { code } raisedBy { id name }
  procedure { adviceWindowSeconds deliberationWindowSeconds voteWindowSeconds
              mandateWindowSeconds quorum }
  advice { role stance text officer { role ministry { code } person { id } } }
  contributions { text author { id } ministry { code } }
  votes { ministry { code } voter { id } choice reason }
  tally { agree abstain object notVoted eligible }
  decision { route outcome motivation decidedBy { id } binding }
  timeline { seq kind phase actor { id } summary }
}
"""
RESULT = ISSUE + "fragment Result on IssueResult { __typename ...IssueFields " \
    "... on Rejected { code message } }"

RAISE = RESULT + "mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) { ...Result } }"
ADVISE = RESULT + "mutation($input: SubmitAdviceInput!) { submitAdvice(input: $input) { ...Result } }"
CONTRIBUTE = RESULT + "mutation($input: ContributeInput!) { contribute(input: $input) { ...Result } }"
AMEND = RESULT + "mutation($input: AmendProposalInput!) { amendProposal(input: $input) { ...Result } }"
VOTE = RESULT + "mutation($input: CastVoteInput!) { castVote(input: $input) { ...Result } }"
CLOSE = RESULT + "mutation($id: ID!) { closePhase(issueId: $id) { ...Result } }"
DECIDE = RESULT + "mutation($input: DecideInput!) { decide(input: $input) { ...Result } }"
RECLASSIFY = RESULT + "mutation($input: ReclassifyInput!) { reclassify(input: $input) { ...Result } }"
WITHDRAW = RESULT + "mutation($input: WithdrawInput!) { withdrawIssue(input: $input) { ...Result } }"
READ = ISSUE + "query($id: ID!) { issue(id: $id) { ...IssueFields } }"


def government_wide(**overrides) -> dict:
    return {
        "title": "Generatieve AI in de Rijksdienst",
        "proposal": "Rijksbrede kaders voor generatieve AI.",
        "scope": "GOVERNMENT_WIDE",
        "touchesPersonalData": True,
        "topics": ["ai"],
        "bindingFramework": True,
        "procedure": {"adviceWindowSeconds": 3600, "deliberationWindowSeconds": 3600,
                      "voteWindowSeconds": 3600, "mandateWindowSeconds": 3600},
        **overrides,
    }


async def ok(gql: GraphQL, mutation: str, variables: dict, as_: str) -> dict:
    data = await gql(mutation, variables, as_=as_)
    result = next(iter(data.values()))
    assert result["__typename"] == "Issue", result
    return result


async def refused(gql: GraphQL, mutation: str, variables: dict, as_: str | None) -> dict:
    data = await gql(mutation, variables, as_=as_)
    result = next(iter(data.values()))
    assert result["__typename"] == "Rejected", result
    return result


async def timeline_of(gql: GraphQL, issue_id: str) -> list[dict]:
    return (await gql(READ, {"id": issue_id}, as_="cio-rijk"))["issue"]["timeline"]
