"""A result computed once and handed to every caller that asked the same."""

from __future__ import annotations

import asyncio

import pytest

from services.graph.shared import SharedResult


async def test_a_socket_going_away_cancels_only_its_own_wait():
    release = asyncio.Event()
    runs = []

    async def work() -> str:
        runs.append(1)
        await release.wait()
        return "resultaat"

    shared = SharedResult(work())
    waits = [asyncio.create_task(shared.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    waits[0].cancel()
    await asyncio.sleep(0)
    release.set()
    assert await waits[1] == await waits[2] == "resultaat"
    assert waits[0].cancelled() and not shared.task.cancelled()
    assert await shared.wait() == "resultaat"  # one that comes after it is done
    assert runs == [1] and not shared.failed()


async def test_a_failure_reaches_every_socket_waiting():
    async def work() -> str:
        await asyncio.sleep(0)
        raise ValueError("mislukt")

    shared = SharedResult(work())
    waits = [asyncio.create_task(shared.wait()) for _ in range(2)]
    for wait in waits:
        with pytest.raises(ValueError, match="mislukt"):
            await wait
    with pytest.raises(ValueError, match="mislukt"):
        await shared.wait()
    assert shared.failed()  # so a keeper makes it again (services.graph.downloads)
