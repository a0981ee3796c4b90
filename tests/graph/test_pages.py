"""Lists mended from the issues an event touched (services.graph.pages): whatever happens
to the issues, the cached API answers every list exactly as an API without any cache
reading the database, and a vote costs the next list one issue read, not a page."""

from __future__ import annotations

import asyncio
import json
import os

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from temporalio.client import Client

from services.settings import Settings
from services.store.issues import IssueRepository
from tests.helpers import GraphQL, isolated_api, running_api

EXAMPLES = int(os.environ.get("STELSEL_PAGES_EXAMPLES", "12"))
RESULT = "__typename ... on Rejected { code } ... on Issue { id phase }"
RAISE = ("mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) { " + RESULT
         + " } }")
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { " + RESULT + " } }"
VOTE = ("mutation($id: ID!, $choice: VoteChoice!) { castVote(input: {issueId: $id, "
        "choice: $choice}) { " + RESULT + " } }")
NODE = "id phase lastSeq tally { agree object } proposalVersion"
LISTS = {
    f"{name}: issues(first: {first}{where}) {{ pageInfo {{ hasNextPage }} edges {{ node "
    f"{{ {NODE} }} }} }}"
    for name, first, where in (
        ("newest", 3, ""), ("more", 8, ""),
        ("advice", 2, ", filter: {phase: ADVICE}"),
        ("deliberation", 2, ", filter: {phase: DELIBERATION}"),
        ("voting", 3, ", filter: {phase: VOTING}"),
        ("wide", 4, ", filter: {scope: GOVERNMENT_WIDE}"),
    )
}
READ = "{ " + " ".join(LISTS) + " }"
VOTERS = ("cio-bzk", "cio-fin", "cio-az")


def compare(cached: str, uncached: str, tokens: dict[str, str]) -> None:
    http = httpx.Client(timeout=30)
    issues: list[str] = []

    def send(url: str, query: str, variables: dict | None, person: str | None) -> dict:
        headers = {"Authorization": f"Bearer {tokens[person]}"} if person else {}
        body = http.post(f"{url}/graphql", json={"query": query, "variables": variables},
                         headers=headers).json()
        assert "errors" not in body, body
        return body["data"]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(steps=st.lists(st.tuples(st.sampled_from(["raise", "close", "vote", "vote"]),
                                    st.integers(0, 20), st.booleans()),
                          min_size=1, max_size=6))
    def run(steps: list[tuple[str, int, bool]]) -> None:
        for action, pick, flag in steps:
            # Read first, so each change below mends lists that are kept.
            send(cached, READ, None, "cio-fin" if flag else None)
            if action == "raise" or not issues:
                data = send(cached, RAISE, {"input": {
                    "title": "Lijst", "proposal": "p", "touchesPersonalData": False,
                    "scope": "GOVERNMENT_WIDE"}}, "cio-rijk")
                issues.append(data["raiseIssue"]["id"])
            elif action == "close":
                send(cached, CLOSE, {"id": issues[pick % len(issues)]}, "cio-rijk")
            else:
                send(cached, VOTE, {"id": issues[pick % len(issues)],
                                    "choice": "AGREE" if flag else "OBJECT"},
                     VOTERS[pick % len(VOTERS)])
            for person in (None, "cio-fin"):
                kept, truth = (send(url, READ, None, person) for url in (cached, uncached))
                assert kept == truth, json.dumps({"kept": kept, "truth": truth})

    run()
    http.close()


async def test_mended_lists_answer_as_the_database_does(
    api_settings: Settings, gql: GraphQL, temporal_client: Client
):
    tokens = {p: gql.token(p) for p in ("cio-rijk", "cio-fin", *VOTERS)}
    async with isolated_api(api_settings, temporal_client, "pages") as (url, _, own):
        async with running_api(own.model_copy(update={"read_cache": False})) as uncached:
            await asyncio.to_thread(compare, url, uncached, tokens)


async def test_a_vote_costs_the_next_list_one_issue_not_a_page(
    api_settings: Settings, gql: GraphQL, temporal_client: Client, monkeypatch
):
    pages, by_id = [], []
    real_page, real_by_id = IssueRepository.page, IssueRepository.by_id

    async def page(self, *args):
        pages.append(args)
        return await real_page(self, *args)

    async def issues_by_id(self, ids):
        by_id.append(list(ids))
        return await real_by_id(self, ids)

    monkeypatch.setattr(IssueRepository, "page", page)
    monkeypatch.setattr(IssueRepository, "by_id", issues_by_id)
    async with isolated_api(api_settings, temporal_client, "pages_cost") as (url, _, own):
        client = GraphQL(url, own)
        listed = []
        for _ in range(3):
            raised = await client(RAISE, {"input": {
                "title": "Kosten", "proposal": "p", "touchesPersonalData": False,
                "scope": "GOVERNMENT_WIDE"}}, as_="cio-rijk")
            listed.append(raised["raiseIssue"]["id"])
        for _ in range(2):
            await client(CLOSE, {"id": listed[0]}, as_="cio-rijk")
        await client(READ, as_="cio-fin")
        await client(READ)  # the public's lists are kept too
        pages.clear(), by_id.clear()
        await client(VOTE, {"id": listed[0], "choice": "AGREE"}, as_="cio-bzk")
        # An officer and the public at once: two results, one read of the issue.
        after, _ = await asyncio.gather(client(READ, as_="cio-fin"), client(READ))
        assert pages == [] and by_id == [[listed[0]]]
        voting = after["voting"]["edges"][0]["node"]
        assert voting["id"] == listed[0] and voting["tally"]["agree"] == 1
        # A new issue enters the newest lists: they are read anew.
        await client(RAISE, {"input": {"title": "Nieuw", "proposal": "p",
                                       "touchesPersonalData": False,
                                       "scope": "GOVERNMENT_WIDE"}}, as_="cio-rijk")
        pages.clear()
        fresh = await client(READ, as_="cio-fin")
        assert pages, "a raised issue must be read into the newest lists"
        assert fresh["newest"]["edges"][0]["node"]["phase"] == "ADVICE"
        await client.http.aclose()
