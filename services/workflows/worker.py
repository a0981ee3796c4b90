"""The worker: issue cycles, binding frameworks and notifications, with their activities."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker

from services.settings import Settings
from services.store.database import Store
from services.workflows.framework.activities import FrameworkActivities
from services.workflows.framework.workflow import FrameworkWorkflow
from services.workflows.issue_cycle.activities import IssueActivities
from services.workflows.issue_cycle.workflow import IssueWorkflow
from services.workflows.notification.activities import NotificationActivities, Webhooks
from services.workflows.notification.workflow import NotificationWorkflow
from services.workflows.register.activities import RegisterActivities
from services.workflows.register.workflow import RegisterChangeWorkflow

WORKFLOWS = [IssueWorkflow, FrameworkWorkflow, NotificationWorkflow, RegisterChangeWorkflow]


def build_worker(client: Client, store: Store, task_queue: str,
                 webhooks: Webhooks | None = None) -> Worker:
    register, issues = RegisterActivities(store), IssueActivities(store)
    frameworks = FrameworkActivities(store)
    notifications = NotificationActivities(store, webhooks)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[register.load_register, register.apply_register_change,
                    issues.record_events, issues.publish_procedure,
                    frameworks.record_framework_events, notifications.deliver_notification],
    )


def webhooks_of(settings: Settings) -> Webhooks | None:
    if not settings.webhook_urls:
        return None
    return Webhooks(settings.webhook_urls, settings.webhook_secret.get_secret_value(),
                    timedelta(seconds=settings.webhook_give_up_seconds))
