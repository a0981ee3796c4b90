"""issueEvents over graphql-transport-ws, fed by MongoDB change streams."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import websockets

from tests.helpers import GraphQL, subscriptions_open, until_subscribed

EVENTS = """subscription($id: ID) { issueEvents(issueId: $id) {
  issueId seq kind phase actor { id } summary issue { id phase } } }"""
RAISE = """mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  ... on Issue { id } } }"""
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { __typename } }"
def ws_url(api: str) -> str:
    return api.replace("http://", "ws://") + "/graphql"


@asynccontextmanager
async def subscribed(api: str, token: str | None, variables: dict
                     ) -> AsyncIterator[websockets.ClientConnection]:
    before = await subscriptions_open(api)
    async with websockets.connect(ws_url(api), subprotocols=["graphql-transport-ws"]) as ws:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": EVENTS, "variables": variables}}))
        if token:  # refused without one: nothing to wait for
            await until_subscribed(api, before + 1)
        yield ws


async def frames(ws, count: int, timeout: float = 10) -> list[dict]:
    received = []
    while len(received) < count:
        received.append(json.loads(await asyncio.wait_for(ws.recv(), timeout)))
    return received


async def raise_issue(gql: GraphQL) -> str:
    data = await gql(RAISE, {"input": {"title": "Live", "proposal": "p",
                                       "scope": "GOVERNMENT_WIDE",
                                       "touchesPersonalData": False}}, as_="cio-rijk")
    return data["raiseIssue"]["id"]


async def test_an_officer_follows_one_issue_live(gql: GraphQL, api: str):
    issue_id = await raise_issue(gql)
    other_id = await raise_issue(gql)
    async with subscribed(api, gql.token("cio-bzk"), {"id": issue_id}) as ws:
        await gql(CLOSE, {"id": other_id}, as_="cio-rijk")  # another issue: not delivered
        await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")
        await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")
        first, second = await frames(ws, 2)
    events = [f["payload"]["data"]["issueEvents"] for f in (first, second)]
    assert [(e["issueId"], e["seq"], e["phase"]) for e in events] == [
        (issue_id, 2, "DELIBERATION"), (issue_id, 3, "VOTING")]
    assert events[0]["actor"] == {"id": "cio-rijk"}
    assert events[1]["issue"] == {"id": issue_id, "phase": "VOTING"}


async def test_all_issues_in_one_subscription(gql: GraphQL, api: str):
    async with subscribed(api, gql.token("cio-fin"), {"id": None}) as ws:
        a = await raise_issue(gql)
        b = await raise_issue(gql)
        received = await frames(ws, 2)
    assert [f["payload"]["data"]["issueEvents"]["issueId"] for f in received] == [a, b]
    assert all(f["payload"]["data"]["issueEvents"]["kind"] == "RAISED" for f in received)


async def test_subscribing_needs_a_token(gql: GraphQL, api: str):
    async with subscribed(api, None, {"id": None}) as ws:
        (frame,) = await frames(ws, 1)
    errors = frame["payload"] if frame["type"] == "error" else frame["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED", frame


async def test_an_invalid_token_closes_the_socket_with_4403(api: str):
    async with websockets.connect(ws_url(api), subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": "Bearer not-a-jwt"}}))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    assert ws.close_code == 4403


async def test_the_socket_closes_when_its_token_expires(gql: GraphQL, api: str):
    async with subscribed(api, gql.token("cio-bzk", ttl=2), {"id": None}) as ws:
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == 4403
