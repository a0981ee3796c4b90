"""OpenTelemetry traces across GraphQL → Temporal update → activity → MongoDB: Strawberry's
and Temporal's own integrations, and a span per MongoDB command. Exported over OTLP/HTTP when
an endpoint is configured (STELSEL_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT)."""

from __future__ import annotations

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode
from pymongo import monitoring

from services.settings import Settings


def tracing_enabled(settings: Settings) -> bool:
    if settings.tracing is not None:
        return settings.tracing
    return bool(settings.otlp_endpoint or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"))


def configure_tracing(settings: Settings, service: str) -> None:
    """Installs the exporting tracer provider of this process, when one is configured."""
    endpoint = settings.otlp_endpoint or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if not endpoint:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(
        OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces")))
    trace.set_tracer_provider(provider)


class MongoSpans(monitoring.CommandListener):
    """A client span per MongoDB command, child of whatever span is current."""

    def __init__(self) -> None:
        self._tracer = trace.get_tracer("stelsel.mongodb")
        self._open: dict[int, trace.Span] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        span = self._tracer.start_span(
            f"mongodb {event.command_name}", kind=SpanKind.CLIENT,
            attributes={"db.system": "mongodb", "db.name": event.database_name,
                        "db.operation": event.command_name,
                        "db.mongodb.collection": str(event.command.get(event.command_name))})
        self._open[event.request_id] = span

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        span = self._open.pop(event.request_id, None)
        if span is not None:
            span.end()

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        span = self._open.pop(event.request_id, None)
        if span is not None:
            span.set_status(Status(StatusCode.ERROR, str(event.failure)))
            span.end()
