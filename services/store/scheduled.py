"""Register changes dated ahead: recorded now (with an event that says so), applied at
their date — by a workflow's durable timer (services.workflows.register) — exactly once,
with the event of the change itself dated then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from bson import ObjectId

from services.domain.appointments import ChangeKind, RegisterEventKind
from services.store.register import RegisterRepository, appointment_doc, register_event
from services.store.views import OfficerView


class ScheduledChanges:
    def __init__(self, register: RegisterRepository, db: Any) -> None:
        self._register = register
        self.changes = db["register_changes"]

    @staticmethod
    def new_id() -> str:
        return str(ObjectId())

    async def schedule(self, change_id: str, kind: ChangeKind, at: datetime, actor_id: str,
                       basis: str | None, payload: dict[str, Any],
                       recorded: RegisterEventKind | None = None, request: str | None = None,
                       answer: Callable[[], OfficerView] | None = None) -> OfficerView | None:
        """Records the change (and, with `recorded`, an event saying it was) in one
        transaction. The workflow that applies it is started first, under the same id
        (services.graph.register.service): a change recorded is always applied. With a
        keyed `request`, its `answer` as kept: the first try's when it was recorded already,
        and then nothing is (RegisterRepository._in_transaction)."""
        about = {k: payload.get(k) for k in ("person_id", "role", "ministry", "council")}
        event = (register_event(recorded, at, actor_id, basis, payload.get("detail"), **about)
                 if recorded is not None else None)
        change = {"_id": change_id, "kind": kind.value, "at": at, "actor_id": actor_id,
                  "basis": basis, "recorded_at": datetime.now(timezone.utc),
                  "applied_at": None, **payload}

        async def write(session: Any) -> None:
            await self.changes.insert_one(change, session=session)
            if kind == ChangeKind.APPOINT:  # the person is known from now on
                await self._register.persons.update_one(
                    {"_id": payload["person_id"]}, {"$setOnInsert": {"name": payload["name"]}},
                    upsert=True, session=session)
            if event is not None:
                await self._register.events.insert_one(event, session=session)

        keyed, _ = await self._register._in_transaction(write, request, answer)
        return keyed

    async def recorded(self, change_id: str) -> bool:
        return await self.changes.find_one({"_id": change_id}, {"_id": 1}) is not None

    async def apply(self, change_id: str) -> bool:
        """Applies the change once; False when it was applied already (a retry) or never
        recorded."""
        applied = [False]
        register = self._register

        async def write(session: Any) -> None:
            change = await self.changes.find_one({"_id": change_id, "applied_at": None},
                                                 session=session)
            if change is None:
                return
            at, actor, basis = change["at"], change["actor_id"], change["basis"]
            kind = ChangeKind(change["kind"])
            if kind == ChangeKind.APPOINT:
                doc = appointment_doc(change["person_id"], change["role"], change["ministry"],
                                      change["council"], at)
                await register._appoint_in(session, doc, change["name"], at, actor, basis)
            elif kind == ChangeKind.END_APPOINTMENT:
                await register._end_seat(change["council"], change["role"],
                                         change["ministry"], at, actor, session, basis,
                                         holder=change["person_id"])
            else:
                await register.events.insert_one(register_event(
                    RegisterEventKind.IN_FORCE, at, actor, basis, change.get("detail"),
                    ministry=change.get("ministry"), person_id=change.get("person_id"),
                    role=change.get("role"), council=change.get("council")), session=session)
            await self.changes.update_one(
                {"_id": change_id}, {"$set": {"applied_at": datetime.now(timezone.utc)}},
                session=session)
            applied[0] = True

        await register._in_transaction(write)
        return applied[0]

    async def pending(self) -> list[tuple[str, datetime]]:
        """Changes not yet applied, soonest first: (id, date)."""
        docs = await self.changes.find({"applied_at": None}, {"at": 1}).sort("at", 1).to_list()
        return [(d["_id"], d["at"]) for d in docs]
