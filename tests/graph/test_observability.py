"""/metrics for Prometheus and one structured log line per operation and activity."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

import pytest

from services.domain.notifications import Notification
from services.logs import JsonFormatter
from services.store.database import Store
from tests.helpers import GraphQL

RAISE = """mutation Raise($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  __typename ... on Issue { id } ... on Rejected { code } } }"""
CLOSE = "mutation Close($id: ID!) { closePhase(issueId: $id) { __typename } }"


def sample(metrics: str, name: str, **labels: str) -> float:
    for line in metrics.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_count_operations_rejections_and_open_issues(gql: GraphQL, api: str):
    before = (await gql.http.get(f"{api}/metrics")).text
    raised = await gql(RAISE, {"input": {"title": "Meten", "proposal": "p",
                                         "scope": "GOVERNMENT_WIDE",
                                         "touchesPersonalData": False}}, as_="cio-rijk")
    issue_id = raised["raiseIssue"]["id"]
    assert (await gql(CLOSE, {"id": issue_id}, as_="cio-fin"))["closePhase"]["__typename"] \
        == "Rejected"
    response = await gql.http.get(f"{api}/metrics")
    assert response.status_code == 200
    after = response.text
    ok = dict(operation="Raise", type="mutation", result="ok")
    assert sample(after, "stelsel_graphql_operations_total", **ok) == \
        sample(before, "stelsel_graphql_operations_total", **ok) + 1
    assert sample(after, "stelsel_rejections_total", code="FORBIDDEN") == \
        sample(before, "stelsel_rejections_total", code="FORBIDDEN") + 1
    assert sample(after, "stelsel_graphql_operation_seconds_count", operation="Raise") >= 1
    assert sample(after, "stelsel_open_issues", phase="ADVICE") >= 1
    assert "stelsel_overdue_mandates" in after and "stelsel_subscriptions" in after


async def test_metrics_count_the_dead_letters(gql: GraphQL, api: str, store: Store):
    """This module's database is its own: the gauge counts exactly what is given up on."""
    assert sample((await gql.http.get(f"{api}/metrics")).text,
                  "stelsel_notifications_dead") == 0
    now = datetime.now(timezone.utc)
    await store.outbox.add([Notification("issue:x:1", "DECIDED", "issue:x", 1, now, "s")])
    await store.outbox.give_up("issue:x:1", "delivery failed: HTTP 500", now)
    assert sample((await gql.http.get(f"{api}/metrics")).text,
                  "stelsel_notifications_dead") == 1


async def test_each_operation_writes_one_json_line(gql: GraphQL, caplog: pytest.LogCaptureFixture):
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    with caplog.at_level(logging.INFO, logger="stelsel"):
        body = await gql.raw(RAISE, {"input": {"title": "Loggen", "proposal": "p",
                                               "scope": "GOVERNMENT_WIDE",
                                               "touchesPersonalData": False}},
                             headers={"Authorization": f"Bearer {gql.token('cio-rijk')}",
                                      "traceparent": f"00-{trace}-00f067aa0ba902b7-01"})
    issue_id = body["data"]["raiseIssue"]["id"]
    formatter = JsonFormatter()
    lines = [json.loads(formatter.format(r)) for r in caplog.records
             if r.name.startswith("stelsel")]
    operation = [line for line in lines if line["logger"] == "stelsel.graphql"]
    assert len(operation) == 1
    expected = {"trace_id": trace, "operation": "Raise", "operation_type": "mutation",
                "actor": "cio-rijk", "result": "ok"}
    assert {k: operation[0][k] for k in expected} == expected
    assert operation[0]["duration_ms"] > 0
    activity = [line for line in lines if line["logger"] == "stelsel.activities"]
    assert activity and activity[0]["issue_id"] == issue_id
    assert activity[0]["kinds"] == ["RAISED"] and activity[0]["seq"] == 1
