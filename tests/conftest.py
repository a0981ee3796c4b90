"""Real servers, started once per session: SecantusDB (MongoDB wire protocol) and the
Temporal dev server. MONGODB_URI / TEMPORAL_ADDRESS point the suite at others."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import uvicorn
from pymongo import monitoring
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from services.embedded import (
    DEV_SERVER_CONFIG,
    free_port,
    mongodb_uri,
    start_secantus,
    tool_path,
)
from services.graph.app import create_app
from services.graph.auth import issue_token
from services.run import ApiServer
from services.settings import Settings
from services.store.database import Store
from services.store.demo import seed_demo
from services.workflows.converter import DATA_CONVERTER
from services.workflows.shared import SEARCH_ATTRIBUTES
from services.workflows.worker import build_worker

JWT_SECRET = "tests-only-secret-0123456789abcdef0123456789"


@pytest.fixture(scope="session")
def mongo_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("MONGODB_URI"):
        yield os.environ["MONGODB_URI"]
        return
    folder = tmp_path_factory.mktemp("secantus")
    server = start_secantus(free_port(), folder / "data", folder / "secantus.log")
    yield mongodb_uri(server.port)
    server.stop()


@pytest.fixture(scope="session")
async def temporal_client() -> AsyncIterator[Client]:
    if os.environ.get("TEMPORAL_ADDRESS"):
        yield await Client.connect(os.environ["TEMPORAL_ADDRESS"],
                                   data_converter=DATA_CONVERTER)
        return
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=tool_path("temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_extra_args=DEV_SERVER_CONFIG,
        ui=False,
        data_converter=DATA_CONVERTER,
        dev_server_log_level="error",
    )
    yield env.client
    await env.shutdown()


@pytest.fixture(scope="session")
def settings(mongo_uri: str) -> Settings:
    return Settings(
        mode="development",
        jwt_secret=JWT_SECRET,
        mongodb_uri=mongo_uri,
        mongodb_database=f"stelsel_test_{uuid.uuid4().hex[:8]}",
        task_queue=f"stelsel-test-{uuid.uuid4().hex[:8]}",
        # The suite makes many changes and reads as one person; the limits have own tests.
        mutations_per_minute=1_000_000,
        queries_per_minute=1_000_000,
    )


@pytest.fixture(scope="session")
async def store(settings: Settings) -> AsyncIterator[Store]:
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
    await store.ensure_indexes()
    await seed_demo(store, datetime.now(timezone.utc))
    yield store
    await store.close()


# -- the API running for real: uvicorn on a loopback port, with a worker ----------------


class CommandCounter(monitoring.CommandListener):
    """Counts the database commands the API sends (PyMongo command monitoring)."""

    def __init__(self) -> None:
        self.commands: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in ("hello", "isMaster", "ping", "endSessions", "getMore"):
            self.commands.append(event.command_name)

    def succeeded(self, event) -> None: ...

    def failed(self, event) -> None: ...


@pytest.fixture(scope="session")
def command_counter() -> CommandCounter:
    return CommandCounter()


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


@pytest.fixture(scope="session")
def api_settings(settings: Settings, temporal_client: Client) -> Settings:
    return settings.model_copy(
        update={"temporal_address": temporal_client.service_client.config.target_host}
    )


@pytest.fixture(scope="session")
async def api(
    api_settings: Settings, temporal_client: Client, store: Store,
    command_counter: CommandCounter,
) -> AsyncIterator[str]:
    async with build_worker(temporal_client, store, api_settings.task_queue):
        async with running_api(api_settings, event_listeners=[command_counter]) as url:
            yield url


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


@pytest.fixture
async def gql(api: str, settings: Settings) -> AsyncIterator[GraphQL]:
    client = GraphQL(api, settings)
    yield client
    await client.http.aclose()
