"""Register changes for the API: made now, or recorded now and applied at their date by a
workflow. The workflow is started before the change is recorded (same id), so nothing
recorded is left without one; one started for a change that then failed to record finds
nothing at its date and ends (services.workflows.register)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from services.domain.appointments import ChangeKind, RegisterEventKind
from services.graph.context import Context
from services.store.views import OfficerView


async def schedule(context: Context, kind: ChangeKind, at: datetime, actor_id: str,
                   basis: str | None, payload: dict[str, Any],
                   recorded: RegisterEventKind | None = None, request: str | None = None,
                   answer: Callable[[str], OfficerView] | None = None) -> OfficerView | None:
    """Records a change to apply at `at`; with `recorded`, an event now says it was. With
    `answer` (given the change's id), answers the change; for a keyed `request`, as kept
    (the first try's when it was recorded already)."""
    scheduled = context.store.scheduled
    change_id = scheduled.new_id()
    await context.cycles.schedule_register_change(change_id, at)
    answered = (lambda: answer(change_id)) if answer is not None else None
    keyed = await scheduled.schedule(change_id, kind, at, actor_id, basis, payload,
                                     recorded, request, answered)
    return keyed or (answered() if answered is not None else None)


async def takes_effect(context: Context, at: datetime, now: datetime, actor_id: str,
                       basis: str | None, detail: str, **about: Any) -> None:
    """A change whose data is dated already (a rename from 1 March, a deputy's period): at
    `at` the register's timeline says it took effect, and every replica reads anew."""
    if at > now:
        await schedule(context, ChangeKind.IN_FORCE, at, actor_id, basis,
                       {"detail": detail, **about})
