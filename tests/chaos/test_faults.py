"""Faults: MongoDB refusing writes, and the worker killed with SIGKILL mid-vote. Nothing
accepted may be lost or counted twice.

`make test` runs the quick variant (3 issues, 3 kills); `make chaos` the full one
(STELSEL_CHAOS_ISSUES=50, STELSEL_CHAOS_KILLS=10)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pymongo import monitoring
from temporalio.client import Client

from services.domain.commands import CastVoteInput, ClosePhaseInput
from services.domain.errors import Rejection, RejectionCode
from services.domain.types import VoteChoice
from services.embedded import ServerProcess, free_port, mongodb_uri, start_secantus, tool_path
from services.store.database import Store
from services.store.demo import seed_demo
from services.workflows.client import CycleBusy, CycleClient
from services.workflows.issue_cycle.workflow import IssueWorkflow
from services.workflows.worker import build_worker
from tests.helpers import MINISTRIES, eventually, raise_input

ISSUES = int(os.environ.get("STELSEL_CHAOS_ISSUES", "3"))
KILLS = int(os.environ.get("STELSEL_CHAOS_KILLS", "3"))


class FailedWrites(monitoring.CommandListener):
    def __init__(self) -> None:
        self.count = 0

    def started(self, event) -> None: ...

    def succeeded(self, event) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        if event.command_name in ("insert", "update"):
            self.count += 1


failed = FailedWrites()


@pytest.fixture(scope="module")
async def faulty_mongo(tmp_path_factory) -> AsyncIterator[tuple[ServerProcess, Store]]:
    folder: Path = tmp_path_factory.mktemp("faulty")
    server = start_secantus(free_port(), folder / "data", folder / "log", test_commands=True)
    store = Store.connect(mongodb_uri(server.port), "stelsel_faults", event_listeners=[failed])
    await store.ensure_indexes()
    await seed_demo(store, datetime.now(timezone.utc))
    yield server, store
    await store.close()
    server.stop()


async def gapless(store: Store, issue_id: str) -> list[dict]:
    issue = await store.issues.get(issue_id)
    timeline = (await eventually(lambda: store.issues.timelines([issue_id]),
                                 lambda t: len(t[issue_id]) >= issue["last_seq"]))[issue_id]
    assert [e["seq"] for e in timeline] == list(range(1, issue["last_seq"] + 1))
    return timeline


async def test_refused_writes_are_retried_until_the_timeline_is_whole(
    faulty_mongo, temporal_client: Client
):
    _, store = faulty_mongo
    task_queue = f"faults-{uuid.uuid4().hex[:8]}"
    async with build_worker(temporal_client, store, task_queue):
        cycles = CycleClient(temporal_client, task_queue)
        rijk = await store.register.actor("cio-rijk")
        command = raise_input(rijk)
        await cycles.raise_issue(command)
        for _ in range(2):
            await cycles.update(command.issue_id, IssueWorkflow.close_phase,
                                ClosePhaseInput(rijk))
        # The next 6 inserts or updates fail: event writes and projection writes.
        await store.client.admin.command({
            "configureFailPoint": "failCommand", "mode": {"times": 6},
            "data": {"failCommands": ["insert", "update"], "errorCode": 2}})
        cios = [await store.register.actor(f"cio-{m.lower()}") for m in MINISTRIES[:10]]
        await asyncio.gather(*(
            cycles.update(command.issue_id, IssueWorkflow.cast_vote,
                          CastVoteInput(cio, VoteChoice.AGREE)) for cio in cios))
        await store.client.admin.command({"configureFailPoint": "failCommand", "mode": "off"})
    assert failed.count == 6, "the fail point did not fire"
    issue = await store.issues.get(command.issue_id)
    assert len(issue["votes"]) == 10
    timeline = await gapless(store, command.issue_id)
    assert [e["kind"] for e in timeline].count("VOTE_CAST") == 10


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([tool_path("stelsel"), "worker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_a_worker_killed_mid_vote_loses_and_doubles_nothing(
    faulty_mongo, temporal_client: Client
):
    server, store = faulty_mongo
    task_queue = f"kill-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "STELSEL_MODE": "development", "STELSEL_JWT_SECRET": "x" * 40,
           "MONGODB_URI": mongodb_uri(server.port), "STELSEL_MONGODB_DATABASE": "stelsel_faults",
           "TEMPORAL_ADDRESS": temporal_client.service_client.config.target_host,
           "STELSEL_TASK_QUEUE": task_queue}
    cycles = CycleClient(temporal_client, task_queue)
    rijk = await store.register.actor("cio-rijk")
    worker = start_worker(env)
    issues = []
    try:
        for _ in range(ISSUES):
            command = raise_input(rijk)
            await cycles.raise_issue(command)
            for _ in range(2):
                await cycles.update(command.issue_id, IssueWorkflow.close_phase,
                                    ClosePhaseInput(rijk))
            issues.append(command.issue_id)
        cios = [await store.register.actor(f"cio-{m.lower()}") for m in MINISTRIES[:11]]
        async def vote(issue_id: str, cio) -> str:
            """As a client would: TRY_AGAIN means applied at most once, so try again until
            it is counted (a DUPLICATE says an earlier try was)."""
            while True:
                try:
                    await cycles.update(issue_id, IssueWorkflow.cast_vote,
                                        CastVoteInput(cio, VoteChoice.AGREE))
                    return "counted"
                except CycleBusy:
                    await asyncio.sleep(0.5)
                except Rejection as rejection:
                    assert rejection.code == RejectionCode.DUPLICATE, rejection.message
                    return "counted before"

        votes = [vote(issue_id, cio) for issue_id in issues for cio in cios]
        pending = asyncio.gather(*votes)
        rng = random.Random(7)
        for _ in range(KILLS):  # kill -9 at random moments while votes are in flight
            await asyncio.sleep(rng.uniform(0.05, 0.4))
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            worker = start_worker(env)
        started = time.monotonic()
        results = await asyncio.wait_for(pending, 120 + 10 * ISSUES)
        assert len(results) == len(votes)
        print(f"\nchaos: {len(votes)} votes on {ISSUES} issues, {KILLS} SIGKILLs of the worker, "
              f"{results.count('counted before')} answered DUPLICATE after a retry, "
              f"{time.monotonic() - started:.1f} s")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    for issue_id in issues:
        issue = await store.issues.get(issue_id)
        assert sorted(v["ministry"] for v in issue["votes"]) == sorted(MINISTRIES[:11])
        timeline = await gapless(store, issue_id)
        assert [e["kind"] for e in timeline].count("VOTE_CAST") == 11


async def test_servers_killed_and_restarted_mid_cycle_keep_timers_and_events(tmp_path: Path):
    """SIGKILL SecantusDB and the Temporal dev server (SQLite file) while votes are in
    flight, start both again on their files: the vote timer still fires, no event is lost
    or doubled."""
    from services.embedded import start_temporal
    from services.workflows.shared import SEARCH_ATTRIBUTES

    kinds = {key.name: "Keyword" if key.indexed_value_type == 2 else "Bool"
             for key in SEARCH_ATTRIBUTES}
    mongo_port, temporal_port = free_port(), free_port()

    def mongo() -> ServerProcess:
        return start_secantus(mongo_port, tmp_path / "mongo", tmp_path / "mongo.log")

    def temporal() -> ServerProcess:
        return start_temporal(temporal_port, free_port(), tmp_path / "temporal.db",
                              tmp_path / "temporal.log", kinds)

    servers = {"mongo": mongo(), "temporal": temporal()}
    task_queue = f"servers-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "STELSEL_MODE": "development", "STELSEL_JWT_SECRET": "x" * 40,
           "MONGODB_URI": mongodb_uri(mongo_port), "STELSEL_MONGODB_DATABASE": "stelsel_kill",
           "TEMPORAL_ADDRESS": f"127.0.0.1:{temporal_port}", "STELSEL_TASK_QUEUE": task_queue}
    store = Store.connect(mongodb_uri(mongo_port), "stelsel_kill")
    await store.ensure_indexes()
    await seed_demo(store, datetime.now(timezone.utc))
    worker = start_worker(env)
    try:
        client = await Client.connect(f"127.0.0.1:{temporal_port}")
        cycles = CycleClient(client, task_queue)
        rijk = await store.register.actor("cio-rijk")
        command = raise_input(rijk, vote_window_seconds=12)
        await cycles.raise_issue(command)
        for _ in range(2):
            await cycles.update(command.issue_id, IssueWorkflow.close_phase,
                                ClosePhaseInput(rijk))
        cios = [await store.register.actor(f"cio-{m.lower()}") for m in MINISTRIES[:6]]
        pending = asyncio.gather(*(
            cycles.update(command.issue_id, IssueWorkflow.cast_vote,
                          CastVoteInput(cio, VoteChoice.ABSTAIN)) for cio in cios),
            return_exceptions=True)
        await asyncio.sleep(0.2)
        for name, start in (("mongo", mongo), ("temporal", temporal)):
            servers[name].process.send_signal(signal.SIGKILL)
            servers[name].process.wait()
            await asyncio.sleep(0.5)
            servers[name] = await asyncio.to_thread(start)
        outcomes = await asyncio.wait_for(pending, 120)
        accepted = [o for o in outcomes if not isinstance(o, BaseException)]
        # Abstentions only: nobody agrees, so the vote closes at its timer, in MANDATE.
        issue = await eventually(lambda: store.issues.get(command.issue_id),
                                 lambda d: d is not None and d["phase"] == "MANDATE",
                                 timeout=60)
        timeline = await gapless(store, command.issue_id)
        cast = [e for e in timeline if e["kind"] == "VOTE_CAST"]
        assert len(cast) == len(issue["votes"]) >= len(accepted)
        assert timeline[-1]["kind"] == "NO_CONSENSUS"
        print(f"\nchaos: servers killed mid-vote; {len(accepted)} of {len(cios)} votes "
              f"answered, {len(cast)} counted, the vote timer fired")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        await store.close()
        for server in servers.values():
            server.stop()
