"""The board's filters: part of the title, overdue, and what waits on the caller's seats
("wacht op mij"), each counted and paged by the server like any other list."""

from __future__ import annotations

import uuid

from tests.graph.operations import ADVISE, CLOSE, RAISE, government_wide, ok
from tests.helpers import GraphQL, eventually

LIST = """query($filter: IssueFilter) { issues(first: 100, filter: $filter) {
  totalCount edges { node { id title overdue } } } }"""


async def listed(gql: GraphQL, as_: str | None = None, **filter) -> list[str]:
    data = await gql(LIST, {"filter": filter}, as_=as_)
    page = data["issues"]
    assert page["totalCount"] == len(page["edges"])
    return [e["node"]["id"] for e in page["edges"]]


async def test_the_title_filter_matches_any_case_and_takes_its_text_literally(gql: GraphQL):
    mark = uuid.uuid4().hex[:8]
    pilot = await ok(gql, RAISE, {"input": government_wide(title=f"Cloud (pilot) [{mark}]")},
                     "cio-rijk")
    other = await ok(gql, RAISE, {"input": government_wide(title=f"AI-kader {mark}")},
                     "cio-rijk")
    assert await listed(gql, titleContains=f"(PILOT) [{mark}") == [pilot["id"]]
    assert await listed(gql, titleContains=mark) == [other["id"], pilot["id"]]
    assert await listed(gql, titleContains=f".*{mark}") == []  # not a pattern
    for bad in ("x" * 201, "\ud800"):
        body = await gql.raw(LIST, {"filter": {"titleContains": bad}})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


async def test_waiting_on_me_follows_each_seat_through_the_cycle(gql: GraphQL):
    mark = uuid.uuid4().hex[:8]
    first = await ok(gql, RAISE, {"input": government_wide(title=f"Eerste {mark}")}, "cio-rijk")
    second = await ok(gql, RAISE, {"input": government_wide(
        title=f"Tweede {mark}", touchesPersonalData=False)}, "cio-rijk")
    both = [second["id"], first["id"]]
    # Advice waits on the advisors, not on the members; the chair waits on nobody yet.
    assert await listed(gql, "cpo-bzk", waitingOnMe=True, titleContains=mark) == both
    assert await listed(gql, "cio-bzk", waitingOnMe=True, titleContains=mark) == []
    await ok(gql, ADVISE, {"input": {"issueId": first["id"], "stance": "SUPPORT",
                                     "text": "Met DPIA"}}, "cpo-bzk")
    assert await listed(gql, "cpo-bzk", waitingOnMe=True, titleContains=mark) == [second["id"]]
    # Closed to the deliberation: the chair closes it; then the vote waits on every member.
    await ok(gql, CLOSE, {"id": second["id"]}, "cio-rijk")
    assert await listed(gql, "cio-rijk", waitingOnMe=True, titleContains=mark) == [second["id"]]
    await ok(gql, CLOSE, {"id": second["id"]}, "cio-rijk")
    assert await listed(gql, "cio-bzk", waitingOnMe=True, titleContains=mark) == [second["id"]]
    await gql("""mutation($id: ID!) { castVote(input: {issueId: $id, choice: AGREE}) {
      __typename } }""", {"id": second["id"]}, as_="cio-bzk")
    assert await listed(gql, "cio-bzk", waitingOnMe=True, titleContains=mark) == []
    assert await listed(gql, "cio-fin", waitingOnMe=True, titleContains=mark) == [second["id"]]
    # The public waits on nothing, and is told why it cannot ask.
    body = await gql.raw(LIST, {"filter": {"waitingOnMe": True}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body


async def test_overdue_issues_are_found_by_the_filter(gql: GraphQL):
    mark = uuid.uuid4().hex[:8]
    second = {"adviceWindowSeconds": 1, "deliberationWindowSeconds": 1,
              "voteWindowSeconds": 1, "mandateWindowSeconds": 1}
    # Advice, deliberation and vote pass in a second each; then the mandate's runs out.
    late = await ok(gql, RAISE, {"input": government_wide(
        title=f"Te laat {mark}", touchesPersonalData=False, procedure=second)}, "cio-rijk")
    on_time = await ok(gql, RAISE, {"input": government_wide(title=f"Op tijd {mark}")},
                       "cio-rijk")
    await eventually(lambda: listed(gql, overdue=True, titleContains=mark),
                     lambda ids: ids == [late["id"]])
    assert await listed(gql, overdue=False, titleContains=mark) == [on_time["id"]]
    assert await listed(gql, "cio-rijk", waitingOnMe=True, titleContains=mark) == [late["id"]]
