"""The worker: issue cycles and binding frameworks, with their MongoDB activities."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.worker import Worker

from services.store.database import Store
from services.workflows.framework.activities import FrameworkActivities
from services.workflows.framework.workflow import FrameworkWorkflow
from services.workflows.issue_cycle.activities import IssueActivities
from services.workflows.issue_cycle.workflow import IssueWorkflow


def build_worker(client: Client, store: Store, task_queue: str) -> Worker:
    issues, frameworks = IssueActivities(store), FrameworkActivities(store)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[IssueWorkflow, FrameworkWorkflow],
        activities=[issues.load_register, issues.record_events,
                    frameworks.record_framework_events],
    )
