"""The read cache: a repeated read costs no database round trip, a mutation is read back at
once, and a change made elsewhere (a timer in the worker) clears it through the events."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from services.graph.issues import queries
from services.graph.trusted import document_id
from services.settings import Settings
from tests.helpers import MINISTRIES, CommandCounter, GraphQL, eventually, running_api

READ = "query($id: ID!) { issue(id: $id) { phase lastSeq tally { agree } } }"
RAISE = """mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  ... on Issue { id } } }"""
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { __typename } }"
VOTE = """mutation($id: ID!) { castVote(input: {issueId: $id, choice: AGREE}) {
  ... on Issue { lastSeq } } }"""


async def raise_issue(gql: GraphQL, **procedure: int) -> str:
    data = await gql(RAISE, {"input": {"title": "Cache", "proposal": "p",
                                       "scope": "GOVERNMENT_WIDE", "touchesPersonalData": False,
                                       "procedure": procedure or None}}, as_="cio-rijk")
    return data["raiseIssue"]["id"]


async def test_a_repeated_read_is_served_without_the_database(
    gql: GraphQL, command_counter: CommandCounter
):
    issue_id = await raise_issue(gql)
    first = await gql(READ, {"id": issue_id}, as_="cio-fin")
    command_counter.commands.clear()
    again = await gql(READ, {"id": issue_id}, as_="cio-fin")
    assert again == first
    assert command_counter.commands == []
    # Another caller has an entry of its own (visibility differs by caller).
    await gql(READ, {"id": issue_id})
    assert command_counter.commands != []


async def test_reads_follow_concurrent_writes(gql: GraphQL):
    issue_id = await raise_issue(gql)
    for _ in range(2):
        await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")
    stop = asyncio.Event()
    seen: list[int] = []

    async def reader() -> None:
        while not stop.is_set():
            seen.append((await gql(READ, {"id": issue_id}, as_="cio-bzk"))["issue"]["lastSeq"])

    readers = [asyncio.create_task(reader()) for _ in range(4)]
    for ministry in MINISTRIES[:8]:
        written = (await gql(VOTE, {"id": issue_id}, as_=f"cio-{ministry.lower()}"))
        seq = written["castVote"]["lastSeq"]
        # The writer's next read sees its own write.
        assert (await gql(READ, {"id": issue_id}, as_="cio-bzk"))["issue"]["lastSeq"] >= seq
    stop.set()
    await asyncio.gather(*readers)
    final = (await gql(READ, {"id": issue_id}, as_="cio-bzk"))["issue"]
    assert final["tally"]["agree"] == 8 and final["lastSeq"] == 3 + 8
    assert seen and max(seen) <= final["lastSeq"]


async def test_a_timer_in_the_worker_clears_the_cache_through_the_events(gql: GraphQL):
    issue_id = await raise_issue(gql, adviceWindowSeconds=2)
    assert (await gql(READ, {"id": issue_id}, as_="cio-ocw"))["issue"]["phase"] == "ADVICE"
    read = await eventually(lambda: gql(READ, {"id": issue_id}, as_="cio-ocw"),
                            lambda d: d["issue"]["phase"] == "DELIBERATION", timeout=10)
    assert read["issue"]["lastSeq"] == 2


async def test_large_results_are_answered_but_not_kept(api_settings: Settings, store):
    counter = CommandCounter()
    settings = api_settings.model_copy(update={"read_cache_max_bytes": 1_000})
    async with running_api(settings, event_listeners=[counter]) as url:
        client = GraphQL(url, settings)
        try:
            small, large = "{ ministries { code } }", "{ ministries { code name officers { id } } }"
            for query, kept in ((small, True), (large, False)):
                await client(query)
                counter.commands.clear()
                await client(query)
                assert (counter.commands == []) is kept, query
        finally:
            await client.http.aclose()


async def test_the_cache_keys_on_the_trusted_document_that_runs(
    api_settings: Settings, store, tmp_path: Path
):
    """A caller sends a trusted document's hash beside another text: the answer is cached
    under the document that ran, so the text's own readers never get it."""
    board = "query Board { ministries { code } }"
    path = tmp_path / "trusted.json"
    path.write_text(json.dumps({document_id(board): board}))
    settings = api_settings.model_copy(update={"trusted_documents": path})
    async with running_api(settings) as url, httpx.AsyncClient() as http:
        other = "query Board { ministries { name } }"
        poisoned = await http.post(f"{url}/graphql", json={
            "query": other, "extensions": {"persistedQuery": {
                "version": 1, "sha256Hash": document_id(board)}}})
        assert "code" in poisoned.json()["data"]["ministries"][0]
        honest = await http.post(f"{url}/graphql", json={"query": other})
        assert set(honest.json()["data"]["ministries"][0]) == {"name"}


PAGE = "query($id: ID!) { issue(id: $id) { phase lastSeq } }"
ACTIONS = "query($id: ID!) { issue(id: $id) { myActions } }"
LIST = "{ issues(first: 5) { edges { node { id phase } } } }"


def reads_of_issues(counter: CommandCounter) -> list[str]:
    # Appointments are read with `aggregate`; issues, timelines and lists with `find`.
    return [c for c in counter.commands if c == "find"]


async def test_callers_who_see_the_same_share_one_entry(
    gql: GraphQL, command_counter: CommandCounter
):
    issue_id = await raise_issue(gql)
    first = await gql(PAGE, {"id": issue_id}, as_="cio-fin")
    command_counter.commands.clear()
    assert await gql(PAGE, {"id": issue_id}, as_="cio-bzk") == first  # another officer
    assert reads_of_issues(command_counter) == []


async def test_what_is_the_callers_own_is_never_shared(gql: GraphQL):
    issue_id = await raise_issue(gql)
    rijk = (await gql(ACTIONS, {"id": issue_id}, as_="cio-rijk"))["issue"]["myActions"]
    fin = (await gql(ACTIONS, {"id": issue_id}, as_="cio-fin"))["issue"]["myActions"]
    assert "CLOSE_PHASE" in rijk and "CLOSE_PHASE" not in fin
    me = "{ me { id } }"
    assert (await gql(me, as_="cio-fin"))["me"]["id"] == "cio-fin"
    assert (await gql(me, as_="cio-bzk"))["me"]["id"] == "cio-bzk"


async def test_an_event_from_another_api_drops_that_issue_and_the_lists_only(
    gql: GraphQL, command_counter: CommandCounter, api_settings: Settings
):
    kept, changed = await raise_issue(gql), await raise_issue(gql)
    for issue_id in (kept, changed):
        await gql(PAGE, {"id": issue_id}, as_="cio-fin")
    listed = await gql(LIST, as_="cio-fin")
    async with running_api(api_settings) as other:  # a second API process, its own cache
        elsewhere = GraphQL(other, gql.settings)
        try:
            await elsewhere(CLOSE, {"id": changed}, as_="cio-rijk")
        finally:
            await elsewhere.http.aclose()
    # This API hears of the event through its change stream.
    read = await eventually(lambda: gql(PAGE, {"id": changed}, as_="cio-fin"),
                            lambda d: d["issue"]["phase"] == "DELIBERATION")
    assert read["issue"]["lastSeq"] == 2
    command_counter.commands.clear()
    await gql(PAGE, {"id": kept}, as_="cio-fin")
    assert reads_of_issues(command_counter) == [], "another issue's event dropped this page"
    relisted = await gql(LIST, as_="cio-fin")
    assert reads_of_issues(command_counter) != [], "the list was not made anew"
    phases = {e["node"]["id"]: e["node"]["phase"] for e in relisted["issues"]["edges"]}
    assert phases[changed] == "DELIBERATION" and listed != relisted


async def test_the_same_read_at_once_is_made_once(gql: GraphQL, command_counter: CommandCounter):
    """Twelve officers open the board the moment an event empties the cache: the list is
    read from the database once, and everyone gets the same answer."""
    issue_id = await raise_issue(gql)  # empties what this API kept
    for ministry in MINISTRIES:  # known to this API: who sees what is read already
        await gql(PAGE, {"id": issue_id}, as_=f"cio-{ministry.lower()}")
    command_counter.commands.clear()
    await gql(LIST, as_="cio-az")
    alone = len(reads_of_issues(command_counter))
    await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")
    # Twelve open connections, so the twelve reads arrive together.
    await asyncio.gather(*(gql("{ __typename }") for _ in MINISTRIES))
    command_counter.commands.clear()
    answers = await asyncio.gather(*(gql(LIST, as_=f"cio-{m.lower()}") for m in MINISTRIES))
    assert len({json.dumps(a, sort_keys=True) for a in answers}) == 1
    assert len(reads_of_issues(command_counter)) == alone


async def test_readers_after_an_event_wait_for_the_read_running_not_beside_it(
    gql: GraphQL, monkeypatch
):
    """While votes arrive faster than a list is made, lists begun beside each other would
    each slow the others until none is ever kept: one at a time, and a reader who came
    after an event gets a list that holds it."""
    issue_id = await raise_issue(gql)
    for ministry in MINISTRIES:  # who sees what is read already
        await gql(PAGE, {"id": issue_id}, as_=f"cio-{ministry.lower()}")
    running, most, made = 0, 0, 0
    entered, release = asyncio.Event(), asyncio.Event()
    real = queries.issue_page

    async def slow_page(*args):
        nonlocal running, most, made
        running += 1
        made += 1
        most = max(most, running)
        try:
            if made == 1:  # the first list is held until the readers have come
                entered.set()
                await release.wait()
            return await real(*args)
        finally:
            running -= 1

    monkeypatch.setattr(queries, "issue_page", slow_page)
    await gql("{ __typename }")  # an open connection for each reader below
    first = asyncio.create_task(gql(LIST, as_="cio-az"))
    await asyncio.wait_for(entered.wait(), 30)
    await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")
    readers = [asyncio.create_task(gql(LIST, as_=f"cio-{m.lower()}")) for m in MINISTRIES]
    await asyncio.sleep(0.5)  # they arrive while the first list is still being made
    release.set()
    after = await asyncio.gather(*readers)
    await first
    assert most == 1 and made == 2
    for answer in after:
        phases = {e["node"]["id"]: e["node"]["phase"] for e in answer["issues"]["edges"]}
        assert phases[issue_id] == "DELIBERATION"
