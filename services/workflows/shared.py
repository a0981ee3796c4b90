"""What the workflows share: the register activity's name, activity options, and how a
domain Rejection leaves a workflow (an ApplicationError the API turns back into one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from services.domain.errors import Rejection

LOAD_REGISTER = "load_register"
# Started by name from the issue cycle, which does not import its package.
FRAMEWORK_WORKFLOW = "BindingFramework"
REJECTED = "Rejected"

# A short idempotent MongoDB write suits a local activity; it retries until the database
# answers, so an accepted change is never lost.
ACTIVITY_TIMEOUT = timedelta(seconds=10)
ACTIVITY_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
)


@contextmanager
def rejections_as_failures() -> Iterator[None]:
    try:
        yield
    except Rejection as rejection:
        raise ApplicationError(
            rejection.message, rejection.code.value, type=REJECTED, non_retryable=True
        ) from None
