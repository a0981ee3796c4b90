"""Two API processes on one database: a subscriber on either sees every event, whichever
process took the mutation."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import websockets
from temporalio.client import Client

from services.embedded import free_port, tool_path, wait_healthy
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


async def test_api_processes_share_one_port_and_end_with_the_first(
    api: str, api_settings: Settings, temporal_client: Client, gql: GraphQL
):
    port = free_port()
    env = api_env(api_settings, temporal_client)
    parent = subprocess.Popen([tool_path("stelsel"), "api", "--port", str(port),
                               "--processes", "2"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(url)
        children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()
        assert len(children) == 1, children
        # A subscription held on one process: fresh connections find it on one, not the
        # other — two processes answer on the one port.
        ws = await websockets.connect(url.replace("http", "ws") + "/graphql",
                                      subprotocols=["graphql-transport-ws"])
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": "subscription { issueEvents { seq } }"}}))
        seen = set()
        deadline = asyncio.get_running_loop().time() + 20
        while len(seen) < 2 and asyncio.get_running_loop().time() < deadline:
            async with httpx.AsyncClient() as fresh:  # a new connection each time
                metrics = (await fresh.get(f"{url}/metrics")).text
            seen.add(re.search(r"^stelsel_subscriptions (\S+)$", metrics, re.M).group(1))
        await ws.close()
        assert seen == {"0.0", "1.0"}, seen
    finally:
        parent.terminate()
        assert parent.wait(30) == 0
    assert not Path(f"/proc/{children[0]}").exists(), "a child outlived its parent"


def running(pid: str) -> bool:
    """Not ended: a child whose parent was killed is reaped by whoever adopts it, if at all."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def test_api_processes_end_with_a_killed_first(api_settings: Settings,
                                                     temporal_client: Client):
    port = free_port()
    parent = subprocess.Popen([tool_path("stelsel"), "api", "--port", str(port),
                               "--processes", "2"], env=api_env(api_settings, temporal_client),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}")
        children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()
        assert len(children) == 1, children
    finally:
        parent.kill()
        parent.wait(10)
    deadline = time.monotonic() + 20
    while running(children[0]) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert not running(children[0]), "a child outlived its killed parent"
