"""Delivering a notification to the webhooks: one small workflow per notification (id
`notify-<notification id>`, so it is started at most once) whose activity retries with
backoff until every receiver has accepted it. A receiver that is down loses nothing."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from services.domain.notifications import DeliverNotificationInput, Notification
    from services.workflows.ids import notification_workflow_id
    from services.workflows.notification.activities import NotificationActivities

DELIVERY_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=500),
                             backoff_coefficient=2.0, maximum_interval=timedelta(minutes=5))


@workflow.defn(name="Notification")
class NotificationWorkflow:
    @workflow.run
    async def run(self, input: DeliverNotificationInput) -> None:
        await workflow.execute_activity_method(
            NotificationActivities.deliver_notification, input,
            start_to_close_timeout=timedelta(seconds=30), retry_policy=DELIVERY_RETRY,
        )


async def send_notifications(notifications: list[Notification]) -> None:
    """Hands each notification to a workflow of its own, which delivers it with retries and
    outlives the one that sends it; the id makes a second start impossible. Histories from
    before notifications replay without them."""
    if not notifications or not workflow.patched("notifications"):
        return
    for notification in notifications:
        try:
            await workflow.start_child_workflow(
                NotificationWorkflow.run, DeliverNotificationInput(notification.id),
                id=notification_workflow_id(notification.id), parent_close_policy=ParentClosePolicy.ABANDON,
                static_summary=f"{notification.kind}: {notification.summary}"[:200],
            )
        except WorkflowAlreadyStartedError:
            pass
