"""Careless clients and hostile bodies: concurrent resends, malformed requests, oversized
messages, and what every response carries."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest
import websockets

from services.settings import Settings
from tests.graph.operations import RAISE, government_wide
from tests.helpers import GraphQL, running_api

HOSTILE = "{ " + " ".join(
    f"a{i}: issues(first: 100) {{ edges {{ node {{ ministry {{ issues(first: 100) {{ edges {{ "
    "node { id proposal timeline { seq kind summary } } } } } } } }" for i in range(15)) + " }"


async def test_concurrent_resends_of_a_keyed_raise_raise_one_issue(gql: GraphQL):
    key = str(uuid.uuid4())
    variables = {"input": {**government_wide(touchesPersonalData=False), "idempotencyKey": key}}
    answers = await asyncio.gather(*(gql(RAISE, variables, as_="cio-rijk") for _ in range(12)))
    raised = [a["raiseIssue"] for a in answers]
    assert {r["__typename"] for r in raised} == {"Issue"}, raised
    assert len({r["id"] for r in raised}) == 1


@pytest.mark.parametrize(("body", "why"), [
    ("null", "object"), ("5", "object"), ('"query"', "object"), ("{", "JSON"),
    ('{"query": "{ ministries { code } }", "operationName": ["a"]}', "operationName"),
    ('{"query": "{ ministries { code } }", "variables": "x"}', "variables"),
    ('{"query": 5}', "query"),
    ('{"query": "{ ministries { code } }", "extensions": []}', "extensions"),
])
async def test_malformed_bodies_are_a_400_that_says_why(api: str, body: str, why: str):
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{api}/graphql", content=body,
                                   headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert why in response.text


async def test_a_report_period_beyond_the_calendar_is_a_400(api: str):
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{api}/reports/register.csv",
                                  params={"from": "9999-12-31T23:59:59-23:59"})
    assert response.status_code == 400


async def test_every_page_carries_the_security_headers(api: str):
    async with httpx.AsyncClient() as http:
        for path in ("/", "/issues/x", "/frameworks", "/healthz", "/assets/app.js"):
            response = await http.get(f"{api}{path}")
            headers = response.headers
            assert "default-src 'self'" in headers["content-security-policy"], path
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
            assert headers["x-content-type-options"] == "nosniff", path
            assert headers["referrer-policy"] == "no-referrer", path
        post = await http.post(f"{api}/graphql", json={"query": "{ ministries { code } }"})
        assert post.headers["x-content-type-options"] == "nosniff"


async def test_an_operation_that_would_cost_too_much_is_refused_before_it_runs(gql: GraphQL):
    body = await gql.raw(HOSTILE)
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] > error["extensions"]["maxCost"]
    # Variables count as their values: first: $n with n = 100 is as costly as the literal.
    paged = ("query($n: Int) { issues(first: $n) { edges { node { ministry { "
             "issues(first: $n) { edges { node { timeline { seq } } } } } } } } }")
    assert (await gql.raw(paged, {"n": 100}))["errors"][0]["extensions"]["code"] == \
        "QUERY_TOO_COSTLY"
    assert "errors" not in await gql.raw(paged, {"n": 2})


async def test_a_socket_message_over_the_body_cap_closes_the_socket(api: str, gql: GraphQL):
    url = api.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"],
                                  max_size=None) as ws:
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": f"Bearer {gql.token('cio-bzk')}"}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": "{ ministries { code } }", "variables": {"pad": "x" * 70_000}}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd.code == 1009


async def test_reads_are_rate_limited_and_large_answers_capped(api_settings: Settings, store):
    settings = api_settings.model_copy(update={
        "queries_per_minute": 3, "max_response_bytes": 1_024, "read_cache": False})
    async with running_api(settings) as url:
        client = GraphQL(url, settings)
        try:
            small = "{ ministries { code } }"
            codes = []
            for _ in range(4):
                body = await client.raw(small, headers={
                    "Authorization": f"Bearer {client.token('cio-fin')}"})
                codes.append(body["errors"][0]["extensions"]["code"] if "errors" in body
                             else None)
            assert codes == [None, None, None, "RATE_LIMITED"]
            other = await client.raw("{ ministries { code name officers { person { name } } } }",
                                     headers={"Authorization": f"Bearer {client.token('cio-az')}"})
            assert other["data"] is None
            assert other["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
        finally:
            await client.http.aclose()


async def test_one_connection_holds_a_bounded_number_of_subscriptions(api: str, gql: GraphQL):
    url = api.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": f"Bearer {gql.token('cio-bzk')}"}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for i in range(21):
            await ws.send(json.dumps({"id": str(i), "type": "subscribe", "payload": {
                "query": "subscription { issueEvents { seq } }"}}))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame.get("id") == "20":
                break
        errors = frame["payload"] if frame["type"] == "error" else frame["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS", frame


async def test_a_process_holds_a_bounded_number_of_sockets(api_settings: Settings):
    """Anonymous sockets cost a stranger nothing: past the cap a socket is closed with 1013
    (try again later), and a place that comes free is taken again."""
    async with running_api(api_settings.model_copy(update={"max_sockets": 2})) as url:
        url = url.replace("http://", "ws://") + "/graphql"

        async def opened():
            ws = await websockets.connect(url, subprotocols=["graphql-transport-ws"])
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            return ws, json.loads(await asyncio.wait_for(ws.recv(), 10))

        held = [await opened(), await opened()]
        assert all(ack["type"] == "connection_ack" for _, ack in held)
        extra = await websockets.connect(url, subprotocols=["graphql-transport-ws"])
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(extra.recv(), 10)
        assert closed.value.rcvd.code == 1013
        await held[0][0].close()
        for _ in range(50):  # the server sees the close a moment later
            try:
                again, ack = await opened()
                break
            except websockets.ConnectionClosed:
                await asyncio.sleep(0.1)
        assert ack["type"] == "connection_ack"
        await again.close()
        await held[1][0].close()


async def test_fragments_spreading_fragments_are_refused_before_validation(gql: GraphQL):
    """2^59 fields in 60 short fragments: validating it would expand every spread (minutes
    of CPU for one request); the cost, counted per fragment, refuses it first."""
    fragments = ["fragment F0 on Query { __typename }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 60)]
    body = await gql.raw("query { ...F59 } " + " ".join(fragments))
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
