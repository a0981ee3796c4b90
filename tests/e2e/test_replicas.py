"""Two API processes on one database: a subscriber on either sees every event, whichever
process took the mutation."""

from __future__ import annotations

import asyncio
import json
import os

import websockets
from temporalio.client import Client

from services.embedded import free_port, wait_healthy
from services.settings import Settings
from tests.helpers import JWT_SECRET, GraphQL, start_api, until_subscribed


def api_env(settings: Settings, temporal: Client) -> dict[str, str]:
    return {**os.environ, "STELSEL_MODE": "development", "STELSEL_JWT_SECRET": JWT_SECRET,
            "MONGODB_URI": settings.mongodb_uri,
            "STELSEL_MONGODB_DATABASE": settings.mongodb_database,
            "STELSEL_TASK_QUEUE": settings.task_queue,
            "TEMPORAL_ADDRESS": temporal.service_client.config.target_host}


async def test_every_replica_sees_every_event(api: str, api_settings: Settings,
                                              temporal_client: Client, gql: GraphQL):
    ports = [free_port(), free_port()]
    processes = [start_api(api_env(api_settings, temporal_client), port) for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        await asyncio.gather(*(wait_healthy(url) for url in urls))
        sockets = []
        for url in urls:
            ws = await websockets.connect(url.replace("http", "ws") + "/graphql",
                                          subprotocols=["graphql-transport-ws"])
            await ws.send(json.dumps({"type": "connection_init", "payload": {
                "Authorization": f"Bearer {gql.token('cio-bzk')}"}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                "query": "subscription { issueEvents { issueId seq kind } }"}}))
            sockets.append(ws)
            await until_subscribed(url, 1)
        raised = []
        for url in urls:  # one mutation through each replica
            replica = GraphQL(url, gql.settings)
            data = await replica("""mutation { raiseIssue(input: {title: "Replica",
                proposal: "p", scope: GOVERNMENT_WIDE, touchesPersonalData: false}) {
                ... on Issue { id } } }""", as_="cio-rijk")
            raised.append(data["raiseIssue"]["id"])
            await replica.http.aclose()
        for ws in sockets:
            seen = set()
            while seen != set(raised):
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                event = frame["payload"]["data"]["issueEvents"]
                if event["kind"] == "RAISED" and event["issueId"] in raised:
                    seen.add(event["issueId"])
            await ws.close()
    finally:
        for process in processes:
            process.terminate()
            assert process.wait(30) == 0
