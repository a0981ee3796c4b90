"""Fan-out: a vote reaching 100 and 1,000 subscribed WebSocket clients. The time from sending
the mutation to each client's `next` frame, and from the mutation's response (negative: the
frame came first — the event goes out when it is stored, before the answer is composed),
p50/p99, and every missed or duplicated event counted.

The API and the worker run as their own processes (`stelsel api`, `stelsel worker`); the
clients share this process's event loop, so their own receive work is in the figures.

    .venv/bin/python -m bench.fanout --write
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import time

import httpx
import websockets

from bench.docs import replace_section
from bench.read import MINISTRIES
from bench.servers import bench_servers, process_env
from services.embedded import free_port, tool_path, wait_healthy
from services.graph.auth import issue_token

VOTES = 10
RAISE = """mutation { raiseIssue(input: {title: "Fan-out", proposal: "p",
  scope: GOVERNMENT_WIDE, touchesPersonalData: false}) { ... on Issue { id } } }"""
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { __typename } }"
VOTE = """mutation($id: ID!, $choice: VoteChoice!, $reason: String) {
  castVote(input: {issueId: $id, choice: $choice, reason: $reason}) {
  ... on Issue { lastSeq } ... on Rejected { code message } } }"""


# What a client selects: the event alone, or what the dashboard's board shows of its issue.
SELECTIONS = {
    "seq": "seq",
    "board": """seq issueId kind issue { id title scope phase phaseDeadline overdue lastSeq
      council { id } ministry { code name } tally { agree abstain object notVoted eligible }
      decision { route outcome decidedAt } }""",
}


class Subscriber:
    def __init__(self, selection: str) -> None:
        self.arrivals: dict[int, list[float]] = {}
        self.socket = None
        self.selection = selection

    async def open(self, url: str, token: str, issue_id: str) -> None:
        self.socket = await websockets.connect(url, subprotocols=["graphql-transport-ws"],
                                               max_queue=None)
        await self.socket.send(json.dumps({"type": "connection_init",
                                           "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(await self.socket.recv())["type"] == "connection_ack"
        await self.socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": "subscription($id: ID) { issueEvents(issueId: $id) { "
                     + SELECTIONS[self.selection] + " } }",
            "variables": {"id": issue_id}}}))

    async def listen(self) -> None:
        async for frame in self.socket:
            seq = json.loads(frame)["payload"]["data"]["issueEvents"]["seq"]
            self.arrivals.setdefault(seq, []).append(time.perf_counter())


async def run_fanout(url: str, settings, clients: int, selection: str = "seq") -> dict:
    token = issue_token(settings, "cio-bzk", 3600)
    http = httpx.AsyncClient(base_url=url, timeout=60)

    async def gql(query: str, variables: dict, person: str) -> dict:
        body = (await http.post("/graphql", json={"query": query, "variables": variables},
                                headers={"Authorization": "Bearer " + issue_token(
                                    settings, person, 3600)})).json()
        return next(iter(body["data"].values()))

    issue_id = (await gql(RAISE, {}, "cio-rijk"))["id"]
    for _ in range(2):
        await gql(CLOSE, {"id": issue_id}, "cio-rijk")
    ws_url = url.replace("http", "ws") + "/graphql"
    subscribers = [Subscriber(selection) for _ in range(clients)]
    for start in range(0, clients, 100):
        await asyncio.gather(*(s.open(ws_url, token, issue_id)
                               for s in subscribers[start:start + 100]))
    listeners = [asyncio.create_task(s.listen()) for s in subscribers]
    await asyncio.sleep(1.0)  # every subscription registered
    sent: dict[int, tuple[float, float]] = {}
    for i in range(VOTES):
        choice = {"choice": "AGREE"} if i % 2 == 0 else {"choice": "OBJECT", "reason": "Nee"}
        started = time.perf_counter()
        result = await gql(VOTE, {"id": issue_id, **choice}, f"cio-{MINISTRIES[i].lower()}")
        sent[result["lastSeq"]] = (started, time.perf_counter())
        await asyncio.sleep(0.3)
    await asyncio.sleep(3.0)
    for task in listeners:
        task.cancel()
    for s in subscribers:
        await s.socket.close()
    await http.aclose()
    from_send, from_response, missed, duplicated = [], [], 0, 0
    for s in subscribers:
        for seq, (started, answered) in sent.items():
            arrivals = s.arrivals.get(seq, [])
            missed += not arrivals
            duplicated += max(0, len(arrivals) - 1)
            from_send.extend((a - started) * 1000 for a in arrivals[:1])
            from_response.extend((a - answered) * 1000 for a in arrivals[:1])

    def p(values: list[float], share: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * share))]

    return {"clients": clients, "selection": selection, "events": len(sent) * clients,
            "send50": p(from_send, 0.5), "send99": p(from_send, 0.99),
            "resp50": p(from_response, 0.5), "resp99": p(from_response, 0.99),
            "missed": missed, "duplicated": duplicated}


def serve(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


async def main(write: bool) -> None:
    async with bench_servers("stelsel_bench_fanout") as settings:
        port = free_port()
        env = process_env(settings)
        stelsel = tool_path("stelsel")
        processes = [serve([stelsel, "api", "--port", str(port)], env),
                     serve([stelsel, "worker"], env)]
        url = f"http://127.0.0.1:{port}"
        try:
            await wait_healthy(url)
            results = [await run_fanout(url, settings, n, selection)
                       for selection in SELECTIONS for n in (100, 1000)]
        finally:
            for process in processes:
                process.terminate()
                process.wait(30)
    lines = [f"Fan-out: {VOTES} votes on one issue, each to every subscribed client (one API "
             f"process, one worker); {os.cpu_count()} cores.",
             "", "| selection | clients | frames expected | from send p50 / p99 ms "
             "| from response p50 / p99 ms | missed | duplicated |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['selection']} | {r['clients']:,} | {r['events']:,} | "
                     f"{r['send50']:.1f} / "
                     f"{r['send99']:.1f} | {r['resp50']:.1f} / {r['resp99']:.1f} | "
                     f"{r['missed']} | {r['duplicated']} |")
    text = "\n".join(lines)
    print(text)
    if write:
        replace_section("fanout", text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    asyncio.run(main(parser.parse_args().write))
