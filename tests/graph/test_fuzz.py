"""Property-based fuzzing with hypothesis-graphql against the running app: generated valid
and invalid queries and mutations, sent with random tokens, answer without a 5xx, without
internals, and leave every timeline gapless.

STELSEL_FUZZ_EXAMPLES sets the number per strategy (default 400: 1,600 requests).
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime, timezone

import graphql
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, queries
from temporalio.client import Client

from services.graph.schema import schema
from services.settings import Settings
from tests.helpers import GraphQL, eventually, isolated_api, timeline_gaps

EXAMPLES = int(os.environ.get("STELSEL_FUZZ_EXAMPLES", "400"))
PEOPLE = [None, "cio-rijk", "cio-bzk", "cpo-bzk", "secretariaat", "nobody"]
SDL = str(schema)
DATETIMES = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                         timezones=st.just(timezone.utc)).map(
    lambda d: graphql.StringValueNode(value=d.isoformat()))
SCALARS = {"DateTime": DATETIMES}
# Internals that must never reach a caller.
LEAKS = ("Traceback", 'File "', "Unexpected error", "pymongo", "temporalio", "services/")


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    text = response.text
    assert not any(leak in text for leak in LEAKS), text
    if response.status_code == 200:
        json.loads(text)


def fuzz(url: str, tokens: dict[str | None, str | None]) -> int:
    sent = 0
    client = httpx.Client(timeout=30)

    def send(document: str, person: str | None) -> None:
        nonlocal sent
        token = tokens[person]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        check(client.post(url, json={"query": document}, headers=headers))
        sent += 1

    for strategy in (
        queries(SDL, custom_scalars=SCALARS),
        queries(SDL, custom_scalars=SCALARS, mode=Mode.NEGATIVE),
        mutations(SDL, custom_scalars=SCALARS),
        mutations(SDL, custom_scalars=SCALARS, mode=Mode.NEGATIVE),
    ):
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(document=strategy, person=st.sampled_from(PEOPLE))
        def run(document: str, person: str | None) -> None:
            send(document, person)

        run()
    client.close()
    return sent


async def test_generated_requests_never_fail_the_server(
    api_settings: Settings, gql: GraphQL, temporal_client: Client
):
    # A database and worker of its own: generated appointments must not reach other tests.
    # Escaped errors are masked, so a leak would show as "Unexpected error." here.
    tokens = {person: gql.token(person) if person else None for person in PEOPLE}
    async with isolated_api(api_settings, temporal_client, "fuzz") as (url, store, _):
        sent = await asyncio.to_thread(fuzz, f"{url}/graphql", tokens)
        assert sent >= 4 * EXAMPLES * 0.9
        # The worker is still running: writes in flight finish before the check settles.
        await eventually(lambda: timeline_gaps(store), lambda found: found == [], timeout=30)
