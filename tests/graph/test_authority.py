"""Authority is checked when it is used: an officer replaced by the secretariat loses their
powers at once, on an open WebSocket and on every replica; every register change is an
event with its actor."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import websockets

from services.settings import Settings
from tests.graph.operations import ADVISE, RAISE, government_wide, ok
from tests.helpers import GraphQL, eventually, running_api

APPOINT = """mutation($input: AppointInput!) { appoint(input: $input) {
  __typename ... on Officer { id role } ... on Rejected { code message } } }"""
END = """mutation($input: EndAppointmentInput!) { endAppointment(input: $input) {
  __typename ... on Officer { id role } ... on Rejected { code message } } }"""
DECIDE = """mutation($input: DecideInput!) { decide(input: $input) {
  __typename ... on Issue { phase decision { decidedBy { id } } }
  ... on Rejected { code message } } }"""
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { __typename } }"
ADVICE = "query($id: ID!) { issue(id: $id) { advice { text } } }"
EVENTS = """{ registerEvents(first: 5) { kind role person { id } ministry { code }
  actor { id } } }"""


DEMO = json.loads((Path(__file__).parents[2] / "services/store/demo_people.json").read_text())


def demo_name(person_id: str) -> str:
    return next(p["name"] for p in DEMO["persons"] if p["id"] == person_id)


@asynccontextmanager
async def socket(api: str, token: str) -> AsyncIterator[websockets.ClientConnection]:
    url = api.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield ws


async def over(ws, operation_id: str, query: str, variables: dict) -> dict:
    await ws.send(json.dumps({"id": operation_id, "type": "subscribe",
                              "payload": {"query": query, "variables": variables}}))
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if frame.get("id") == operation_id and frame["type"] == "next":
            return frame["payload"]["data"]


async def appoint(gql: GraphQL, person_id: str, name: str, role: str,
                  ministry: str | None = None) -> dict:
    data = await gql(APPOINT, {"input": {"personId": person_id, "name": name, "role": role,
                                         "ministry": ministry}}, as_="secretariaat")
    assert data["appoint"]["__typename"] == "Officer", data
    return data["appoint"]


async def test_a_replaced_cio_rijk_cannot_decide_over_an_open_socket(gql: GraphQL, api: str):
    issue = await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                     "cio-rijk")
    for _ in range(3):
        await gql(CLOSE, {"id": issue["id"]}, as_="cio-rijk")
    decide = {"input": {"issueId": issue["id"], "outcome": "ADOPTED", "motivation": "Ja"}}
    async with socket(api, gql.token("cio-rijk")) as ws:
        # The socket is authorised and in use before the register changes.
        assert (await over(ws, "1", "{ me { id } }", {}))["me"]["id"] == "cio-rijk"
        await appoint(gql, "rijk-nieuw", "Nieuwe CIO Rijk", "CIO_RIJK")
        try:
            answer = (await over(ws, "2", DECIDE, decide))["decide"]
            assert answer == {"__typename": "Rejected", "code": "FORBIDDEN",
                              "message": answer["message"]}
        finally:
            await appoint(gql, "cio-rijk", demo_name("cio-rijk"), "CIO_RIJK")
    decided = (await gql(DECIDE, decide, as_="cio-rijk"))["decide"]
    assert decided["decision"]["decidedBy"] == {"id": "cio-rijk"}


async def test_another_replica_hides_advice_from_a_replaced_advisor(
    gql: GraphQL, api_settings: Settings
):
    issue = await ok(gql, RAISE, {"input": government_wide()}, "cio-rijk")
    await ok(gql, ADVISE, {"input": {"issueId": issue["id"], "stance": "SUPPORT",
                                     "text": "Met DPIA"}}, "cpo-bzk")
    async with running_api(api_settings) as replica:
        other = GraphQL(replica, api_settings)
        try:
            seen = await other(ADVICE, {"id": issue["id"]}, as_="cpo-bzk")
            assert seen["issue"]["advice"] == [{"text": "Met DPIA"}]  # and now cached there
            ended = await gql(END, {"input": {"role": "CPO", "ministry": "BZK"}},
                              as_="secretariaat")
            assert ended["endAppointment"]["__typename"] == "Officer"
            try:
                hidden = await eventually(
                    lambda: other(ADVICE, {"id": issue["id"]}, as_="cpo-bzk"),
                    lambda data: data["issue"]["advice"] == [], timeout=10)
                assert hidden["issue"]["advice"] == []
            finally:
                await appoint(gql, "cpo-bzk", demo_name("cpo-bzk"), "CPO", "BZK")
        finally:
            await other.http.aclose()


async def test_register_changes_are_events_officers_see(gql: GraphQL):
    await appoint(gql, "cto-fin-2", "Ir. T. Tweede", "CTO", "FIN")
    await appoint(gql, "cto-fin", demo_name("cto-fin"), "CTO", "FIN")
    events = (await gql(EVENTS, as_="cio-bzk"))["registerEvents"]
    assert [(e["kind"], e["person"]["id"]) for e in events[:4]] == [
        ("APPOINTED", "cto-fin"), ("APPOINTMENT_ENDED", "cto-fin-2"),
        ("APPOINTED", "cto-fin-2"), ("APPOINTMENT_ENDED", "cto-fin")]
    assert {(e["role"], e["ministry"]["code"], e["actor"]["id"]) for e in events[:4]} == {
        ("CTO", "FIN", "secretariaat")}
    assert (await gql(EVENTS))["registerEvents"] == []  # the public sees no one's hand


async def test_the_secretariat_does_not_appoint_itself_to_decide(gql: GraphQL):
    for role, ministry in (("CIO_RIJK", None), ("CIO", "BZK")):
        data = await gql(APPOINT, {"input": {"personId": "secretariaat", "name": "S",
                                             "role": role, "ministry": ministry}},
                         as_="secretariaat")
        assert data["appoint"]["code"] == "FORBIDDEN", data


async def test_a_double_click_on_appoint_leaves_one_holder(gql: GraphQL, store):
    """Two identical appointments at once into an empty seat: one holder, not two.
    SecantusDB runs transactions one at a time, so here this holds even without the seat
    document; on a MongoDB replica set (MONGODB_URI) the seat document is what makes it."""
    ended = await gql(END, {"input": {"role": "CDO", "ministry": "OCW"}}, as_="secretariaat")
    assert ended["endAppointment"]["__typename"] == "Officer"
    try:
        answers = await asyncio.gather(*(
            gql(APPOINT, {"input": {"personId": "cdo-ocw-2", "name": "Drs. D. Dubbel",
                                    "role": "CDO", "ministry": "OCW"}}, as_="secretariaat")
            for _ in range(4)))
        assert {a["appoint"]["__typename"] for a in answers} == {"Officer"}
        holders = await store.register.appointments.count_documents(
            {"role": "CDO", "ministry": "OCW", "active": True})
        assert holders == 1
    finally:
        await appoint(gql, "cdo-ocw", demo_name("cdo-ocw"), "CDO", "OCW")
