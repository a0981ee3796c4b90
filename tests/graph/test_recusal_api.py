"""Recusal over HTTP: the seat steps aside, its vote goes, the quorum base shrinks; the
public reads that a seat recused, officers read who and why."""

from __future__ import annotations

from tests.graph.operations import CLOSE, RAISE, VOTE, government_wide, ok, refused
from tests.helpers import GraphQL

RECUSE = """mutation($input: RecuseInput!) { recuse(input: $input) {
  __typename ... on Issue { id tally { eligible recused notVoted object } }
  ... on Rejected { code message } } }"""
SEEN = """query($id: ID!) { issue(id: $id) {
  tally { eligible recused } myActions votes { ministry { code } }
  recusals { role reason ministry { code } person { id } }
  timeline { kind summary } } }"""


async def test_a_cio_recuses_and_the_vote_goes_on_without_the_seat(gql: GraphQL):
    raised = await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                      "cio-rijk")
    issue_id = raised["id"]
    for _ in range(2):
        await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")
    voted = await ok(gql, VOTE, {"input": {"issueId": issue_id, "choice": "OBJECT",
                                           "reason": "Te duur"}}, "cio-fin")
    eligible = voted["tally"]["eligible"]
    assert "RECUSE" in (await gql(SEEN, {"id": issue_id}, as_="cio-fin"))["issue"]["myActions"]

    request = {"input": {"issueId": issue_id, "reason": "Mijn dienst is de leverancier",
                         "idempotencyKey": "recuse-fin-1"}}
    first = (await gql(RECUSE, request, as_="cio-fin"))["recuse"]
    again = (await gql(RECUSE, request, as_="cio-fin"))["recuse"]  # a retry: answered once
    assert first["__typename"] == again["__typename"] == "Issue", first
    assert first["tally"] == {"eligible": eligible - 1, "recused": 1,
                              "notVoted": eligible - 1, "object": 0}
    twice = (await gql(RECUSE, {"input": {"issueId": issue_id, "reason": "Nog eens"}},
                       as_="cio-fin"))["recuse"]
    assert twice["code"] == "DUPLICATE"
    no_vote = await refused(gql, VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}},
                            "cio-fin")
    assert no_vote["code"] == "FORBIDDEN" and "recused" in no_vote["message"]

    officer = (await gql(SEEN, {"id": issue_id}, as_="cio-bzk"))["issue"]
    assert officer["recusals"] == [{"role": "CIO", "reason": "Mijn dienst is de leverancier",
                                    "ministry": {"code": "FIN"}, "person": {"id": "cio-fin"}}]
    assert officer["votes"] == []
    assert [e["kind"] for e in officer["timeline"]].count("RECUSED") == 1
    public = (await gql(SEEN, {"id": issue_id}, as_="publiek"))["issue"]
    assert public["tally"] == {"eligible": eligible - 1, "recused": 1}
    assert public["recusals"] == []
    recused = [e for e in public["timeline"] if e["kind"] == "RECUSED"]
    assert recused[0]["summary"] == "Een zetel verschoonde zich wegens belangenverstrengeling"
    assert "FIN" not in recused[0]["summary"]


async def test_only_a_seat_that_takes_part_recuses(gql: GraphQL):
    issue_id = (await ok(gql, RAISE, {"input": government_wide()}, "cio-rijk"))["id"]
    rijk = (await gql(RECUSE, {"input": {"issueId": issue_id, "reason": "Ik"}},
                      as_="cio-rijk"))["recuse"]
    assert rijk["code"] == "FORBIDDEN"
    empty = (await gql(RECUSE, {"input": {"issueId": issue_id, "reason": " "}},
                       as_="cio-bzk"))["recuse"]
    assert empty["code"] == "INVALID_INPUT"
    long = (await gql(RECUSE, {"input": {"issueId": issue_id, "reason": "x" * 20_000}},
                      as_="cio-bzk"))["recuse"]
    assert long["code"] == "INVALID_INPUT" and "reason" in long["message"]
