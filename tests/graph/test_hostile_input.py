"""Hostile and careless input over HTTP: refused at the edge with a typed answer that names
the field, nothing changed, and the issue still moves on."""

from __future__ import annotations

from tests.graph.operations import (
    CONTRIBUTE,
    RAISE,
    READ,
    RESULT,
    government_wide,
    ok,
    refused,
)
from tests.helpers import GraphQL

CLOSE_NAMED = RESULT + """mutation($id: ID!, $phase: Phase) {
  closePhase(issueId: $id, phase: $phase) { ...Result } }"""


async def test_a_lone_surrogate_is_refused_naming_the_field_and_the_issue_moves_on(
    gql: GraphQL, store
):
    issue = await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                     "cio-rijk")
    await ok(gql, CLOSE_NAMED, {"id": issue["id"], "phase": "ADVICE"}, "cio-rijk")
    answer = await refused(gql, CONTRIBUTE, {"input": {"issueId": issue["id"],
                                                       "text": "x\ud800"}}, "cio-bzk")
    assert answer["code"] == "INVALID_INPUT"
    assert answer["message"].startswith("input.text ")
    stored = await store.issues.get(issue["id"])
    assert (stored.last_seq, stored.contributions) == (2, [])
    # The chair is not held up: close and decide within the same request budget.
    for phase in ("DELIBERATION", "VOTING"):
        await ok(gql, CLOSE_NAMED, {"id": issue["id"], "phase": phase}, "cio-rijk")
    decided = await ok(gql, RESULT + """mutation($input: DecideInput!) {
        decide(input: $input) { ...Result } }""", {"input": {
        "issueId": issue["id"], "outcome": "REJECTED", "motivation": "Geen draagvlak"}},
        "cio-rijk")
    assert decided["phase"] == "DECIDED"


async def test_bad_text_in_a_raise_raises_nothing(gql: GraphQL, store):
    before = await store.db["issues"].count_documents({})
    for field, value in [("title", "Cloud\x00"), ("proposal", "\udfff"),
                         ("title", "x" * 201), ("topics", ["ok", "\x1b[31m"])]:
        answer = await refused(gql, RAISE, {"input": government_wide(**{field: value})},
                               "cio-rijk")
        assert answer["code"] == "INVALID_INPUT"
        assert answer["message"].startswith(f"input.{field}"), answer
    assert await store.db["issues"].count_documents({}) == before


async def test_bad_text_in_a_query_argument_is_a_typed_error(gql: GraphQL):
    for value in ("\ud800", "x" * 5_000, "a\x00"):
        body = await gql.raw(READ, {"id": value})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
        assert body["errors"][0]["message"].startswith("id ")


async def test_a_double_click_on_close_closes_one_phase(gql: GraphQL):
    issue = await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                     "cio-rijk")
    first = await ok(gql, CLOSE_NAMED, {"id": issue["id"], "phase": "ADVICE"}, "cio-rijk")
    assert first["phase"] == "DELIBERATION"
    again = await refused(gql, CLOSE_NAMED, {"id": issue["id"], "phase": "ADVICE"},
                          "cio-rijk")
    assert again["code"] == "WRONG_PHASE"
    read = await gql(READ, {"id": issue["id"]}, as_="cio-rijk")
    assert read["issue"]["phase"] == "DELIBERATION"
    assert [e["kind"] for e in read["issue"]["timeline"]] == ["RAISED", "PHASE_CHANGED"]
