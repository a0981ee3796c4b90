"""Reads as a council makes them: the dashboard's `issues(first: 50)` list, and the issue
page with its timeline, advice, votes and `myActions`, read by 50 distinct callers
(officers' tokens and anonymous) while votes arrive, each against one quiet anonymous
caller of the same read, on the same API process in one run.

The API and the worker run as their own processes (`stelsel api`, `stelsel worker`), as in
production; wrk sends the reads (16 connections, each request with the next caller's
token), this process sends the votes over HTTP at a fixed rate.

    .venv/bin/python -m bench.live --seconds 10 --write
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.docs import replace_section
from bench.read import MINISTRIES, QUERY, raise_input, serve, wrk
from bench.servers import bench_servers, process_env
from services.domain.commands import ClosePhaseInput
from services.embedded import free_port, tool_path
from services.graph.auth import issue_token
from services.store.database import Store
from services.workflows.client import CycleClient, connect_temporal
from services.workflows.worker import build_worker

ROOT = Path(__file__).parents[1]
# The issue page as the dashboard asks for it (web/src/issue.js), without the council.
ISSUE_PAGE = """query($id: ID!) { issue(id: $id) { id title proposal proposalVersion scope phase
  phaseDeadline overdue lastSeq myActions waitingOn ministry { code name } raisedBy { name }
  tally { agree abstain object notVoted eligible }
  decision { route outcome motivation decidedAt decidedBy { name } binding }
  advice { role stance text submittedAt officer { ministry { code } person { name } } }
  contributions { text postedAt author { name } ministry { code } }
  votes { choice reason castAt ministry { code } voter { name } }
  timeline { seq kind phase at summary actor { name } } } }"""
ISSUES_WATCHED = 10  # issue pages open: each caller has one of these, votes arrive on all
ISSUES_VOTING = 40
CALLERS = 50
VOTE = """mutation($id: ID!, $choice: VoteChoice!) { castVote(input: {issueId: $id,
  choice: $choice}) { __typename ... on Rejected { code message } } }"""
# Each request carries the next caller's token (an empty one: anonymous) and the next body.
ROTATING = """tokens = {%s}
bodies = {%s}
counter = 0
request = function()
  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  local headers = {["Content-Type"] = "application/json"}
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", nil, headers, bodies[(counter %% #bodies) + 1])
end
"""


async def seed(settings, client) -> tuple[list[str], list[str]]:
    """Issues in VOTING (the ones votes arrive on) and some in ADVICE."""
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
    voting = []
    async with build_worker(client, store, settings.task_queue):
        cycles = CycleClient(client, settings.task_queue)
        rijk = await store.register.actor("cio-rijk")
        for i in range(ISSUES_VOTING + 10):
            command = raise_input(rijk)
            await cycles.raise_issue(command)
            if i < ISSUES_VOTING:
                for _ in range(2):
                    await cycles.change(command.issue_id, ClosePhaseInput(rijk))
                voting.append(command.issue_id)
    people = [o.person_id for o in await store.register.officers()]
    await store.close()
    return voting, people


class Voters:
    """Eleven CIOs (never the twelfth, so no vote reaches consensus) voting round robin over
    the issues, each changing its vote every time, across every mix of the run."""

    def __init__(self, issues: list[str]) -> None:
        self.pairs = itertools.cycle([(i, m) for m in MINISTRIES[:11] for i in issues])
        self.choice: dict[tuple[str, str], str] = {}


async def votes(url: str, tokens: dict[str, str], voters: Voters, per_second: float,
                stop: asyncio.Event) -> list[float]:
    """castVote at `per_second` until `stop`; the latency of each."""
    latencies: list[float] = []
    if per_second <= 0:
        await stop.wait()
        return latencies
    pairs, choice = voters.pairs, voters.choice
    pending: set[asyncio.Task] = set()
    async with httpx.AsyncClient(timeout=30) as http:

        async def one(issue_id: str, ministry: str) -> None:
            flip = "ABSTAIN" if choice.get((issue_id, ministry)) == "AGREE" else "AGREE"
            choice[(issue_id, ministry)] = flip
            started = time.perf_counter()
            body = (await http.post(url, json={"query": VOTE, "variables": {
                "id": issue_id, "choice": flip}}, headers={
                "Authorization": f"Bearer {tokens[ministry]}"})).json()
            latencies.append((time.perf_counter() - started) * 1000)
            assert body["data"]["castVote"]["__typename"] == "Issue", body

        next_at = time.perf_counter()
        while not stop.is_set():
            task = asyncio.create_task(one(*next(pairs)))
            pending.add(task)
            task.add_done_callback(pending.discard)
            next_at += 1 / per_second
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        await asyncio.gather(*pending)
    return latencies


async def mix(url: str, script: Path | None, seconds: int, vote_rate: float, tokens: dict[str, str],
              voters: Voters) -> dict:
    stop = asyncio.Event()
    voting = asyncio.create_task(votes(url, tokens, voters, vote_rate, stop))
    if script is None:  # votes alone: their quiet latency
        await asyncio.sleep(seconds)
        reads = {"rps": 0.0, "p50": 0.0, "p99": 0.0, "errors": False}
    else:
        reads = await asyncio.to_thread(wrk, url, script, seconds)
    stop.set()
    latencies = await voting
    if latencies:
        ordered = sorted(latencies)
        reads["votes"] = len(ordered)
        reads["vote_p50"] = statistics.median(ordered)
        reads["vote_p99"] = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return reads


async def main(seconds: int, rounds: int, write: bool, processes: int = 1,
               together: bool = False) -> None:
    if shutil.which("wrk") is None:
        sys.exit("bench/live.py needs wrk: apt-get install wrk")
    async with bench_servers("stelsel_bench_live") as settings:
        client = await connect_temporal(settings)
        issues, people = await seed(settings, client)
        env = process_env(settings, PYTHONPATH=str(ROOT))
        stelsel = tool_path("stelsel")
        port = free_port()
        if together:  # as `make run`: one process, one event loop
            worker = None
            api = serve([sys.executable, "-m", "bench.together", "--port", str(port)], env,
                        port)
        else:
            worker = subprocess.Popen([stelsel, "worker"], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            api = serve([stelsel, "api", "--port", str(port), "--processes", str(processes)],
                        env, port)
        url = f"http://127.0.0.1:{port}/graphql"
        folder = Path(settings.data_dir)
        body = json.dumps({"query": QUERY})
        callers = [issue_token(settings, p, 3600) for p in people[:CALLERS - 1]] + [""]
        quiet = folder / "quiet.lua"
        quiet.write_text(ROTATING % ('""', f"[[{body}]]"))
        many = folder / "many.lua"
        many.write_text(ROTATING % (", ".join(f'"{t}"' for t in callers), f"[[{body}]]"))
        pages = [json.dumps({"query": ISSUE_PAGE, "variables": {"id": i}})
                 for i in issues[:ISSUES_WATCHED]]
        quiet_page = folder / "quiet-page.lua"
        quiet_page.write_text(ROTATING % ('""', ", ".join(f"[[{b}]]" for b in pages)))
        many_pages = folder / "many-pages.lua"
        many_pages.write_text(ROTATING % (", ".join(f'"{t}"' for t in callers),
                                                ", ".join(f"[[{b}]]" for b in pages)))
        cio_tokens = {m: issue_token(settings, f"cio-{m.lower()}", 3600) for m in MINISTRIES}
        lists, page = "1 anonymous caller, no votes", "issue page: 1 anonymous caller, no votes"
        mixes = [("no reads, 5 votes/s", None, 5.0, None),
                 (lists, quiet, 0.0, lists),
                 (f"{CALLERS} distinct callers, no votes", many, 0.0, lists),
                 (f"{CALLERS} distinct callers, 1 vote/s", many, 1.0, lists),
                 (f"{CALLERS} distinct callers, 5 votes/s", many, 5.0, lists),
                 (page, quiet_page, 0.0, page),
                 (f"issue page: {CALLERS} distinct callers, 1 vote/s", many_pages, 1.0, page),
                 (f"issue page: {CALLERS} distinct callers, 5 votes/s", many_pages, 5.0, page)]
        results: dict[str, list[dict]] = {name: [] for name, _, _, _ in mixes}
        against = {name: quiet_name for name, _, _, quiet_name in mixes}
        voters = Voters(issues)
        try:
            wrk(url, quiet, 2)  # warm-up
            for _ in range(rounds):
                for name, script, rate, _ in mixes:
                    results[name].append(
                        await mix(url, script, seconds, rate, cio_tokens, voters))
        finally:
            for process in (api, worker):
                if process is not None:
                    process.terminate()
                    process.wait(30)
    report(results, against, seconds, rounds, write, processes, together)


def report(results: dict[str, list[dict]], against: dict[str, str | None], seconds: int,
           rounds: int, write: bool, processes: int = 1, together: bool = False) -> None:
    def median(runs: list[dict], key: str) -> float | None:
        values = [r[key] for r in runs if key in r]
        return statistics.median(values) if values else None

    names = list(results)
    lines = [
        "Live reads: `issues(first: 50)` (as bench/read.py) on "
        + ("the API and the worker in one process on one event loop, as `make run` serves "
           "them" if together else
           f"{'one API process' if processes == 1 else f'{processes} API processes on one port'}"
           " with a worker process beside it")
        + "; wrk 16 connections, each request with the next of the "
        f"callers' tokens; the issue page as web/src/issue.js asks for it, each caller with one "
        f"of {ISSUES_WATCHED} issues that votes arrive on among others; votes over HTTP at the given rate; {rounds} interleaved "
        f"round(s) of {seconds} s, medians; {os.cpu_count()} cores, everything on this "
        "machine.",
        "",
        "| load | reads/s | × quiet | read p50 ms | read p99 ms | vote p50 ms | vote p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        runs = results[name]
        rps = median(runs, "rps")
        quiet = median(results[against[name]], "rps") if against[name] else None
        vote50, vote99 = median(runs, "vote_p50"), median(runs, "vote_p99")
        reads = (f"{rps:,.0f} | {rps / quiet:.2f}× | {median(runs, 'p50'):.1f} | "
                 f"{median(runs, 'p99'):.1f}" if rps else "— | — | — | —")
        lines.append(f"| {name} | {reads} | "
                     + (f"{vote50:.0f} | {vote99:.0f} |" if vote50 is not None else "— | — |"))
    errors = [n for n, runs in results.items() if any(r["errors"] for r in runs)]
    if errors:
        lines.append(f"\nErrors (non-2xx or socket) seen for: {', '.join(errors)}")
    text = "\n".join(lines)
    print(text)
    if write:
        replace_section("live-together" if together else "live", text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    parser.add_argument("--api-processes", type=int, default=1,
                        help="`stelsel api --processes N`: API processes on one port")
    parser.add_argument("--together", action="store_true",
                        help="the API and the worker in one process, as `make run` serves them")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, arguments.rounds, arguments.write,
                     arguments.api_processes, arguments.together))
