"""issueEvents over graphql-transport-ws, fed by MongoDB change streams."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace

import pytest
import websockets

from services.graph import app as app_module
from tests.graph.operations import ADVISE, ok
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


PUBLIC_EVENTS = """subscription { issueEvents { issueId seq kind actor { id } summary
  issue { id advice { text } votes { choice reason } recusals { reason } } } }"""


async def test_without_a_token_events_carry_only_what_the_public_may_read(
    gql: GraphQL, api: str
):
    before = await subscriptions_open(api)
    async with websockets.connect(ws_url(api), subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": PUBLIC_EVENTS}}))
        await until_subscribed(api, before + 1)
        issue_id = await raise_issue(gql)
        await ok(gql, ADVISE, {"input": {"issueId": issue_id, "stance": "OBJECT",
                                         "text": "Geheim advies over de DPIA"}}, "cpo-bzk")
        received = [f["payload"]["data"]["issueEvents"] for f in await frames(ws, 2)]
    assert [e["kind"] for e in received] == ["RAISED", "ADVICE_SUBMITTED"]
    for event in received:
        assert event["actor"] is None
        assert event["issue"] == {"id": issue_id, "advice": [], "votes": [], "recusals": []}
    assert "Geheim" not in json.dumps(received)
    assert "cpo-bzk" not in json.dumps(received)
    # An officer on the same events reads the advice and who gave it.
    seen = await gql("query($id: ID!) { issue(id: $id) { timeline { actor { id } } "
                     "advice { text } } }", {"id": issue_id}, as_="cio-fin")
    assert seen["issue"]["advice"] == [{"text": "Geheim advies over de DPIA"}]
    assert seen["issue"]["timeline"][1]["actor"] == {"id": "cpo-bzk"}


async def test_an_expired_token_is_refused_not_served_as_public(gql: GraphQL, api: str):
    token = gql.token("cio-bzk", ttl=1)
    await asyncio.sleep(1.5)
    async with websockets.connect(ws_url(api), subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": f"Bearer {token}"}}))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    assert ws.close_code == 4403


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


BOARD = """subscription { issueEvents { seq issue { id title phase ministry { code name }
  raisedBy { id } tally { agree eligible } } } }"""


async def test_an_event_is_read_once_however_many_sockets_show_it(
    gql: GraphQL, api: str, command_counter
):
    async def reads_for_one_event(sockets: int) -> tuple[int, list]:
        before = await subscriptions_open(api)
        opened = []
        try:
            for n in range(sockets):
                ws = await websockets.connect(ws_url(api), subprotocols=["graphql-transport-ws"])
                opened.append(ws)
                token = {"Authorization": f"Bearer {gql.token('cio-bzk')}"} if n % 2 else {}
                await ws.send(json.dumps({"type": "connection_init", "payload": token}))
                assert json.loads(await ws.recv())["type"] == "connection_ack"
                await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                          "payload": {"query": BOARD}}))
            await until_subscribed(api, before + sockets)
            # The first event: each connection also learns who its caller is (once).
            for _ in range(2):
                command_counter.commands.clear()
                await gql(RAISE, {"input": {"title": "Eén keer gelezen", "proposal": "p",
                                            "scope": "DEPARTMENTAL", "ministry": "FIN",
                                            "touchesPersonalData": False}}, as_="cio-fin")
                frames_seen = [(await frames(ws, 1))[0] for ws in opened]
            return len(command_counter.commands), frames_seen
        finally:
            for ws in opened:
                await ws.close()

    # One public socket and one officer's, against three of each.
    two, _ = await reads_for_one_event(2)
    six, seen = await reads_for_one_event(6)
    issues = [f["payload"]["data"]["issueEvents"]["issue"] for f in seen]
    assert all(i["ministry"]["code"] == "FIN" for i in issues)
    # Officers read the person who raised it, the public the seat: resolved per socket.
    raisers = {i["raisedBy"]["id"] for i in issues}
    assert "cio-fin" in raisers and len(raisers) == 2, raisers
    assert six == two, (two, six)


async def test_an_event_is_encoded_once_per_class_with_each_sockets_own_id(
    gql: GraphQL, api: str, monkeypatch
):
    encoded = []

    def counting_dumps(value, *args, **kwargs):
        text = json.dumps(value, *args, **kwargs)
        if "issueEvents" in text:
            encoded.append(text)
        return text

    monkeypatch.setattr(app_module, "json", SimpleNamespace(dumps=counting_dumps,
                                                             loads=json.loads))
    before = await subscriptions_open(api)
    opened = []
    try:
        for n, operation in enumerate(("a", "b-1", "c\"2", "d")):
            ws = await websockets.connect(ws_url(api), subprotocols=["graphql-transport-ws"])
            opened.append((operation, ws))
            token = {"Authorization": f"Bearer {gql.token('cio-bzk')}"} if n % 2 else {}
            await ws.send(json.dumps({"type": "connection_init", "payload": token}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(json.dumps({"id": operation, "type": "subscribe",
                                      "payload": {"query": BOARD}}))
        await until_subscribed(api, before + 4)
        encoded.clear()
        await gql(RAISE, {"input": {"title": "Eén keer geschreven", "proposal": "p",
                                    "scope": "DEPARTMENTAL", "ministry": "FIN",
                                    "touchesPersonalData": False}}, as_="cio-fin")
        seen = {operation: (await frames(ws, 1))[0] for operation, ws in opened}
    finally:
        for _, ws in opened:
            await ws.close()
    assert {operation: frame["id"] for operation, frame in seen.items()} == {
        operation: operation for operation in seen}
    assert all(frame["type"] == "next" for frame in seen.values())
    public, officer = ({json.dumps(seen[o]["payload"], sort_keys=True) for o in group}
                       for group in (("a", 'c"2'), ("b-1", "d")))
    assert len(public) == 1 and len(officer) == 1 and public != officer
    assert len(encoded) == 2, encoded  # one public, one officer: not one per socket


async def test_what_is_the_callers_own_is_resolved_for_each_caller(gql: GraphQL, api: str):
    """Results are shared per visibility class, except a document that selects the
    caller's own fields: the chair and a member following the same event read their own."""
    query = "subscription { issueEvents { seq issue { id myActions } } }"
    before = await subscriptions_open(api)
    opened = {}
    try:
        for person in ("cio-rijk", "cio-bzk", "cio-fin"):
            ws = await websockets.connect(ws_url(api), subprotocols=["graphql-transport-ws"])
            opened[person] = ws
            await ws.send(json.dumps({"type": "connection_init", "payload": {
                "Authorization": f"Bearer {gql.token(person)}"}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                      "payload": {"query": query}}))
        await until_subscribed(api, before + 3)
        await gql(RAISE, {"input": {"title": "Eigen acties", "proposal": "p",
                                    "scope": "DEPARTMENTAL", "ministry": "FIN",
                                    "touchesPersonalData": False}}, as_="cio-fin")
        actions = {person: set((await frames(ws, 1))[0]["payload"]["data"]["issueEvents"][
            "issue"]["myActions"]) for person, ws in opened.items()}
    finally:
        for ws in opened.values():
            await ws.close()
    assert "WITHDRAW" in actions["cio-fin"]  # the raiser's own
    assert "WITHDRAW" not in actions["cio-bzk"]
    assert actions["cio-rijk"] != actions["cio-bzk"], actions
