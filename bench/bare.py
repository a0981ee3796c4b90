"""The write path's baseline: a bare Temporal workflow whose update runs one local activity
that writes one MongoDB document, on the same servers, in the same run."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    from pymongo import AsyncMongoClient


@dataclass
class TouchInput:
    key: str
    n: int


@workflow.defn(name="BareUpdate")
class BareWorkflow:
    def __init__(self) -> None:
        self.n = 0
        self.done = False

    @workflow.run
    async def run(self) -> int:
        await workflow.wait_condition(lambda: self.done)
        return self.n

    @workflow.update
    async def touch(self, key: str) -> int:
        self.n += 1
        await workflow.execute_local_activity(
            "bare_write", TouchInput(key, self.n), start_to_close_timeout=timedelta(seconds=10))
        return self.n

    @workflow.signal
    def finish(self) -> None:
        self.done = True


class BareActivities:
    def __init__(self, uri: str, database: str) -> None:
        self.collection = AsyncMongoClient(uri)[database]["bare"]

    @activity.defn(name="bare_write")
    async def bare_write(self, input: TouchInput) -> None:
        await self.collection.update_one({"_id": input.key}, {"$set": {"n": input.n}},
                                         upsert=True)


async def serve(task_queue: str) -> None:
    """A worker for the bare workflow alone, as its own process (MONGODB_URI,
    STELSEL_MONGODB_DATABASE, TEMPORAL_ADDRESS from the environment), until SIGTERM."""
    client = await Client.connect(os.environ["TEMPORAL_ADDRESS"])
    bare = BareActivities(os.environ["MONGODB_URI"], os.environ["STELSEL_MONGODB_DATABASE"])
    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    async with Worker(client, task_queue=task_queue, workflows=[BareWorkflow],
                      activities=[bare.bare_write]):
        print("bare worker polling", flush=True)
        await stopped.wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1] if len(sys.argv) > 1 else "bare"))
