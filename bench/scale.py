"""Scale: the same reads and writes against a database of 100 issues and one of 10,000
issues with 1,000,000 timeline events, side by side in one run.

Both databases live on one SecantusDB, each with its own API process (read cache off, so
every read reaches the database) and its own worker. Each holds 100 issues raised through
the workflows; the large one also gets 9,900 issues and their events loaded in bulk (copies
of a real projection; events of the same shape). Measurements alternate between the two in
rounds; medians and p99 over all rounds.

    .venv/bin/python -m bench.scale --write
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import time
from datetime import datetime, timedelta, timezone

import httpx
from bson import ObjectId

from bench.docs import replace_section
from bench.read import MINISTRIES, raise_input
from bench.servers import bench_servers, process_env
from bench.write import percentile
from services.domain.commands import ClosePhaseInput
from services.embedded import free_port, tool_path, wait_healthy
from services.graph.auth import issue_token
from services.store.database import Store
from services.store.demo import seed_demo
from services.workflows.client import CycleClient, connect_temporal

REAL_ISSUES = 100
ROUNDS = 3
READS = {
    "issues(first: 50), as the dashboard asks": (
        "{ issues(first: 50) { edges { node { id title phase ministry { code } "
        "raisedBy { id name } tally { agree notVoted } } } } }"),
    "issues(first: 50) with totalCount": (
        "{ issues(first: 50) { totalCount edges { node { id title phase ministry { code } "
        "raisedBy { id name } tally { agree notVoted } } } } }"),
    "issues(filter: {phase: VOTING}, first: 20)": (
        "{ issues(filter: {phase: VOTING}, first: 20) { edges { node { id phase } } } }"),
    "issue(id) with its timeline": (
        "query($id: ID!) { issue(id: $id) { id phase timeline { seq kind summary } } }"),
}
VOTE = """mutation($id: ID!) { castVote(input: {issueId: $id, choice: AGREE}) {
  __typename ... on Rejected { code message } } }"""


class Side:
    """One database with its API process and worker."""

    def __init__(self, name: str, settings, database: str) -> None:
        self.name = name
        self.database = database
        self.task_queue = f"scale-{database}"
        self.port = free_port()
        env = process_env(settings, STELSEL_MONGODB_DATABASE=database,
                          STELSEL_TASK_QUEUE=self.task_queue, STELSEL_READ_CACHE="false")
        self.worker = subprocess.Popen([tool_path("stelsel"), "worker"], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.api = subprocess.Popen([tool_path("stelsel"), "api", "--port", str(self.port)],
                                    env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        self.store = Store.connect(settings.mongodb_uri, database)
        self.voting: list[str] = []
        self.timings: dict[str, list[float]] = {}

    async def stop(self) -> None:
        for process in (self.api, self.worker):
            process.terminate()
            process.wait(60)
        await self.store.close()


async def prepare(side: Side, client) -> None:
    await side.store.ensure_indexes()
    await seed_demo(side.store, datetime.now(timezone.utc))
    cycles = CycleClient(client, side.task_queue)
    rijk = await side.store.register.actor("cio-rijk")
    commands = [raise_input(rijk) for _ in range(REAL_ISSUES)]
    for batch in range(0, REAL_ISSUES, 25):
        await asyncio.gather(*(cycles.raise_issue(c) for c in commands[batch:batch + 25]))
    # Some in VOTING, for the votes and the phase filter.
    for command in commands[:(ROUNDS + 1) * 2]:  # two per round and the warm-up
        for _ in range(2):
            await cycles.change(command.issue_id, ClosePhaseInput(rijk))
        side.voting.append(command.issue_id)


async def load_bulk(store: Store, issues: int, events: int) -> float:
    """Copies of a real projection, raised over four years, and events of the shape the
    workflows write."""
    started = time.perf_counter()
    template = await store.db["issues"].find_one({"phase": "ADVICE"})
    per_issue = -(-events // issues)  # rounded up: at least `events` in all
    at = datetime.now(timezone.utc) - timedelta(days=30)
    batch_issues, batch_events = [], []
    # Raised over the four years before the real ones, as a council's register grows.
    span = timedelta(days=4 * 365).total_seconds()
    for n in range(issues):
        raised = datetime.now(timezone.utc) - timedelta(days=1, seconds=span * n / issues)
        issue_id = str(ObjectId(ObjectId.from_datetime(raised).binary[:4] + os.urandom(8)))
        batch_issues.append({**template, "_id": issue_id, "phase": "DECIDED",
                             "last_seq": per_issue, "raised_at": raised,
                             "raised_day": raised.strftime("%Y-%m-%d")})
        for seq in range(1, per_issue + 1):
            batch_events.append({
                "_id": f"{issue_id}:{seq:07d}", "issue_id": issue_id, "seq": seq,
                "kind": "CONTRIBUTION_POSTED", "phase": "DELIBERATION", "at": at,
                "actor_id": "cio-bzk", "summary": f"Bijdrage {seq}",
                "public_summary": "Een bijdrage"})
        if len(batch_events) >= 20_000:
            await store.db["events"].insert_many(batch_events, ordered=False)
            await store.db["issues"].insert_many(batch_issues, ordered=False)
            batch_issues, batch_events = [], []
    if batch_events:
        await store.db["events"].insert_many(batch_events, ordered=False)
        await store.db["issues"].insert_many(batch_issues, ordered=False)
    return time.perf_counter() - started


async def measure_round(http: httpx.AsyncClient, side: Side, settings, round_: int,
                        reads: int) -> None:
    url = f"http://127.0.0.1:{side.port}/graphql"
    reader = {"Authorization": f"Bearer {issue_token(settings, 'cio-bzk', 3600)}"}

    async def timed(name: str, body: dict, headers: dict) -> dict:
        started = time.perf_counter()
        response = (await http.post(url, json=body, headers=headers)).json()
        side.timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        assert "errors" not in response, response
        return response["data"]

    for name, query in READS.items():
        for _ in range(reads):
            await timed(name, {"query": query, "variables": {"id": side.voting[0]}}, reader)
    # castVote: eleven members on the round's own two issues.
    for issue_id in side.voting[round_ * 2:round_ * 2 + 2]:
        for ministry in MINISTRIES[:11]:
            voter = {"Authorization": f"Bearer {issue_token(settings, f'cio-{ministry.lower()}', 3600)}"}
            data = await timed("castVote", {"query": VOTE, "variables": {"id": issue_id}},
                               voter)
            assert data["castVote"]["__typename"] == "Issue", data


async def main(issues: int, events: int, reads: int, write: bool) -> None:
    async with bench_servers("stelsel_bench_scale_small") as settings:
        client = await connect_temporal(settings)
        small = Side("100 issues", settings, "stelsel_bench_scale_small")
        large = Side(f"{issues:,} issues, {events:,} events", settings,
                     "stelsel_bench_scale_large")
        try:
            async with httpx.AsyncClient(timeout=60) as http:
                for side in (small, large):
                    await wait_healthy(f"http://127.0.0.1:{side.port}")
                await asyncio.gather(prepare(small, client), prepare(large, client))
                bulk_seconds = await load_bulk(large.store, issues - REAL_ISSUES,
                                               events - await large.store.db["events"]
                                               .count_documents({}))
                counts = {side.name: (await side.store.db["issues"].count_documents({}),
                                      await side.store.db["events"].count_documents({}))
                          for side in (small, large)}
                for side in (small, large):  # warm-up
                    await measure_round(http, side, settings, 0, 3)
                    side.timings.clear()
                for round_ in range(1, ROUNDS + 1):
                    for side in (small, large):
                        await measure_round(http, side, settings, round_, reads)
        finally:
            for side in (small, large):
                await side.stop()
    report(small, large, counts, bulk_seconds, write)


def report(small: Side, large: Side, counts: dict, bulk_seconds: float, write: bool) -> None:
    lines = [
        f"Scale ({os.cpu_count()} cores): one SecantusDB, two databases side by side, each with "
        "its own API process (read cache off) and worker; rounds alternate between them.",
        "",
    ]
    for side in (small, large):
        issues, events = counts[side.name]
        lines.append(f"- {side.name}: {issues:,} issues, {events:,} events in the database")
    lines += [
        f"- bulk load of the large one: {bulk_seconds:.0f} s",
        "",
        "| request | 100 issues p50 / p99 ms | large p50 / p99 ms | p50 ratio | within 20%? |",
        "|---|---|---|---|---|",
    ]
    for name in small.timings:
        a, b = small.timings[name], large.timings[name]
        ratio = statistics.median(b) / statistics.median(a)
        lines.append(
            f"| {name} | {statistics.median(a):.1f} / {percentile(a, 0.99):.1f} | "
            f"{statistics.median(b):.1f} / {percentile(b, 0.99):.1f} | {ratio:.2f}× | "
            f"{'yes' if ratio <= 1.2 else '**no**'} |")
    lines.append(f"\n({len(small.timings['castVote'])} votes and "
                 f"{len(small.timings[next(iter(READS))])} of each read per side.)")
    text = "\n".join(lines)
    print(text)
    if write:
        replace_section("scale", text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=30, help="of each query per round")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args()
    asyncio.run(main(args.issues, args.events, args.reads, args.write))
