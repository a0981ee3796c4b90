"""A result computed once and handed to every caller that waits for it: an event's result
for its sockets (services.graph.fanout), the Woo sitemap for its crawlers
(services.graph.downloads)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class SharedResult:
    """One computation's result for every caller that asked the same. Each caller waits on
    a future of its own, so one going away cancels only its own wait (as `asyncio.shield`
    would, at half the scheduling for each of a thousand sockets)."""

    def __init__(self, work: Coroutine[Any, Any, Any]) -> None:
        self.waiters: list[asyncio.Future] = []
        self.task = asyncio.ensure_future(work)
        self.task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Future) -> None:
        # Read even when every caller has gone, or asyncio logs it as never retrieved.
        error = None if task.cancelled() else task.exception()
        for waiter in self.waiters:
            if waiter.done():
                continue
            if task.cancelled():
                waiter.cancel()
            elif error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(task.result())
        self.waiters.clear()

    def failed(self) -> bool:
        return self.task.done() and (self.task.cancelled() or self.task.exception() is not None)

    async def wait(self) -> Any:
        if self.task.done():
            return self.task.result()
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        return await waiter
