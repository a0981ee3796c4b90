from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client

from services.store.database import Store
from services.workflows.client import CycleClient
from services.workflows.worker import build_worker


@pytest.fixture
async def cycles(temporal_client: Client, store: Store) -> AsyncIterator[CycleClient]:
    """A worker built inline on a fresh task queue, as each test's own."""
    task_queue = f"cycle-{uuid.uuid4().hex[:8]}"
    async with build_worker(temporal_client, store, task_queue):
        yield CycleClient(temporal_client, task_queue)
