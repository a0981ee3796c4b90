"""Time per mutation of full government-wide cycles, end to end over HTTP.

Starts its own SecantusDB and Temporal dev server (or uses MONGODB_URI / TEMPORAL_ADDRESS),
a worker and the API in this process, then runs N cycles: raise, 3 advice, close advice,
a contribution, close deliberation, 12 votes (one objection), close the vote, decide by
mandate. Prints the median and worst time per mutation and per cycle.

    .venv/bin/python -m bench.cycle --cycles 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections import defaultdict

import httpx
import uvicorn

from bench.servers import bench_servers
from services.embedded import free_port
from services.graph.app import create_app
from services.graph.auth import issue_token
from services.run import ApiServer
from services.store.database import Store
from services.workflows.client import connect_temporal
from services.workflows.worker import build_worker

MINISTRIES = ["AZ", "BZ", "BZK", "DEF", "EZK", "FIN", "IenW", "JenV", "LVVN", "OCW", "SZW", "VWS"]
RESULT = "{ __typename ... on Rejected { code message } }"


async def cycle(http: httpx.AsyncClient, token, timings: dict[str, list[float]]) -> float:
    async def call(name: str, person: str, query: str, variables: dict) -> dict:
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": query, "variables": variables},
                                   headers={"Authorization": f"Bearer {token(person)}"})
        timings[name].append((time.perf_counter() - started) * 1000)
        body = response.json()
        result = next(iter(body["data"].values()))
        assert result["__typename"] != "Rejected", result
        return result

    began = time.perf_counter()
    raised = await call("raiseIssue", "cio-rijk",
                        "mutation($i: RaiseIssueInput!) { raiseIssue(input: $i) "
                        "{ __typename ... on Issue { id } } }",
                        {"i": {"title": "Bench", "proposal": "p", "scope": "GOVERNMENT_WIDE",
                               "touchesPersonalData": True}})
    issue = raised["id"]
    for role in ("cpo", "cdo", "cto"):
        await call("submitAdvice", f"{role}-bzk",
                   f"mutation($i: SubmitAdviceInput!) {{ submitAdvice(input: $i) {RESULT} }}",
                   {"i": {"issueId": issue, "stance": "SUPPORT", "text": "ok"}})
    close = f"mutation($id: ID!) {{ closePhase(issueId: $id) {RESULT} }}"
    await call("closePhase", "cio-rijk", close, {"id": issue})
    await call("contribute", "cio-fin",
               f"mutation($i: ContributeInput!) {{ contribute(input: $i) {RESULT} }}",
               {"i": {"issueId": issue, "text": "Kosten?"}})
    await call("closePhase", "cio-rijk", close, {"id": issue})
    for ministry in MINISTRIES:
        choice = {"choice": "OBJECT", "reason": "Te duur"} if ministry == "VWS" else {
            "choice": "AGREE"}
        await call("castVote", f"cio-{ministry.lower()}",
                   f"mutation($i: CastVoteInput!) {{ castVote(input: $i) {RESULT} }}",
                   {"i": {"issueId": issue, **choice}})
    await call("closePhase", "cio-rijk", close, {"id": issue})
    await call("decide", "cio-rijk",
               f"mutation($i: DecideInput!) {{ decide(input: $i) {RESULT} }}",
               {"i": {"issueId": issue, "outcome": "ADOPTED", "motivation": "Nodig"}})
    return (time.perf_counter() - began) * 1000


async def main(cycles: int) -> None:
    async with bench_servers("stelsel_bench") as settings:
        store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
        client = await connect_temporal(settings)
        port = free_port()
        server = ApiServer(uvicorn.Config(create_app(settings), port=port,
                                          log_level="warning"))
        async with build_worker(client, store, settings.task_queue):
            serving = asyncio.create_task(server.serve())
            while not server.started:
                await asyncio.sleep(0.05)
            tokens = {}

            def token(person: str) -> str:
                if person not in tokens:
                    tokens[person] = issue_token(settings, person, 3600)
                return tokens[person]

            timings: dict[str, list[float]] = defaultdict(list)
            totals = []
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}",
                                         timeout=30) as http:
                await cycle(http, token, defaultdict(list))  # warm-up, not counted
                for _ in range(cycles):
                    totals.append(await cycle(http, token, timings))
            server.should_exit = True
            await serving
        await store.close()
    print(f"{cycles} government-wide cycles, {os.cpu_count()} cores, one API process and "
          "one worker (local activities), SecantusDB and the Temporal dev server on loopback")
    print(f"{'mutation':<14} {'calls':>6} {'median ms':>10} {'p90 ms':>8} {'max ms':>8}")
    for name, values in timings.items():
        values.sort()
        p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
        print(f"{name:<14} {len(values):>6} {statistics.median(values):>10.1f} {p90:>8.1f} "
              f"{values[-1]:>8.1f}")
    print(f"{'whole cycle':<14} {cycles:>6} {statistics.median(totals):>10.1f} "
          f"{'':>8} {max(totals):>8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=5)
    asyncio.run(main(parser.parse_args().cycles))
