"""How the workflows call their activities: timeouts and retries, in one place."""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

# A short idempotent MongoDB write suits a local activity; it retries until the database
# answers, so an accepted change is never lost. Quick retries happen inside the workflow
# task; a longer wait becomes a durable timer (LOCAL_RETRY_THRESHOLD), so an outage never
# holds a workflow task open and a worker can always stop.
ACTIVITY_TIMEOUT = timedelta(seconds=10)
ACTIVITY_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
)
LOCAL_RETRY_THRESHOLD = timedelta(seconds=2)
LOCAL_ACTIVITY = {"start_to_close_timeout": ACTIVITY_TIMEOUT, "retry_policy": ACTIVITY_RETRY,
                  "local_retry_threshold": LOCAL_RETRY_THRESHOLD}
