"""Small helpers shared by the suites: raising issues, reading them back, and API processes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any, TypeVar

import httpx
import uvicorn
from bson import ObjectId
from pymongo import monitoring
from temporalio.client import Client

from services.councils.definitions import preset
from services.domain.commands import RaiseIssueInput
from services.domain.procedure import ProcedureOverrides, WindowBounds, resolve_procedure
from services.domain.types import Actor, Procedure, Scope
from services.embedded import free_port, tool_path
from services.graph.app import create_app
from services.graph.auth import issue_token
from services.run import ApiServer
from services.settings import Settings
from services.store.database import Store
from services.store.demo import seed_demo
from services.workflows.worker import build_worker

T = TypeVar("T")

MINISTRIES = ["AZ", "BZ", "BZK", "DEF", "EZK", "FIN", "IenW", "JenV", "LVVN", "OCW", "SZW", "VWS"]


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
    council = preset("cio-beraad").rules
    procedure = resolve_procedure(
        defaults, ProcedureOverrides(**overrides), actor, WindowBounds(1, 10**8), council
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
        council=council,
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
        if [e.seq for e in timeline] != list(range(1, issue["last_seq"] + 1)):
            found.append(issue["_id"])
    return found


JWT_SECRET = "tests-only-secret-0123456789abcdef0123456789"


class CommandCounter(monitoring.CommandListener):
    """Counts the database commands the API sends (PyMongo command monitoring)."""

    def __init__(self) -> None:
        self.commands: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in ("hello", "isMaster", "ping", "endSessions", "getMore"):
            self.commands.append(event.command_name)

    def succeeded(self, event) -> None: ...

    def failed(self, event) -> None: ...


def running_api(settings: Settings, **mongo_options: Any):
    """The API's app served on a free loopback port; yields its URL."""
    return serving(create_app(settings, **mongo_options))


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """An ASGI app served by uvicorn on a free loopback port; yields its URL."""
    port = free_port()
    server = ApiServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "the API did not start"
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


class GraphQL:
    """A GraphQL-over-HTTP client holding tokens per person."""

    def __init__(self, base: str, settings: Settings) -> None:
        self.url = f"{base}/graphql"
        self.settings = settings
        self.http = httpx.AsyncClient(timeout=30)

    def token(self, person_id: str, ttl: int = 3600) -> str:
        return issue_token(self.settings, person_id, ttl)

    async def raw(self, query: str, variables: dict | None = None,
                  headers: dict | None = None) -> dict[str, Any]:
        # Escaped as JSON.stringify does, so a lone surrogate travels as `\ud800`.
        body = json.dumps({"query": query, "variables": variables})
        response = await self.http.post(
            self.url, content=body,
            headers={"content-type": "application/json", **(headers or {})})
        assert response.status_code == 200, response.text
        return response.json()

    async def __call__(self, query: str, variables: dict | None = None,
                       as_: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token(as_)}"} if as_ else {}
        body = await self.raw(query, variables, headers)
        assert "errors" not in body, body["errors"]
        return body["data"]


async def subscriptions_open(api: str) -> int:
    """Subscriptions the API at `api` holds now, as /metrics reports them."""
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(f"{api}/metrics")).text
    for line in text.splitlines():
        if line.startswith("stelsel_subscriptions "):
            return int(float(line.split()[1]))
    raise AssertionError("/metrics reports no stelsel_subscriptions")


async def until_subscribed(api: str, count: int) -> None:
    """Waits until the API holds `count` subscriptions: a subscription sent is only
    registered once the server has handled its frame."""
    await eventually(lambda: subscriptions_open(api), lambda n: n >= count, timeout=10)
