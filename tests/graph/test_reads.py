"""Reads: the dated register, paging, filters, and round trips that do not grow with the
page size."""

from __future__ import annotations

import asyncio
import base64
import gc
import hashlib
import re
import weakref

import httpx

from services.graph import app as app_module
from services.settings import Settings
from tests.helpers import CommandCounter, GraphQL, running_api

RAISE = """mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  __typename ... on Issue { id } ... on Rejected { code message } } }"""
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { __typename } }"
VOTE = """mutation($id: ID!) { castVote(input: {issueId: $id, choice: AGREE}) {
  __typename } }"""
PAGE = """query($first: Int, $after: String, $filter: IssueFilter) {
  issues(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id title phase ministry { code name } raisedBy { id name }
            votes { ministry { code } voter { name } choice }
            tally { agree eligible } decision { route outcome } } } } }"""


async def raise_departmental(gql: GraphQL, ministry: str, title: str) -> str:
    data = await gql(RAISE, {"input": {"title": title, "proposal": "p", "scope": "DEPARTMENTAL",
                                       "ministry": ministry, "touchesPersonalData": False}},
                     as_=f"cio-{ministry.lower()}")
    assert data["raiseIssue"]["__typename"] == "Issue"
    return data["raiseIssue"]["id"]


UNITS = "{ code name abbreviation tooi observer }"


async def test_units_are_dated_and_keep_their_identity_through_a_rename(gql: GraphQL):
    now = {m["code"]: m for m in (await gql(f"{{ ministries {UNITS} }}"))["ministries"]}
    assert len(now) == 13 and now["Logius"]["observer"] is True
    assert sum(not m["observer"] for m in now.values()) == 12
    before = (await gql(f'{{ ministries(at: "2025-06-01T12:00:00+00:00") {UNITS} }}'))
    then = {m["code"]: m for m in before["ministries"]}
    assert len(then) == 16 and {"AenM", "KGG", "VRO"} <= set(then)
    # The rename: the same unit and TOOI identity, the name of its time.
    assert (then["EZK"]["name"], then["EZK"]["abbreviation"]) == ("Economische Zaken", "EZ")
    assert (now["EZK"]["name"], now["EZK"]["abbreviation"]) == (
        "Economische Zaken en Klimaat", "EZK")
    assert then["EZK"]["tooi"] == now["EZK"]["tooi"] == (
        "https://identifier.overheid.nl/tooi/id/ministerie/mnre1045")
    kgg = (await gql('{ ministry(code: "KGG") { validTo successor { code } tooi } }'))
    assert kgg["ministry"]["successor"]["code"] == "EZK"
    assert kgg["ministry"]["validTo"].startswith("2026-02-22T23:00:00")
    lvvn = (await gql('{ ministry(code: "LVVN") { name uncertain names { validTo } } }'))
    assert lvvn["ministry"]["name"] == "Landbouw, Visserij, Voedselzekerheid en Natuur"
    assert "Nieuwe Oogst" in lvvn["ministry"]["uncertain"]


async def test_paging_and_filters(gql: GraphQL):
    ids = [await raise_departmental(gql, "DEF", f"Defensie {i}") for i in range(3)]
    first = (await gql(PAGE, {"first": 2, "filter": {"ministry": "DEF"}}))["issues"]
    assert first["totalCount"] >= 3 and first["pageInfo"]["hasNextPage"]
    assert [e["node"]["id"] for e in first["edges"]] == ids[::-1][:2]
    rest = (await gql(PAGE, {"first": 2, "after": first["pageInfo"]["endCursor"],
                             "filter": {"ministry": "DEF"}}))["issues"]
    assert rest["edges"][0]["node"]["id"] == ids[0]
    advice = (await gql(PAGE, {"first": 100, "filter": {"phase": "ADVICE", "scope":
                                                        "DEPARTMENTAL"}}))["issues"]
    assert set(ids) <= {e["node"]["id"] for e in advice["edges"]}
    body = await gql.raw(PAGE, {"first": 1000})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_round_trips_do_not_grow_with_the_page_size(
    gql: GraphQL, command_counter: CommandCounter
):
    # A page of 50 from several ministries and raisers; the newest issue carries votes,
    # so pages of every size hold votes to resolve.
    for i in range(49):
        await raise_departmental(gql, ["AZ", "BZ", "IenW", "JenV"][i % 4], f"Zaak {i}")
    rijk = "cio-rijk"
    wide = await gql(RAISE, {"input": {"title": "Stemming", "proposal": "p",
                                       "scope": "GOVERNMENT_WIDE",
                                       "touchesPersonalData": False}}, as_=rijk)
    wide_id = wide["raiseIssue"]["id"]
    for _ in range(2):
        await gql(CLOSE, {"id": wide_id}, as_=rijk)
    for ministry in ("BZK", "FIN", "OCW"):
        await gql(VOTE, {"id": wide_id}, as_=f"cio-{ministry.lower()}")

    async def trips(first: int) -> int:
        command_counter.commands.clear()
        page = (await gql(PAGE, {"first": first}, as_="cio-fin"))["issues"]
        assert len(page["edges"]) == first
        return len(command_counter.commands)

    await gql("{ ministries { code } }", as_="cio-fin")  # the API knows the caller now
    small, large = await trips(5), await trips(50)
    assert small == large, (small, large, command_counter.commands)
    assert large <= 8, command_counter.commands


async def test_healthz_reports_every_dependency(gql: GraphQL, api: str):
    response = await gql.http.get(f"{api}/healthz")
    assert response.status_code == 200
    assert response.json() == {"api": "ok", "mongodb": "ok", "temporal": "ok"}


async def test_graphiql_is_served_in_development_with_its_assets_from_here(
    gql: GraphQL, api: str
):
    response = await gql.http.get(f"{api}/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()
    assert "unpkg" not in response.text and "https://" not in response.headers[
        "content-security-policy"]
    # Each asset is served here, byte for byte what the page's integrity hash names.
    assets = re.findall(r'(?:src|href)="(/assets/graphiql/[^"]+)"\s+integrity="sha384-([^"]+)"',
                        response.text)
    assert len(assets) == 7, assets
    for path, digest in assets:
        served = await gql.http.get(f"{api}{path}")
        assert served.status_code == 200, path
        assert base64.b64encode(hashlib.sha384(served.content).digest()).decode() == digest


async def test_issues_are_counted_only_when_totalcount_is_asked(
    gql: GraphQL, command_counter: CommandCounter
):
    await raise_departmental(gql, "LVVN", "Geteld")

    async def aggregates(query: str) -> int:
        command_counter.commands.clear()
        await gql(query, as_="cio-lvvn")
        # count_documents aggregates; the unfiltered total is the collection's `count`.
        return sum(command_counter.commands.count(c) for c in ("aggregate", "count"))

    listed = "{ issues(first: 5) { edges { node { id } } } }"
    counted = "{ issues(first: 5) { totalCount edges { node { id } } } }"
    await aggregates("{ ministries { code } }")  # the API knows the caller from here on
    assert await aggregates(listed) + 1 == await aggregates(counted)


async def test_an_operation_leaves_nothing_for_the_collector(api_settings: Settings,
                                                             monkeypatch):
    """What a request made (its context, its loaders, the records it read) goes when the
    request does, by reference counting: a cycle through them left each list's thousands
    of objects to the collector, whose full runs paused the API under load."""
    made = []
    real = app_module.Context

    def recorded(*args, **kwargs):
        context = real(*args, **kwargs)
        made.append(weakref.ref(context))
        return context

    monkeypatch.setattr(app_module, "Context", recorded)
    query = "{ issues(first: 5) { edges { node { id title ministry { name } tally { agree } } } } }"
    async with running_api(api_settings.model_copy(update={"read_cache": False})) as url:
        async with httpx.AsyncClient() as http:
            gc.collect()
            gc.disable()
            try:
                for _ in range(3):
                    body = (await http.post(f"{url}/graphql", json={"query": query})).json()
                    assert "errors" not in body, body
                await asyncio.sleep(0.1)
                alive = sum(ref() is not None for ref in made)
            finally:
                gc.enable()
    assert len(made) == 3 and alive == 0
