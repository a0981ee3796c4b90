"""Fan-out: a vote reaching 100 and 1,000 WebSocket clients subscribed to one API process,
and 10,000 spread over two. The time from sending the mutation to each client's `next`
frame, and from the mutation's response (negative: the frame came first — the event goes
out when it is stored, before the answer is composed), p50/p99, and every missed or
duplicated event counted.

The API processes and the worker run as their own processes (`stelsel api`, `stelsel
worker`), each API process with its own change stream; the clients share this process's
event loop (a light client, so that their own work stays small in the figures).

    .venv/bin/python -m bench.fanout --write
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import subprocess
import time

import httpx

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


class Subscriber(asyncio.Protocol):
    """A graphql-transport-ws client cut to what the benchmark needs: it stamps each read
    from its socket the moment it comes and leaves decoding the frames for after the run,
    so that the clients in this one process add little work of their own to the figures and
    ten thousand of them fit in it."""

    def __init__(self, selection: str) -> None:
        self.selection = selection
        self.arrivals: dict[int, list[float]] = {}
        self.received: list[tuple[float, bytes]] = []
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded: asyncio.Future | None = None
        self.acked: asyncio.Future | None = None

    async def open(self, url: str, token: str, issue_id: str) -> None:
        loop = asyncio.get_running_loop()
        host, port = url.split("//", 1)[1].split(":")
        self.upgraded, self.acked = loop.create_future(), loop.create_future()
        await loop.create_connection(lambda: self, host, int(port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write(
            f"GET /graphql HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws"
            "\r\n\r\n".encode())
        await asyncio.wait_for(self.upgraded, 60)
        self.send(1, {"type": "connection_init",
                      "payload": {"Authorization": f"Bearer {token}"}})
        await asyncio.wait_for(self.acked, 60)
        self.send(1, {"id": "1", "type": "subscribe", "payload": {
            "query": "subscription($id: ID) { issueEvents(issueId: $id) { "
                     + SELECTIONS[self.selection] + " } }",
            "variables": {"id": issue_id}}})

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def send(self, opcode: int, message: dict | bytes) -> None:
        """A client frame: masked, as RFC 6455 asks of clients."""
        payload = message if isinstance(message, bytes) else json.dumps(message).encode()
        mask = os.urandom(4)
        size = len(payload)
        header = bytes([0x80 | opcode]) + (
            bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + size.to_bytes(2))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(header + mask + masked)

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer += data
        if not self.upgraded.done():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            assert self.buffer.startswith(b"HTTP/1.1 101"), bytes(self.buffer[:200])
            del self.buffer[:end + 4]
            self.upgraded.set_result(None)
        while len(self.buffer) >= 2:
            size, start = self.buffer[1] & 0x7F, 2
            if size == 126:
                size, start = int.from_bytes(self.buffer[2:4]), 4
            elif size == 127:
                size, start = int.from_bytes(self.buffer[2:10]), 10
            if len(self.buffer) < start + size:
                return
            opcode, payload = self.buffer[0] & 0x0F, bytes(self.buffer[start:start + size])
            del self.buffer[:start + size]
            if opcode == 9:  # the server's keep-alive
                self.send(10, payload)
            elif opcode == 1 and not self.acked.done():
                assert json.loads(payload)["type"] == "connection_ack", payload
                self.acked.set_result(None)
            elif opcode == 1:
                self.received.append((now, payload))

    def tally(self) -> None:
        """The frames decoded, after the run: each event's arrivals by seq."""
        for at, payload in self.received:
            message = json.loads(payload)
            assert message["type"] == "next", message
            seq = message["payload"]["data"]["issueEvents"]["seq"]
            self.arrivals.setdefault(seq, []).append(at)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def run_fanout(urls: list[str], settings, clients: int, selection: str = "seq") -> dict:
    """The clients spread over the API processes at `urls`; the votes go to the first."""
    token = issue_token(settings, "cio-bzk", 3600)
    http = httpx.AsyncClient(base_url=urls[0], timeout=60)

    async def gql(query: str, variables: dict, person: str) -> dict:
        body = (await http.post("/graphql", json={"query": query, "variables": variables},
                                headers={"Authorization": "Bearer " + issue_token(
                                    settings, person, 3600)})).json()
        return next(iter(body["data"].values()))

    issue_id = (await gql(RAISE, {}, "cio-rijk"))["id"]
    for _ in range(2):
        await gql(CLOSE, {"id": issue_id}, "cio-rijk")
    subscribers = [Subscriber(selection) for _ in range(clients)]
    for start in range(0, clients, 100):
        await asyncio.gather(*(s.open(urls[n % len(urls)], token, issue_id)
                               for n, s in enumerate(subscribers[start:start + 100], start)))
    await asyncio.sleep(max(1.0, clients / 1000))  # every subscription registered
    sent: dict[int, tuple[float, float]] = {}
    for i in range(VOTES):
        choice = {"choice": "AGREE"} if i % 2 == 0 else {"choice": "OBJECT", "reason": "Nee"}
        started = time.perf_counter()
        result = await gql(VOTE, {"id": issue_id, **choice}, f"cio-{MINISTRIES[i].lower()}")
        sent[result["lastSeq"]] = (started, time.perf_counter())
        await asyncio.sleep(0.3)
    await asyncio.sleep(3.0)
    for s in subscribers:
        s.close()
        s.tally()
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

    return {"clients": clients, "processes": len(urls), "selection": selection,
            "events": len(sent) * clients,
            "send50": p(from_send, 0.5), "send99": p(from_send, 0.99),
            "resp50": p(from_response, 0.5), "resp99": p(from_response, 0.99),
            "missed": missed, "duplicated": duplicated}


def serve(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


async def main(write: bool) -> None:
    async with bench_servers("stelsel_bench_fanout") as settings:
        ports = [free_port(), free_port()]
        env = process_env(settings)
        stelsel = tool_path("stelsel")
        processes = [serve([stelsel, "worker"], env)] + [
            serve([stelsel, "api", "--port", str(port)], env) for port in ports]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for url in urls:
                await wait_healthy(url)
            results = [await run_fanout(urls[:1], settings, n, selection)
                       for selection in SELECTIONS for n in (100, 1000)]
            results += [await run_fanout(urls, settings, 10_000, selection)
                        for selection in SELECTIONS]
        finally:
            for process in processes:
                process.terminate()
                process.wait(30)
    lines = [f"Fan-out: {VOTES} votes on one issue, each to every subscribed client (one "
             f"worker; the clients on one API process, or spread over two); "
             f"{os.cpu_count()} cores, servers and clients on the same machine.",
             "", "| selection | clients | API processes | frames expected "
             "| from send p50 / p99 ms | from response p50 / p99 ms | missed | duplicated |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['selection']} | {r['clients']:,} | {r['processes']} | "
                     f"{r['events']:,} | {r['send50']:.1f} / "
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
