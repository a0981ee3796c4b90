"""The worker that runs issue cycles: their workflow and their MongoDB activities."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.worker import Worker

from services.store.database import Store
from services.workflows.issue_cycle.activities import IssueActivities
from services.workflows.issue_cycle.workflow import IssueWorkflow


def build_worker(client: Client, store: Store, task_queue: str) -> Worker:
    activities = IssueActivities(store)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[IssueWorkflow],
        activities=[activities.load_register, activities.record_events],
    )
