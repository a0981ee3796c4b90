"""Small helpers shared by the suites: raising issues, reading them back, and API processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import TypeVar

from bson import ObjectId
from temporalio.client import Client

from services.domain.commands import RaiseIssueInput
from services.domain.procedure import ProcedureOverrides, WindowBounds, resolve_procedure
from services.domain.types import Actor, Procedure, Scope
from services.embedded import tool_path
from services.settings import Settings
from services.store.database import Store
from services.store.demo import seed_demo
from services.workflows.worker import build_worker

T = TypeVar("T")

MINISTRIES = ["AZ", "BZ", "BZK", "DEF", "EZK", "FIN", "IenW", "JenV", "LNV", "OCW", "SZW", "VWS"]


def raise_input(
    actor: Actor,
    scope: Scope = Scope.GOVERNMENT_WIDE,
    ministry: str | None = None,
    touches_personal_data: bool = False,
    binding_framework: bool = False,
    windows: int = 3600,
    **overrides: float,
) -> RaiseIssueInput:
    defaults = Procedure(windows, windows, windows, windows, 2 / 3)
    procedure = resolve_procedure(
        defaults, ProcedureOverrides(**overrides), actor, WindowBounds(1, 10**8)
    ) if overrides else defaults
    return RaiseIssueInput(
        issue_id=str(ObjectId()),
        actor=actor,
        title="Cloudbeleid Rijksoverheid",
        proposal="Rijksbrede kaders voor het gebruik van publieke cloud.",
        scope=scope,
        ministry=ministry,
        touches_personal_data=touches_personal_data,
        procedure=procedure,
        topics=["cloud"],
        binding_framework=binding_framework,
    )


async def eventually(
    probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], timeout: float = 20
) -> T:
    """Polls until `accept(probe())`; returns the accepted value or fails with the last one."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await probe()
        if accept(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s; last value: {value!r}")
        await asyncio.sleep(0.1)


def start_api(env: dict[str, str], port: int) -> subprocess.Popen:
    """`stelsel api` as its own process, on the servers `env` names; its log goes to the
    file STELSEL_TEST_API_LOG names, if any."""
    log = os.environ.get("STELSEL_TEST_API_LOG")
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (the child owns it)
    return subprocess.Popen([tool_path("stelsel"), "api", "--port", str(port)], env=env,
                            stdout=out, stderr=subprocess.STDOUT)


@asynccontextmanager
async def isolated_api(api_settings: Settings, temporal: Client, name: str
                       ) -> AsyncIterator[tuple[str, Store, Settings]]:
    """An API and a worker on a database and task queue of their own, with the demo
    register and errors masked as in production: what a test does there stays there.
    Yields (url, store, settings)."""
    from tests.conftest import running_api

    settings = api_settings.model_copy(update={
        "mask_errors": True,
        "mongodb_database": f"{api_settings.mongodb_database}_{name}",
        "task_queue": f"{api_settings.task_queue}-{name}",
    })
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
    await store.ensure_indexes()
    await seed_demo(store, datetime.now(timezone.utc))
    try:
        async with build_worker(temporal, store, settings.task_queue), \
                running_api(settings) as url:
            yield url, store, settings
    finally:
        await store.close()


async def timeline_gaps(store: Store) -> list[str]:
    """The issues whose stored timeline is not 1, 2, ..., last_seq."""
    found = []
    for issue in await store.issues.issues.find({}, {"last_seq": 1}).to_list():
        timeline = (await store.issues.timelines([issue["_id"]]))[issue["_id"]]
        if [e["seq"] for e in timeline] != list(range(1, issue["last_seq"] + 1)):
            found.append(issue["_id"])
    return found
