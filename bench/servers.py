"""What every benchmark starts from: SecantusDB and the Temporal dev server on free ports in
a temporary folder (`settings.data_dir`), with the demo register loaded."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

from services.embedded import free_port
from services.run import DevOptions, dev_settings, embedded_servers
from services.settings import Settings
from services.store.database import Store
from services.store.demo import seed_demo


@asynccontextmanager
async def bench_servers(database: str) -> AsyncIterator[Settings]:
    with tempfile.TemporaryDirectory() as folder:
        # Benchmarks act as a few people many times: no rate limit.
        settings = dev_settings(Path(folder), mongodb_database=database,
                                mutations_per_minute=10**9, queries_per_minute=10**9)
        options = DevOptions(temporal_port=free_port(), ui_port=free_port(),
                             mongo_port=free_port())
        async with embedded_servers(settings, options) as settings:
            store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
            await store.ensure_indexes()
            await seed_demo(store, datetime.now(timezone.utc))
            await store.close()
            yield settings


def process_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment for `stelsel api|worker` processes on these servers."""
    return {**os.environ, "STELSEL_MODE": "development",
            "STELSEL_JWT_SECRET": settings.secret(), "STELSEL_LOG_LEVEL": "WARNING",
            "STELSEL_MUTATIONS_PER_MINUTE": "1000000000",
            "STELSEL_QUERIES_PER_MINUTE": "1000000000",
            "MONGODB_URI": settings.mongodb_uri,
            "STELSEL_MONGODB_DATABASE": settings.mongodb_database,
            "TEMPORAL_ADDRESS": settings.temporal_address,
            "STELSEL_TASK_QUEUE": settings.task_queue, **extra}


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by this process and by the servers it started (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"this process": time.process_time()}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) != os.getpid():
            continue
        name = "SecantusDB" if b"secantus" in command else (
            "Temporal" if b"temporal" in command else command.split(b"\0")[0].decode())
        used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


def process_cpu(pid: int) -> float:
    """CPU seconds one process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per(before: dict[str, float], after: dict[str, float], count: int) -> dict[str, float]:
    """Milliseconds of CPU per operation, by process."""
    return {name: (after[name] - before.get(name, 0.0)) * 1000 / count for name in after}
