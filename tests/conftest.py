"""Real servers, started once per session: SecantusDB (MongoDB wire protocol) and the
Temporal dev server. MONGODB_URI / TEMPORAL_ADDRESS point the suite at others."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from services.embedded import free_port, mongodb_uri, start_secantus, tool_path
from services.settings import Settings
from services.store.database import Store
from services.store.demo import seed_demo

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
        yield await Client.connect(os.environ["TEMPORAL_ADDRESS"])
        return
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=tool_path("temporal"),
        ui=False,
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
    )


@pytest.fixture(scope="session")
async def store(settings: Settings) -> AsyncIterator[Store]:
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
    await store.ensure_indexes()
    await seed_demo(store, datetime.now(timezone.utc))
    yield store
    await store.close()
