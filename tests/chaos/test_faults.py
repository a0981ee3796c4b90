"""Faults: MongoDB refusing writes, the worker, the servers and the API killed with SIGKILL
mid-vote. Nothing accepted may be lost or counted twice.

`make test` runs the quick variant (3 issues, 3 kills); `make chaos` the full one
(STELSEL_CHAOS_ISSUES=50, STELSEL_CHAOS_KILLS=10)."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import random
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from pymongo import monitoring
from temporalio.client import Client, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    ContributeInput,
    DecideInput,
    RaiseIssueInput,
    SubmitAdviceInput,
)
from services.domain.errors import Rejection
from services.domain.idempotency import request_id
from services.domain.types import Actor, AdviceStance, DecisionOutcome, VoteChoice
from services.embedded import (
    ServerProcess,
    free_port,
    mongodb_uri,
    start_secantus,
    tool_path,
)
from services.graph.auth import issue_token
from services.settings import Settings
from services.store.database import Store
from services.store.demo import seed_demo
from services.workflows.client import CycleBusy, CycleClient
from services.workflows.converter import DATA_CONVERTER
from services.workflows.issue_cycle.workflow import IssueWorkflow
from services.workflows.worker import build_worker
from tests.helpers import MINISTRIES, eventually, raise_input, start_api

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
                                 lambda t: len(t[issue_id]) >= issue.last_seq))[issue_id]
    assert [e.seq for e in timeline] == list(range(1, issue.last_seq + 1))
    return timeline


async def in_voting(cycles: CycleClient, store: Store) -> tuple[RaiseIssueInput, Actor]:
    """A government-wide issue the CIO Rijk raised and brought to VOTING; and the CIO Rijk."""
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk)
    await cycles.raise_issue(command)
    for _ in range(2):
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    return command, rijk


@pytest.mark.parametrize("fault", [
    pytest.param({"errorCode": 2}, id="refused"),
    pytest.param({"closeConnection": True}, id="connection-dropped"),
])
async def test_failed_writes_are_retried_until_the_timeline_is_whole(
    faulty_mongo, temporal_client: Client, fault: dict
):
    _, store = faulty_mongo
    failed.count = 0
    task_queue = f"faults-{uuid.uuid4().hex[:8]}"
    async with build_worker(temporal_client, store, task_queue):
        cycles = CycleClient(temporal_client, task_queue)
        command, rijk = await in_voting(cycles, store)
        # The next 6 inserts or updates fail (an error, or the connection dropped without a
        # reply): event writes and projection writes.
        await store.client.admin.command({
            "configureFailPoint": "failCommand", "mode": {"times": 6},
            "data": {"failCommands": ["insert", "update"], **fault}})
        cios = [await store.register.actor(f"cio-{m.lower()}") for m in MINISTRIES[:10]]
        await asyncio.gather(*(
            cycles.change(command.issue_id, CastVoteInput(cio, VoteChoice.AGREE)) for cio in cios))
        await store.client.admin.command({"configureFailPoint": "failCommand", "mode": "off"})
    assert failed.count == 6, "the fail point did not fire"
    issue = await store.issues.get(command.issue_id)
    assert len(issue.votes) == 10
    timeline = await gapless(store, command.issue_id)
    assert [e.kind for e in timeline].count("VOTE_CAST") == 10


async def test_a_record_mongodb_refuses_for_good_fails_its_update_and_the_issue_moves_on(
    faulty_mongo, temporal_client: Client
):
    """MongoDB answers BSONObjectTooLarge, which no retry mends: the vote is refused at once
    (not retried forever), the cycle forgets it, and the chair still closes and decides."""
    _, store = faulty_mongo
    task_queue = f"faults-{uuid.uuid4().hex[:8]}"
    async with build_worker(temporal_client, store, task_queue):
        cycles = CycleClient(temporal_client, task_queue)
        command, rijk = await in_voting(cycles, store)
        cio = await store.register.actor("cio-bzk")
        await store.client.admin.command({
            "configureFailPoint": "failCommand", "mode": {"times": 1},
            "data": {"failCommands": ["update"], "errorCode": 10334}})
        try:
            started = time.monotonic()
            with pytest.raises(Rejection) as refused:
                await cycles.change(command.issue_id, CastVoteInput(cio, VoteChoice.AGREE))
            assert time.monotonic() - started < 10
        finally:
            await store.client.admin.command({"configureFailPoint": "failCommand",
                                              "mode": "off"})
        assert refused.value.code.value == "INVALID_INPUT"
        handle = temporal_client.get_workflow_handle(f"issue-{command.issue_id}")
        state = await handle.query(IssueWorkflow.state)
        assert (state.seq, state.votes) == (3, [])  # the refused vote left no trace
        await cycles.change(command.issue_id, CastVoteInput(cio, VoteChoice.OBJECT, "Te vroeg"))
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
        await cycles.change(command.issue_id, DecideInput(rijk, DecisionOutcome.ADOPTED, "Besloten"))
    issue = await store.issues.get(command.issue_id)
    assert issue.phase == "DECIDED"
    timeline = await gapless(store, command.issue_id)
    assert [e.kind for e in timeline][3:] == ["VOTE_CAST", "NO_CONSENSUS", "DECIDED"]


# The health probe of the API-kill test runs on a thread of its own, with the standard
# library's client: the test's event loop and its default executor are busy with a thousand
# clients, and a probe sharing them timed out against an API that was up.
PROBE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health-probe")


def probe_until_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            if response.status == 200:
                return
            last = f"{response.status} {response.read()[:200]!r}"
        except OSError as err:
            last = f"{type(err).__name__}: {err}"
        finally:
            connection.close()
        time.sleep(0.1)
    raise RuntimeError(f"port {port} was not healthy within {timeout:.0f} s; last: {last}")


async def healthy(port: int) -> None:
    await asyncio.get_running_loop().run_in_executor(PROBE, probe_until_healthy, port)


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([tool_path("stelsel"), "worker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_a_worker_killed_during_full_cycles_loses_and_doubles_nothing(
    faulty_mongo, temporal_client: Client
):
    """Full government-wide cycles (raise, 3 advice, a contribution, 11 votes at once, the
    mandate decision) while the worker is SIGKILLed and restarted at random moments. Each
    change is sent as a client would: with an idempotency key, and again until answered."""
    server, store = faulty_mongo
    task_queue = f"kill-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "STELSEL_MODE": "development", "STELSEL_JWT_SECRET": "x" * 40,
           "MONGODB_URI": mongodb_uri(server.port), "STELSEL_MONGODB_DATABASE": "stelsel_faults",
           "TEMPORAL_ADDRESS": temporal_client.service_client.config.target_host,
           "STELSEL_TASK_QUEUE": task_queue}
    cycles = CycleClient(temporal_client, task_queue)
    actor = {p: await store.register.actor(p) for p in (
        ["cio-rijk", "cpo-bzk", "cdo-bzk", "cto-bzk"]
        + [f"cio-{m.lower()}" for m in MINISTRIES[:11]])}
    resent = 0

    async def until_answered(send, issue_id: str, person: str, key: str):
        nonlocal resent
        request = request_id(person, key)
        while True:
            try:
                return await send(request)
            except (CycleBusy, RPCError, WorkflowUpdateRPCTimeoutOrCancelledError):
                resent += 1
                await asyncio.sleep(0.5)
            except Rejection:
                # As the API answers: the cycle ended, by this very request on a try whose
                # answer was lost (Temporal keeps no update outcome past a workflow's end).
                if not await store.issues.applied(issue_id, request):
                    raise
                return None

    def change(issue_id: str, command, person: str, key: str):
        return until_answered(
            lambda request: cycles.change(issue_id, command, request), issue_id,
            person, key)

    async def full_cycle(n: int) -> str:
        rijk = actor["cio-rijk"]
        command = raise_input(rijk, touches_personal_data=True)
        await until_answered(lambda request: cycles.raise_issue(command, request),
                             command.issue_id, "cio-rijk", f"raise-{n}")
        issue_id = command.issue_id
        for role in ("cpo", "cdo", "cto"):
            await change(issue_id, SubmitAdviceInput(
                actor[f"{role}-bzk"], AdviceStance.SUPPORT, "Akkoord"), f"{role}-bzk", "advies")
        await change(issue_id, ClosePhaseInput(rijk),
                     "cio-rijk", "sluit-advies")
        await change(issue_id,
                     ContributeInput(actor["cio-fin"], "Kosten?"), "cio-fin", "bijdrage")
        await change(issue_id, ClosePhaseInput(rijk),
                     "cio-rijk", "sluit-beraad")
        await asyncio.gather(*(
            change(issue_id, CastVoteInput(
                actor[f"cio-{m.lower()}"], *((VoteChoice.OBJECT, "Te duur") if m == MINISTRIES[0]
                                             else (VoteChoice.AGREE,))),
                f"cio-{m.lower()}", "stem")
            for m in MINISTRIES[:11]))
        await change(issue_id, ClosePhaseInput(rijk),
                     "cio-rijk", "sluit-stemming")
        await change(issue_id, DecideInput(
            rijk, DecisionOutcome.ADOPTED, "Na bezwaar VWS"), "cio-rijk", "besluit")
        return issue_id

    worker = start_worker(env)
    started = time.monotonic()
    pending = asyncio.gather(*(full_cycle(n) for n in range(ISSUES)))
    try:
        rng = random.Random(7)
        for _ in range(KILLS):  # kill -9 at random moments while the cycles run
            await asyncio.sleep(rng.uniform(0.2, 1.0))
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            worker = start_worker(env)
        issues = await asyncio.wait_for(pending, 180 + 10 * ISSUES)
        print(f"\nchaos: {ISSUES} full cycles ({ISSUES * 18} changes, 11 votes at once per "
              f"issue), {KILLS} SIGKILLs of the worker, {resent} resends, "
              f"{time.monotonic() - started:.1f} s")
    finally:
        pending.cancel()
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    for issue_id in issues:
        issue = await store.issues.get(issue_id)
        assert issue.phase == "DECIDED"
        assert (issue.decision.route, issue.decision.outcome) == (
            "MANDATE", "ADOPTED")
        assert sorted(v.ministry for v in issue.votes) == sorted(MINISTRIES[:11])
        assert len(issue.advice) == 3 and len(issue.contributions) == 1
        kinds = [e.kind for e in await gapless(store, issue_id)]
        assert (kinds.count("VOTE_CAST"), kinds.count("ADVICE_SUBMITTED"),
                kinds.count("CONTRIBUTION_POSTED"), kinds.count("DECIDED")) == (11, 3, 1, 1)


async def test_servers_killed_and_restarted_mid_cycle_keep_timers_and_events(tmp_path: Path):
    """SIGKILL SecantusDB and the Temporal dev server (SQLite file) while votes are in
    flight, start both again on their files: the vote timer still fires, no event is lost
    or doubled."""
    from services.embedded import start_temporal
    from services.workflows.search_attributes import SEARCH_ATTRIBUTES

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
        client = await Client.connect(f"127.0.0.1:{temporal_port}",
                                      data_converter=DATA_CONVERTER)
        cycles = CycleClient(client, task_queue)
        rijk = await store.register.actor("cio-rijk")
        command = raise_input(rijk, vote_window_seconds=12)
        await cycles.raise_issue(command)
        for _ in range(2):
            await cycles.change(command.issue_id, ClosePhaseInput(rijk))
        cios = [await store.register.actor(f"cio-{m.lower()}") for m in MINISTRIES[:6]]
        pending = asyncio.gather(*(
            cycles.change(command.issue_id, CastVoteInput(cio, VoteChoice.ABSTAIN)) for cio in cios),
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
                                 lambda d: d is not None and d.phase == "MANDATE",
                                 timeout=60)
        timeline = await gapless(store, command.issue_id)
        cast = [e for e in timeline if e.kind == "VOTE_CAST"]
        assert len(cast) == len(issue.votes) >= len(accepted)
        assert timeline[-1].kind == "NO_CONSENSUS"
        print(f"\nchaos: servers killed mid-vote; {len(accepted)} of {len(cios)} votes "
              f"answered, {len(cast)} counted, the vote timer fired")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        await store.close()
        for server in servers.values():
            server.stop()


CONTRIBUTE = """mutation($input: ContributeInput!) { contribute(input: $input) {
  __typename ... on Rejected { code message } } }"""
VOTE = """mutation($input: CastVoteInput!) { castVote(input: $input) {
  __typename ... on Rejected { code message } } }"""


async def test_an_api_killed_mid_burst_counts_every_keyed_retry_once(
    faulty_mongo, temporal_client: Client, settings: Settings
):
    """Clients contribute and vote through an API process that is SIGKILLed and restarted
    mid-burst; they resend whatever got no answer with the same idempotency key. Every
    contribution and vote is stored exactly once and every request is answered `Issue`."""
    server, store = faulty_mongo
    task_queue = f"api-kill-{uuid.uuid4().hex[:8]}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "STELSEL_MODE": "development",
           "STELSEL_JWT_SECRET": settings.secret(), "STELSEL_JWT_AUDIENCE": settings.jwt_audience,
           "MONGODB_URI": mongodb_uri(server.port), "STELSEL_MONGODB_DATABASE": "stelsel_faults",
           "TEMPORAL_ADDRESS": temporal_client.service_client.config.target_host,
           "STELSEL_TASK_QUEUE": task_queue, "STELSEL_MUTATIONS_PER_MINUTE": "100000",
           "STELSEL_QUERIES_PER_MINUTE": "100000"}
    cycles = CycleClient(temporal_client, task_queue)
    rijk = await store.register.actor("cio-rijk")
    ministries = [m.lower() for m in MINISTRIES[:11]]
    interrupted: set[str] = set()
    # The worker runs in its own process, as in production: in this process its workflow
    # tasks (over 10 s each under the burst) starved the health probe, whose connect then
    # timed out although the restarted API was listening and healthy.
    worker = start_worker(env)
    # Each CIO has a client of their own, as distinct people do: a thousand requests queued
    # in one client's connection pool kept this process busy scanning the queue.
    clients = {m: httpx.AsyncClient(timeout=60) for m in ministries}
    async with contextlib.AsyncExitStack() as open_clients:
        for client in clients.values():
            await open_clients.enter_async_context(client)
        deliberating, voting = [], []
        for i in range(2 * ISSUES):
            command = raise_input(rijk)
            await cycles.raise_issue(command)
            for _ in range(1 + i % 2):
                await cycles.change(command.issue_id, ClosePhaseInput(rijk))
            (deliberating, voting)[i % 2].append(command.issue_id)
        api = start_api(env, port)
        await healthy(port)

        async def send(person: str, mutation: str, input: dict) -> None:
            """As a client: no answer (connection lost, 5xx, TRY_AGAIN) means resend."""
            headers = {"Authorization": f"Bearer {issue_token(settings, person, 3600)}"}
            backoff = 0.2
            while True:
                try:
                    response = await clients[person.removeprefix("cio-")].post(
                        f"{url}/graphql", headers=headers,
                        json={"query": mutation, "variables": {"input": input}})
                    if response.status_code == 200:
                        body = response.json()
                        if "errors" not in body:
                            result = next(iter(body["data"].values()))
                            assert result["__typename"] == "Issue", result
                            return
                        codes = {e["extensions"].get("code") for e in body["errors"]}
                        assert codes == {"TRY_AGAIN"}, body["errors"]
                except httpx.TransportError:
                    pass
                interrupted.add(input["idempotencyKey"] + person)
                # As well-behaved clients do: back off, with jitter. A thousand clients
                # retrying every 0.2 s kept this process's own event loop so busy that its
                # health probe timed out against an API that was up.
                await asyncio.sleep(backoff * jitter.uniform(0.5, 1.5))
                backoff = min(backoff * 2, 5.0)

        requests = [
            send(f"cio-{m}", CONTRIBUTE, {"issueId": issue_id, "text": f"{m} over {issue_id}",
                                          "idempotencyKey": f"bijdrage-{issue_id}"})
            for issue_id in deliberating for m in ministries
        ] + [
            send(f"cio-{m}", VOTE, {"issueId": issue_id, "choice": "AGREE",
                                    "idempotencyKey": f"stem-{issue_id}"})
            for issue_id in voting for m in ministries
        ]
        burst = asyncio.gather(*requests)
        rng = random.Random(11)
        jitter = random.Random(12)
        try:
            for _ in range(KILLS):
                await asyncio.sleep(rng.uniform(0.05, 0.3))
                api.send_signal(signal.SIGKILL)
                api.wait()
                api = start_api(env, port)
                await healthy(port)
            await asyncio.wait_for(burst, 120 + 10 * ISSUES)
        finally:
            burst.cancel()
            api.send_signal(signal.SIGTERM)
            api.wait(60)
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
    assert interrupted, "the kills never hit a request in flight"
    print(f"\nchaos: {len(requests)} keyed requests, {KILLS} SIGKILLs of the API, "
          f"{len(interrupted)} of them resent")
    for issue_id in deliberating:
        issue = await store.issues.get(issue_id)
        texts = sorted(c.text for c in issue.contributions)
        assert texts == sorted(f"{m} over {issue_id}" for m in ministries)
        await gapless(store, issue_id)
    for issue_id in voting:
        issue = await store.issues.get(issue_id)
        assert sorted(v.ministry for v in issue.votes) == sorted(MINISTRIES[:11])
        timeline = await gapless(store, issue_id)
        assert [e.kind for e in timeline].count("VOTE_CAST") == 11
