"""How a workflow that owns a timeline changes it: one change at a time, checked again
under the lock, recorded before it answers, undone when MongoDB can never take it; and how
a domain Rejection leaves a workflow (an ApplicationError the API turns back into one)."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, FailureError

with workflow.unsafe.imports_passed_through():
    from services.councils.definitions import LEGACY_COUNCIL, preset
    from services.domain.commands import LoadRegisterInput, UpdateResult
    from services.domain.councils import CouncilRules
    from services.domain.errors import Rejection
    from services.domain.types import Register
    from services.workflows.options import LOCAL_ACTIVITY
    from services.workflows.register.activities import RegisterActivities

REJECTED = "Rejected"
# An activity's failure that no retry can mend (services.store.timeline.Unstorable).
UNSTORABLE = "Unstorable"


async def load_register(council: CouncilRules) -> Register:
    """A council's part of the appointment register as it is now (a local activity)."""
    return await workflow.execute_local_activity_method(
        RegisterActivities.load_register,
        LoadRegisterInput(workflow.now(), council.id, council.version), **LOCAL_ACTIVITY)


def pin_legacy_council(input: Any) -> None:
    """An issue or framework started (or carried over) before councils were data keeps to
    the rules that were code then: the legacy council's first version. `input` is a start
    input with `council` and `resumed`, whose snapshot has `council` too."""
    rules = preset(LEGACY_COUNCIL).rules
    if input.resumed is not None and input.resumed.council is None:
        input.resumed.council = rules
    if input.resumed is None and input.council is None:
        input.council = rules


class SerializedChanges:
    """Base of the workflows that own a timeline: every change runs under one lock, is
    checked again inside it (another change may have landed since validation), and returns
    once its events are recorded. Subclasses set `_lock`, `_state` (with `seq`) and
    `_record(events, before)`.

    A change whose record MongoDB can never take is undone and refused (INVALID_INPUT):
    the update fails, the workflow lives on as it was before it."""

    _lock: asyncio.Lock

    def _undo_point(self) -> Any:
        """A copy of the state that the change about to be made cannot reach."""
        return copy.deepcopy(self._state)  # type: ignore[attr-defined]

    async def _apply(self, action: Callable[[datetime, Register | None], list[Any]],
                     needs_register: bool = False) -> UpdateResult:
        async with self._lock:
            register = await self._register() if needs_register else None
            if not await self._record_or_undo(lambda: self._in_rules(action, register)):
                raise ApplicationError(
                    "the change could not be stored and was not made", "INVALID_INPUT",
                    type=REJECTED, non_retryable=True)
            state = self._state  # type: ignore[attr-defined]
            return UpdateResult(state.seq)

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
            await self._record(events, before)  # type: ignore[attr-defined]
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
