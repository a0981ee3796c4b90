"""What the workflows share: the register activity's name, activity options, and how a
domain Rejection leaves a workflow (an ApplicationError the API turns back into one)."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    FailureError,
    WorkflowAlreadyStartedError,
)
from temporalio.workflow import ParentClosePolicy

from services.domain.commands import LoadRegisterInput, UpdateResult
from services.domain.errors import Rejection
from services.domain.notifications import DeliverNotificationInput, Notification
from services.domain.types import Register

LOAD_REGISTER = "load_register"
# Started by name from the issue cycle, which does not import its package.
FRAMEWORK_WORKFLOW = "BindingFramework"
REJECTED = "Rejected"
# An activity's failure that no retry can mend (services.store.timeline.Unstorable).
UNSTORABLE = "Unstorable"

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


# Registered by `stelsel dev` and `stelsel setup-temporal`; kept current by the workflows,
# so operators can list, say, every overdue issue in MANDATE.
ISSUE_ID = SearchAttributeKey.for_keyword("StelselIssueId")
PHASE = SearchAttributeKey.for_keyword("StelselPhase")
SCOPE = SearchAttributeKey.for_keyword("StelselScope")
MINISTRY = SearchAttributeKey.for_keyword("StelselMinistry")
OVERDUE = SearchAttributeKey.for_bool("StelselOverdue")
SEARCH_ATTRIBUTES = (ISSUE_ID, PHASE, SCOPE, MINISTRY, OVERDUE)


NOTIFICATION_WORKFLOW = "Notification"


async def load_register() -> Register:
    """The appointment register as it is now (a local activity of the issue worker)."""
    return await workflow.execute_local_activity(
        LOAD_REGISTER, LoadRegisterInput(workflow.now()), result_type=Register,
        **LOCAL_ACTIVITY,
    )


async def send_notifications(notifications: list[Notification]) -> None:
    """Hands each notification to a workflow of its own, which delivers it with retries and
    outlives this one; the id makes a second start impossible. Histories from before
    notifications replay without them."""
    if not notifications or not workflow.patched("notifications"):
        return
    for notification in notifications:
        try:
            await workflow.start_child_workflow(
                NOTIFICATION_WORKFLOW, DeliverNotificationInput(notification.id),
                id=f"notify-{notification.id}", parent_close_policy=ParentClosePolicy.ABANDON,
                static_summary=f"{notification.kind}: {notification.summary}"[:200],
            )
        except WorkflowAlreadyStartedError:
            pass


class SerializedChanges:
    """Base of the workflows that own a timeline: every change runs under one lock, is
    checked again inside it (another change may have landed since validation), and returns
    once its events are recorded. Subclasses set `_lock`, `_state` (with `seq`) and
    `_record(events)`.

    A change whose record MongoDB can never take is undone and refused (INVALID_INPUT):
    the update fails, the workflow lives on as it was before it."""

    _lock: asyncio.Lock

    def _undo_point(self) -> Any:
        """A copy of the state that the change about to be made cannot reach."""
        return copy.deepcopy(self._state)  # type: ignore[attr-defined]

    async def _apply(self, action: Callable[[datetime, Register | None], list[Any]],
                     needs_register: bool = False) -> UpdateResult:
        async with self._lock:
            register = await load_register() if needs_register else None
            if not await self._record_or_undo(lambda: self._in_rules(action, register)):
                raise ApplicationError(
                    "the change could not be stored and was not made", "INVALID_INPUT",
                    type=REJECTED, non_retryable=True)
            return UpdateResult(self._state.seq)  # type: ignore[attr-defined]

    @staticmethod
    def _in_rules(action: Callable[[datetime, Register | None], list[Any]],
                  register: Register | None) -> list[Any]:
        with rejections_as_failures():
            return action(workflow.now(), register)

    async def _record_or_undo(self, change: Callable[[], list[Any]]) -> bool:
        """Makes the change and records its events. False when MongoDB can never take the
        record: the change is undone, the state is as it was before."""
        before = self._undo_point()
        events = change()
        try:
            await self._record(events)  # type: ignore[attr-defined]
        except FailureError as err:
            if not unstorable(err):
                raise
            restore(self._state, before)  # type: ignore[attr-defined]
            workflow.logger.error("a change could not be stored and was undone: %s", err)
            return False
        return True


def unstorable(err: FailureError) -> bool:
    """Whether an activity failed for good: a local activity's failure arrives as the
    activity's own ApplicationError, a regular one's as its cause."""
    failure = err.cause if isinstance(err, ActivityError) else err
    return isinstance(failure, ApplicationError) and failure.type == UNSTORABLE


def restore(state: Any, before: Any) -> None:
    """Puts `before`'s fields back into `state` in place: whoever holds `state` sees it."""
    state.__dict__.update(before.__dict__)


@contextmanager
def rejections_as_failures() -> Iterator[None]:
    try:
        yield
    except Rejection as rejection:
        raise ApplicationError(
            rejection.message, rejection.code.value, type=REJECTED, non_retryable=True
        ) from None
