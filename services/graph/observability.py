"""What the API tells operators: Prometheus metrics at /metrics and one structured log line
per GraphQL operation (trace id, operation, actor, issue id, duration, result)."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Iterator

from opentelemetry import trace
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from strawberry.extensions import SchemaExtension

from services.domain.types import Phase
from services.store.database import Store

log = logging.getLogger("stelsel.graphql")


# Operation names become metric labels: the first LABELLED_OPERATIONS well-formed names a
# process sees keep their own label, any other is "other", so no caller can grow /metrics.
LABELLED_OPERATIONS = 50
OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class Metrics:
    """One registry per app, so several apps in one process (tests) do not collide."""

    def __init__(self) -> None:
        self._labels: set[str] = {"anonymous", "unparsed"}
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "stelsel_graphql_operations_total", "GraphQL operations by name, type and result",
            ["operation", "type", "result"], registry=self.registry)
        self.latency = Histogram(
            "stelsel_graphql_operation_seconds", "GraphQL operation latency by name",
            ["operation", "type"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
        self.rejections = Counter(
            "stelsel_rejections_total", "Refused requests by contract code", ["code"],
            registry=self.registry)
        self.open_issues = Gauge(
            "stelsel_open_issues", "Issues not yet decided or withdrawn, by phase", ["phase"],
            registry=self.registry)
        self.overdue_mandates = Gauge(
            "stelsel_overdue_mandates", "Issues in MANDATE past the mandate window",
            registry=self.registry)
        self.dead_notifications = Gauge(
            "stelsel_notifications_dead", "Notifications given up on after the delivery "
            "horizon, waiting for `stelsel notifications --retry`", registry=self.registry)
        self.subscriptions = Gauge(
            "stelsel_subscriptions", "Open GraphQL subscriptions on this API process",
            registry=self.registry)

    def operation_label(self, name: str) -> str:
        if name in self._labels:
            return name
        if (len(self._labels) < LABELLED_OPERATIONS + 2
                and OPERATION_NAME.fullmatch(name) is not None):
            self._labels.add(name)
            return name
        return "other"

    async def render(self, store: Store, subscriptions: int) -> bytes:
        """Gauges of the data are read when scraped: one aggregation, not a counter to keep."""
        self.open_issues.clear()
        overdue_mandates = 0
        for count in await store.issues.open_by_phase():
            self.open_issues.labels(count.phase.value).inc(count.issues)
            if count.phase == Phase.MANDATE and count.overdue:
                overdue_mandates += count.issues
        self.overdue_mandates.set(overdue_mandates)
        self.dead_notifications.set(await store.outbox.count_dead())
        self.subscriptions.set(subscriptions)
        return generate_latest(self.registry)


def trace_id(headers) -> str:
    """The W3C traceparent's trace id when the caller sent one, else a new one."""
    parent = headers.get("traceparent", "") if headers else ""
    parts = parent.split("-")
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 else secrets.token_hex(16)


class OperationLog(SchemaExtension):
    """Times each operation, counts it by result and writes its log line."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        span = trace.get_current_span().get_span_context()
        traced = f"{span.trace_id:032x}" if span.is_valid else None
        yield
        context = self.execution_context.context
        name, kind = _operation(self.execution_context)
        result = self.execution_context.result
        errors = getattr(result, "errors", None) or self.execution_context.pre_execution_errors
        outcome = "error" if errors else "ok"
        seconds = time.perf_counter() - started
        metrics: Metrics | None = getattr(context, "metrics", None)
        if metrics is not None and kind != "subscription":
            label = metrics.operation_label(name)
            metrics.requests.labels(label, kind, outcome).inc()
            metrics.latency.labels(label, kind).observe(seconds)
        variables = self.execution_context.variables or {}
        issue = variables.get("input", {}).get("issueId") if isinstance(
            variables.get("input"), dict) else variables.get("id") or variables.get("issueId")
        log.info("graphql %s %s", kind, name, extra={
            "trace_id": traced or getattr(context, "trace_id", None),
            "operation": name, "operation_type": kind,
            "actor": getattr(getattr(context, "viewer", None), "person_id", None),
            "issue_id": issue, "duration_ms": round(seconds * 1000, 1), "result": outcome,
        })


def _operation(execution_context) -> tuple[str, str]:
    """Name and type; a document that did not parse has neither."""
    try:
        return (execution_context.operation_name or "anonymous",
                execution_context.operation_type.value)
    except Exception:  # strawberry raises when there is no parsed document
        return "unparsed", "unknown"
