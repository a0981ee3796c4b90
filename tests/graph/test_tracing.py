"""One trace from the GraphQL mutation through the Temporal update and its activity down to
the MongoDB commands."""

from __future__ import annotations

import uuid

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor

from services.settings import Settings
from services.store.database import Store
from services.workflows.converter import DATA_CONVERTER
from services.workflows.worker import build_worker
from tests.helpers import GraphQL, eventually, running_api


async def test_a_mutation_is_one_trace_down_to_mongodb(api_settings: Settings, gql: GraphQL,
                                                       temporal_client: Client):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    settings = api_settings.model_copy(update={
        "tracing": True, "task_queue": f"traced-{uuid.uuid4().hex[:8]}"})
    traced = await Client.connect(temporal_client.service_client.config.target_host,
                                  interceptors=[TracingInterceptor()],
                                  data_converter=DATA_CONVERTER)
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database, traced=True)
    async with build_worker(traced, store, settings.task_queue), \
            running_api(settings) as url:
        client = GraphQL(url, settings)
        data = await client("""mutation Raise { raiseIssue(input: {title: "Gevolgd",
            proposal: "p", scope: GOVERNMENT_WIDE, touchesPersonalData: false}) {
            ... on Issue { id } } }""", as_="cio-rijk")
        assert data["raiseIssue"]["id"]
        await client.http.aclose()

        def names_by_trace() -> dict[int, set[str]]:
            traces: dict[int, set[str]] = {}
            for span in exporter.get_finished_spans():
                traces.setdefault(span.context.trace_id, set()).add(span.name)
            return traces

        async def the_trace() -> set[str]:
            for names in names_by_trace().values():
                if any(n.startswith("RunActivity:record_events") for n in names):
                    return names
            return set()

        names = await eventually(the_trace, lambda n: "GraphQL Resolving: raiseIssue" in n)
    await store.close()
    assert {"StartUpdateWithStartWorkflow:IssueCycle", "HandleUpdate:opened",
            "RunWorkflow:IssueCycle"} <= names
    assert any(n.startswith("mongodb update") for n in names), names
    assert any(n.startswith("mongodb insert") for n in names), names
