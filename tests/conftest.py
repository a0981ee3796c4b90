"""Real servers, started once per session: SecantusDB (MongoDB wire protocol) and the
Temporal dev server. MONGODB_URI / TEMPORAL_ADDRESS point the suite at others.

Each test module has its own database, task queue, worker and API, so no module sees
another's issues, timers or events."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from services.embedded import (
    DEV_SERVER_CONFIG,
    free_port,
    mongodb_uri,
    start_secantus,
    tool_path,
)
from services.settings import Settings
from services.store.database import Store
from services.store.demo import seed_demo
from services.workflows.converter import DATA_CONVERTER
from services.workflows.search_attributes import SEARCH_ATTRIBUTES
from services.workflows.worker import build_worker
from tests.helpers import JWT_SECRET, CommandCounter, GraphQL, running_api

# The fake identity provider (the `issuer` fixture) for every test that needs one.
pytest_plugins = ["tests.fake_issuer"]

# `make test` (every change) leaves these to `make test-all`: whole processes, a browser,
# fault injection and the long fuzzing run. CI runs both.
FULL_SUITE = ("tests/e2e/", "tests/chaos/", "tests/graph/test_fuzz.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(FULL_SUITE):
            item.add_marker(pytest.mark.full)


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


@pytest.fixture(scope="module")
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
        downloads_per_minute=1_000_000,
    )


@pytest.fixture(scope="module")
async def store(settings: Settings) -> AsyncIterator[Store]:
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
    await store.ensure_indexes()
    await seed_demo(store, datetime.now(timezone.utc))
    yield store
    await store.close()


# -- the API running for real: uvicorn on a loopback port, with a worker ----------------


@pytest.fixture(scope="module")
def command_counter() -> CommandCounter:
    return CommandCounter()


@pytest.fixture(scope="module")
def api_settings(settings: Settings, temporal_client: Client) -> Settings:
    return settings.model_copy(
        update={"temporal_address": temporal_client.service_client.config.target_host}
    )


@pytest.fixture(scope="module")
async def api(
    api_settings: Settings, temporal_client: Client, store: Store,
    command_counter: CommandCounter,
) -> AsyncIterator[str]:
    async with build_worker(temporal_client, store, api_settings.task_queue):
        async with running_api(api_settings, event_listeners=[command_counter]) as url:
            yield url


@pytest.fixture
async def gql(api: str, settings: Settings) -> AsyncIterator[GraphQL]:
    client = GraphQL(api, settings)
    yield client
    await client.http.aclose()
