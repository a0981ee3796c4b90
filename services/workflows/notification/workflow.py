"""Delivering a notification to the webhooks: one small workflow per notification (id
`notify-<notification id>`, so it is started at most once) whose activity retries with
backoff until every receiver has accepted it. A receiver that is down loses nothing."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from services.domain.notifications import DeliverNotificationInput
    from services.workflows.shared import NOTIFICATION_WORKFLOW

DELIVER = "deliver_notification"
DELIVERY_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=500),
                             backoff_coefficient=2.0, maximum_interval=timedelta(minutes=5))


@workflow.defn(name=NOTIFICATION_WORKFLOW)
class NotificationWorkflow:
    @workflow.run
    async def run(self, input: DeliverNotificationInput) -> None:
        await workflow.execute_activity(
            DELIVER, input, start_to_close_timeout=timedelta(seconds=30),
            retry_policy=DELIVERY_RETRY,
        )
