"""The write path's baseline: a bare Temporal workflow whose update runs one local activity
that writes one MongoDB document, on the same servers, in the same run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow

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
