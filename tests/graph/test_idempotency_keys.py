"""Idempotency keys over HTTP: a client that resends after a lost response gets the first
answer, and the change happens once."""

from __future__ import annotations

from services.store.database import Store
from tests.graph.operations import (
    CLOSE,
    CONTRIBUTE,
    DECIDE,
    RAISE,
    VOTE,
    government_wide,
    ok,
    refused,
)
from tests.helpers import GraphQL

ISSUES_TITLED = """query($first: Int!) { issues(first: $first) { edges { node { id title } } } }"""


async def in_voting(gql: GraphQL, title: str) -> str:
    issue = await ok(gql, RAISE, {"input": government_wide(
        title=title, touchesPersonalData=False, bindingFramework=False)}, "cio-rijk")
    for _ in range(2):
        await ok(gql, CLOSE, {"id": issue["id"]}, "cio-rijk")
    return issue["id"]


async def test_a_raise_resent_with_its_key_raises_one_issue(gql: GraphQL):
    title = "Eén keer ingediend"
    raise_ = {"input": government_wide(title=title, idempotencyKey="raise-1")}
    first = await ok(gql, RAISE, raise_, "cio-rijk")
    again = await ok(gql, RAISE, raise_, "cio-rijk")
    assert again["id"] == first["id"]
    other = await ok(gql, RAISE, {"input": government_wide(title=title)}, "cio-rijk")
    assert other["id"] != first["id"]
    listed = (await gql(ISSUES_TITLED, {"first": 100}, as_="cio-rijk"))["issues"]["edges"]
    assert sorted(e["node"]["id"] for e in listed if e["node"]["title"] == title) == sorted(
        [first["id"], other["id"]])


async def test_a_vote_and_a_contribution_resent_with_their_keys_count_once(gql: GraphQL):
    issue_id = await in_voting(gql, "Stemmen met een sleutel")
    vote = {"input": {"issueId": issue_id, "choice": "AGREE", "idempotencyKey": "v-1"}}
    await ok(gql, VOTE, vote, "cio-bzk")
    again = await ok(gql, VOTE, vote, "cio-bzk")  # answered, not DUPLICATE
    assert [v["ministry"]["code"] for v in again["votes"]] == ["BZK"]
    # Without a key, the same vote again is refused as a duplicate, as before.
    unkeyed = {"input": {"issueId": issue_id, "choice": "AGREE"}}
    assert (await refused(gql, VOTE, unkeyed, "cio-bzk"))["code"] == "DUPLICATE"


async def test_keys_are_per_caller_and_contributions_count_per_key(gql: GraphQL):
    issue = await ok(gql, RAISE, {"input": government_wide(
        title="Bijdragen", touchesPersonalData=False)}, "cio-rijk")
    issue_id = issue["id"]
    await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")

    def contribution(text: str, key: str) -> dict:
        return {"input": {"issueId": issue_id, "text": text, "idempotencyKey": key}}

    await ok(gql, CONTRIBUTE, contribution("BZK eerst", "k"), "cio-bzk")
    await ok(gql, CONTRIBUTE, contribution("BZK eerst", "k"), "cio-bzk")
    await ok(gql, CONTRIBUTE, contribution("FIN met dezelfde sleutel", "k"), "cio-fin")
    last = await ok(gql, CONTRIBUTE, contribution("BZK daarna", "k2"), "cio-bzk")
    assert [c["text"] for c in last["contributions"]] == [
        "BZK eerst", "FIN met dezelfde sleutel", "BZK daarna"]


async def test_a_decision_resent_after_the_issue_closed_is_answered(gql: GraphQL):
    issue_id = await in_voting(gql, "Besluit met een sleutel")
    await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")  # no votes: to MANDATE
    decide = {"input": {"issueId": issue_id, "outcome": "ADOPTED",
                        "motivation": "Na mandaat.", "idempotencyKey": "besluit"}}
    first = await ok(gql, DECIDE, decide, "cio-rijk")
    assert first["phase"] == "DECIDED"
    again = await ok(gql, DECIDE, decide, "cio-rijk")
    assert again["decision"] == first["decision"]
    other_key = {"input": {**decide["input"], "idempotencyKey": "een-ander"}}
    assert (await refused(gql, DECIDE, other_key, "cio-rijk"))["code"] == "WRONG_PHASE"


async def test_a_bad_key_is_refused_and_changes_nothing(gql: GraphQL):
    issue_id = await in_voting(gql, "Slechte sleutels")
    for key in ("", "x" * 129, "regel\neinde"):
        vote = {"input": {"issueId": issue_id, "choice": "AGREE", "idempotencyKey": key}}
        assert (await refused(gql, VOTE, vote, "cio-bzk"))["code"] == "INVALID_INPUT"
    voted = await ok(gql, VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}}, "cio-bzk")
    assert len(voted["votes"]) == 1


async def test_a_refused_keyed_raise_reserves_nothing(gql: GraphQL, store: Store):
    raise_ = {"input": government_wide(title="", idempotencyKey="leeg-eerst")}
    before = await store.db["keyed_raises"].count_documents({})
    assert (await refused(gql, RAISE, raise_, "cio-rijk"))["code"] == "INVALID_INPUT"
    assert await store.db["keyed_raises"].count_documents({}) == before
    fixed = {"input": {**raise_["input"], "title": "Nu met titel"}}
    assert (await ok(gql, RAISE, fixed, "cio-rijk"))["title"] == "Nu met titel"
