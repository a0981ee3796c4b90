"""The write path, side by side in one run: `castVote` end to end (HTTP → Temporal update →
local activity → MongoDB → response), sequentially and as concurrent votes on 50 issues,
against a bare Temporal update-with-local-activity loop (bench/bare.py) on the same servers.

    .venv/bin/python -m bench.write --write
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from pathlib import Path

import httpx
import uvicorn
from temporalio.worker import Worker

from bench.bare import BareActivities, BareWorkflow
from bench.docs import replace_section
from bench.read import MINISTRIES, raise_input
from bench.servers import bench_servers, cpu_per, cpu_seconds
from services.domain.commands import ClosePhaseInput, ContributeInput
from services.embedded import free_port
from services.graph.app import create_app
from services.graph.auth import issue_token
from services.run import ApiServer
from services.store.database import Store
from services.workflows.client import CycleClient, connect_temporal
from services.workflows.worker import build_worker

ROOT = Path(__file__).parents[1]
VOTE = """mutation($id: ID!) { castVote(input: {issueId: $id, choice: AGREE}) {
  __typename ... on Rejected { code message } } }"""
ISSUES = 50
SEQUENTIAL_ISSUES = 12  # 132 votes: the p99 is not simply the slowest one
TEXT_10KB = "Overweging bij het voorstel. " * 300  # 8.7 KB


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def main(write: bool, contributions: int = 0) -> None:
    async with bench_servers("stelsel_bench_write") as settings:
        client = await connect_temporal(settings)
        store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
        bare = BareActivities(settings.mongodb_uri, settings.mongodb_database)
        async with build_worker(client, store, settings.task_queue), Worker(
            client, task_queue="bare", workflows=[BareWorkflow],
            activities=[bare.bare_write],
        ):
            results = await measure(settings, client, store, contributions)
        await store.close()
    report(results, write and not contributions, contributions)


async def measure(settings, client, store, contributions: int = 0) -> dict:
    cycles = CycleClient(client, settings.task_queue)
    rijk = await store.register.actor("cio-rijk")
    issues = []
    for _ in range(ISSUES + SEQUENTIAL_ISSUES + 1):  # one more for the warm-up
        command = raise_input(rijk)
        await cycles.raise_issue(command)
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
        for n in range(contributions):  # a busy deliberation: the record grows
            await cycles.change(command.issue_id, ContributeInput(rijk, f"{n} " + TEXT_10KB))
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
        issues.append(command.issue_id)
    bare_handles = [await client.start_workflow(BareWorkflow.run, id=f"bare-{uuid.uuid4()}",
                                                task_queue="bare") for _ in range(ISSUES)]
    tokens = {m: issue_token(settings, f"cio-{m.lower()}", 3600) for m in MINISTRIES}
    port = free_port()
    server = ApiServer(uvicorn.Config(create_app(settings), port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    url = f"http://127.0.0.1:{port}/graphql"
    results: dict = {}
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64)) as http:

        async def vote(issue_id: str, ministry: str) -> float:
            started = time.perf_counter()
            body = (await http.post(url, json={"query": VOTE, "variables": {"id": issue_id}},
                                    headers={"Authorization": f"Bearer {tokens[ministry]}"}
                                    )).json()
            assert body["data"]["castVote"]["__typename"] == "Issue", body
            return (time.perf_counter() - started) * 1000

        async def touch(handle) -> float:
            started = time.perf_counter()
            await handle.execute_update(BareWorkflow.touch, "k" + handle.id)
            return (time.perf_counter() - started) * 1000

        # Warm-up, not measured: the first request of a fresh process (its connections,
        # its first validation of the document) on an issue of its own, and a bare update.
        for ministry in MINISTRIES[:3]:
            await vote(issues[SEQUENTIAL_ISSUES], ministry)
            await touch(bare_handles[1])
        # Sequential: eleven votes on each of the first issues (a twelfth could decide),
        # and as many updates of one bare workflow.
        sequential: dict[str, list[float]] = {"castVote": [], "bare": []}
        for issue_id in issues[:SEQUENTIAL_ISSUES]:
            for ministry in MINISTRIES[:11]:
                sequential["castVote"].append(await vote(issue_id, ministry))
        for _ in range(SEQUENTIAL_ISSUES * 11):
            sequential["bare"].append(await touch(bare_handles[0]))
        results["sequential"] = sequential
        issues = issues[SEQUENTIAL_ISSUES + 1:]

        # Concurrent: every issue gets a vote at once, and every bare workflow an update at
        # once, in alternating rounds (eleven of each), so both see the same machine.
        rounds: dict[str, list[float]] = {"castVote": [], "bare": []}
        cpu_used: dict[str, dict[str, float]] = {"castVote": {}, "bare": {}}

        async def round_of(name: str, changes) -> None:
            started, cpu = time.perf_counter(), cpu_seconds()
            await asyncio.gather(*changes)
            rounds[name].append(ISSUES / (time.perf_counter() - started))
            for process, ms in cpu_per(cpu, cpu_seconds(), ISSUES).items():
                cpu_used[name][process] = cpu_used[name].get(process, 0.0) + ms / 11

        for ministry in MINISTRIES[:11]:
            await round_of("castVote", (vote(i, ministry) for i in issues))
            await round_of("bare", (touch(h) for h in bare_handles))
        votes_per_second = statistics.median(rounds["castVote"])
        bare_per_second = statistics.median(rounds["bare"])
        results["cpu castVote"], results["cpu bare"] = cpu_used["castVote"], cpu_used["bare"]
        results["concurrent"] = (votes_per_second, bare_per_second)
    server.should_exit = True
    await serving
    for handle in bare_handles:
        await handle.signal(BareWorkflow.finish)
    return results


def report(results: dict, write: bool, contributions: int = 0) -> None:
    sequential = results["sequential"]
    votes, bare = results["concurrent"]
    lines = [
        f"Write path: one API process and one worker (local activities), SecantusDB and the "
        f"Temporal dev server, all on this {os.cpu_count()}-core machine, in one run"
        + (f"; each issue's record holds {contributions} contributions of 8.7 KB."
           if contributions else "."),
        "",
        "| measure | castVote end to end | bare update + local activity | ratio |",
        "|---|---|---|---|",
    ]
    for label, share in (("sequential p50 ms", 0.5), ("sequential p99 ms", 0.99)):
        ours, base = percentile(sequential["castVote"], share), percentile(sequential["bare"],
                                                                            share)
        lines.append(f"| {label} | {ours:.1f} | {base:.1f} | {ours / base:.2f}× |")
    lines.append(f"| concurrent on {ISSUES} issues, per s (median of 11 rounds) | {votes:.0f} | {bare:.0f} | "
                 f"{votes / bare:.2f}× |")
    ours, base = results["cpu castVote"], results["cpu bare"]
    for name in ours:
        lines.append(f"| CPU ms per concurrent change, {name} | {ours[name]:.1f} | "
                     f"{base.get(name, 0):.1f} | {ours[name] / max(base.get(name, 0), 0.01):.1f}× |")
    lines.append(f"\n({len(sequential['castVote'])} sequential votes, "
                 f"{len(sequential['bare'])} bare updates; medians and p99 over those.)")
    text = "\n".join(lines)
    print(text)
    if write:
        replace_section("write", text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    parser.add_argument("--contributions", type=int, default=0,
                        help="8.7 KB contributions in each issue's record before the votes")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.write, arguments.contributions))
