"""What the workflows share: the register activity's name, activity options, and how a
domain Rejection leaves a workflow (an ApplicationError the API turns back into one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from temporalio.common import RetryPolicy, SearchAttributeKey
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


# Registered by `stelsel dev` and `stelsel setup-temporal`; kept current by the workflows,
# so operators can list, say, every overdue issue in MANDATE.
ISSUE_ID = SearchAttributeKey.for_keyword("StelselIssueId")
PHASE = SearchAttributeKey.for_keyword("StelselPhase")
SCOPE = SearchAttributeKey.for_keyword("StelselScope")
MINISTRY = SearchAttributeKey.for_keyword("StelselMinistry")
OVERDUE = SearchAttributeKey.for_bool("StelselOverdue")
SEARCH_ATTRIBUTES = (ISSUE_ID, PHASE, SCOPE, MINISTRY, OVERDUE)


@contextmanager
def rejections_as_failures() -> Iterator[None]:
    try:
        yield
    except Rejection as rejection:
        raise ApplicationError(
            rejection.message, rejection.code.value, type=REJECTED, non_retryable=True
        ) from None
