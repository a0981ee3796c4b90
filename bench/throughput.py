"""Cycle throughput and worker memory, with one worker process.

1. Complete government-wide cycles — raise, 3 advice, close the advice, close the
   deliberation, 12 votes (the twelfth decides by consensus): 18 changes — driven through the
   Temporal client, CYCLES at a time, against one `stelsel worker` process. In alternating
   rounds, the bare update loop (bench/bare.py, its own worker process) gets the same number
   of updates on as many workflows. Medians of the rounds, and their ratio.
2. The worker's resident memory as open cycles grow to --open (raised and left in ADVICE),
   and a vote on the oldest of them afterwards (no longer in the worker's cache: replayed).

    .venv/bin/python -m bench.throughput --open 10000 --write
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.bare import BareWorkflow
from bench.docs import replace_section
from bench.read import MINISTRIES, raise_input
from bench.servers import bench_servers, process_env
from services.domain.commands import CastVoteInput, ClosePhaseInput, SubmitAdviceInput
from services.domain.types import AdviceStance, VoteChoice
from services.embedded import tool_path
from services.store.database import Store
from services.workflows.client import CycleClient, connect_temporal

CYCLES = 10  # cycles in flight at once
CHANGES = 18  # per cycle
ROUNDS = 5
CACHED = 1_000  # the worker's workflow cache (the SDK's default max_cached_workflows)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


async def full_cycle(cycles: CycleClient, actors: dict) -> None:
    rijk = actors["cio-rijk"]
    command = raise_input(rijk)
    await cycles.raise_issue(command)
    issue = command.issue_id
    for role in ("cpo", "cdo", "cto"):
        await cycles.change(issue, SubmitAdviceInput(
            actors[f"{role}-bzk"], AdviceStance.SUPPORT, "Akkoord"))
    for _ in range(2):
        await cycles.change(issue, ClosePhaseInput(rijk))
    for ministry in MINISTRIES:
        await cycles.change(issue, CastVoteInput(
            actors[f"cio-{ministry.lower()}"], VoteChoice.AGREE))


async def bare_cycle(client, task_queue: str) -> None:
    handle = await client.start_workflow(BareWorkflow.run, id=f"bare-{uuid.uuid4()}",
                                         task_queue=task_queue)
    for _ in range(CHANGES):
        await handle.execute_update(BareWorkflow.touch, "k" + handle.id)
    await handle.signal(BareWorkflow.finish)


async def main(open_cycles: int, write: bool) -> None:
    async with bench_servers("stelsel_bench_throughput") as settings:
        env = process_env(settings)
        worker = subprocess.Popen([tool_path("stelsel"), "worker"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        bare = subprocess.Popen([sys.executable, "-m", "bench.bare", "bare"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for process in (worker, bare):
            assert process.stdout is not None
            await asyncio.to_thread(process.stdout.readline)  # polling
        client = await connect_temporal(settings)
        store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
        try:
            results = await measure(client, store, settings.task_queue, worker.pid,
                                    open_cycles)
        finally:
            for process in (worker, bare):
                process.terminate()
                process.wait(60)
            await store.close()
    report(results, open_cycles, write)


async def measure(client, store: Store, task_queue: str, worker_pid: int,
                  open_cycles: int) -> dict:
    cycles = CycleClient(client, task_queue)
    people = ["cio-rijk", "cpo-bzk", "cdo-bzk", "cto-bzk"] + [
        f"cio-{m.lower()}" for m in MINISTRIES]
    actors = {p: await store.register.actor(p) for p in people}
    await full_cycle(cycles, actors)  # warm-up
    await bare_cycle(client, "bare")
    ours, base = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await asyncio.gather(*(full_cycle(cycles, actors) for _ in range(CYCLES)))
        ours.append(CYCLES / (time.perf_counter() - started))
        started = time.perf_counter()
        await asyncio.gather(*(bare_cycle(client, "bare") for _ in range(CYCLES)))
        base.append(CYCLES / (time.perf_counter() - started))

    # Open cycles: raised, left in ADVICE with their timers armed.
    memory = [(0, rss_mib(worker_pid))]
    rijk = actors["cio-rijk"]
    raised: list[str] = []
    started = time.perf_counter()
    checkpoints = sorted({c for c in (1_000, 2_500, 5_000, 10_000, open_cycles)
                          if c <= open_cycles})
    while len(raised) < open_cycles:
        batch = [raise_input(rijk) for _ in range(min(50, open_cycles - len(raised)))]
        await asyncio.gather(*(cycles.raise_issue(c) for c in batch))
        raised += [c.issue_id for c in batch]
        if checkpoints and len(raised) >= checkpoints[0]:
            memory.append((checkpoints.pop(0), rss_mib(worker_pid)))
    raise_seconds = time.perf_counter() - started
    await asyncio.sleep(5)
    memory.append((open_cycles, rss_mib(worker_pid)))
    # The oldest open cycle is no longer cached: its next change replays its history.
    started = time.perf_counter()
    await cycles.change(raised[0], SubmitAdviceInput(
        actors["cto-bzk"], AdviceStance.SUPPORT, "Later"))
    replayed_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    await cycles.change(raised[-1], SubmitAdviceInput(
        actors["cto-bzk"], AdviceStance.SUPPORT, "Later"))
    cached_ms = (time.perf_counter() - started) * 1000
    return {"ours": ours, "bare": base, "memory": memory, "raise_seconds": raise_seconds,
            "replayed_ms": replayed_ms, "cached_ms": cached_ms}


def report(results: dict, open_cycles: int, write: bool) -> None:
    ours, base = statistics.median(results["ours"]), statistics.median(results["bare"])
    lines = [
        f"Cycle throughput and worker memory ({os.cpu_count()} cores; one `stelsel worker` "
        "process, the bare loop's worker its own process; SecantusDB and the Temporal dev "
        "server on loopback). A cycle is 18 changes: raise, 3 advice, 2 closes, 12 votes "
        "(the twelfth decides by consensus).",
        "",
        "| measure | issue cycles | bare update loop (18 updates) | ratio |",
        "|---|---|---|---|",
        f"| cycles per second, {CYCLES} at a time (median of {ROUNDS} rounds) | {ours:.2f} | "
        f"{base:.2f} | {ours / base:.2f}× |",
        f"| changes per second | {ours * CHANGES:.0f} | {base * CHANGES:.0f} | |",
        "",
        "| open cycles | worker RSS (MiB) |",
        "|---|---|",
    ]
    for count, mib in results["memory"]:
        lines.append(f"| {count:,} | {mib:.0f} |")
    lines += [
        "",
        f"{open_cycles:,} cycles raised in {results['raise_seconds']:.0f} s "
        f"({open_cycles / results['raise_seconds']:.0f} per second, 50 at a time). "
        f"Then advice on the oldest"
        + (" (evicted from the worker's cache of 1,000 workflows, so replayed from its "
           "history)" if open_cycles > CACHED else "")
        + f": {results['replayed_ms']:.0f} ms; on the newest: {results['cached_ms']:.0f} ms.",
    ]
    text = "\n".join(lines)
    print(text)
    if write:
        replace_section("throughput", text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=10_000, help="open cycles for memory")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args()
    asyncio.run(main(args.open, args.write))
