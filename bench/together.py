"""The API and the worker in one process on one event loop, as `stelsel dev` (`make run`)
serves them, on the servers the environment names (`bench.live --together`).

    MONGODB_URI=... TEMPORAL_ADDRESS=... .venv/bin/python -m bench.together --port 8000
"""

from __future__ import annotations

import argparse
import asyncio

from services import run
from services.settings import Settings
from services.store.database import Store
from services.workflows.client import connect_temporal
from services.workflows.worker import build_worker


async def main(port: int) -> None:
    settings = Settings()
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
    client = await connect_temporal(settings)
    try:
        async with build_worker(client, store, settings.task_queue):
            await run._serve(settings, "127.0.0.1", port)  # as run_dev serves its API
    finally:
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
