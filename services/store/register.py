"""The register the SECRETARIAT keeps: ministries (dated), persons and their appointments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime, timezone
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.domain.appointments import RegisterEventKind
from services.domain.procedure import CouncilDefinition
from services.domain.types import Actor, Appointment, Holder, Register, Seat
from services.store.documents import period
from services.store.views import (
    MinistryView,
    OfficerView,
    PersonView,
    RegisterEventView,
    read_ministry,
    read_officer,
    read_person,
    read_register_event,
)

REGISTER_EVENTS = "register_events"
# How long a keyed register change is answered as its first try (a TTL index on
# `keyed_register`), as for a keyed raise.
KEYED_CHANGE_HORIZON = 7 * 86_400


def register_event(kind: RegisterEventKind, at: datetime, actor_id: str | None,
                   basis: str | None = None, detail: str | None = None,
                   **about: Any) -> dict:
    """An event of the register's timeline: `at` when the change takes effect, and when it
    was recorded (the same, unless it was dated ahead)."""
    return {"_id": str(ObjectId()), "kind": kind.value, "at": at, "actor_id": actor_id,
            "basis": basis, "detail": detail, "recorded_at": datetime.now(timezone.utc),
            "person_id": None, "role": None, "ministry": None, "council": None, **about}


def _event(kind: RegisterEventKind, appointment: dict, at: datetime,
           actor_id: str | None, basis: str | None = None) -> dict:
    return register_event(kind, at, actor_id, basis, appointment_id=appointment["_id"],
                          person_id=appointment["person_id"], role=appointment["role"],
                          ministry=appointment.get("ministry"),
                          council=appointment.get("council"))


def as_stored(view: OfficerView) -> OfficerView:
    """The view with its moments as MongoDB keeps them (milliseconds)."""
    return replace(view, **{
        name: value.replace(microsecond=value.microsecond // 1000 * 1000)
        for name, value in vars(view).items() if isinstance(value, datetime)})


def _deputy_view(doc: dict) -> OfficerView:
    return OfficerView(doc["_id"], doc["person_id"], doc["role"], doc.get("ministry"),
                       doc["council"], doc["active"], doc["named_at"], doc.get("ended_at"),
                       deputy=True, valid_from=doc["valid_from"], valid_to=doc["valid_to"])


def appointment_doc(person_id: str, role: str, ministry: str | None, council: str,
                 at: datetime) -> dict:
    return {"_id": str(ObjectId()), "person_id": person_id, "role": role,
            "ministry": ministry, "council": council, "active": True, "appointed_at": at,
            "ended_at": None}


def held_at(at: datetime) -> dict[str, Any]:
    """Appointments held at `at`: made by then and not ended by then."""
    return {"appointed_at": {"$lte": at},
            "$or": [{"ended_at": None}, {"ended_at": {"$gt": at}}]}


def in_force(at: datetime) -> dict[str, Any]:
    """services.domain.appointments.in_force as a query: validFrom <= at < validTo."""
    return {
        "$and": [
            {"$or": [{"valid_from": None}, {"valid_from": {"$lte": at}}]},
            {"$or": [{"valid_to": None}, {"valid_to": {"$gt": at}}]},
        ]
    }


class RegisterRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self._client = db.client
        self.ministries = db["ministries"]
        self.persons = db["persons"]
        self.appointments = db["appointments"]
        self.events = db[REGISTER_EVENTS]
        self.seats = db["seats"]
        self.deputies = db["deputies"]
        self.keyed = db["keyed_register"]
        # Bumped whenever this process hears of a register change (services.graph.feed):
        # callers' appointments cached under an older generation are read again.
        self.generation = 0

    def changed(self) -> None:
        self.generation += 1

    # -- ministries -----------------------------------------------------------------------

    async def ministries_in_force(self, at: datetime) -> list[MinistryView]:
        """The register's ministries (not a council's own units) in force at `at`."""
        docs = await self.ministries.find({**in_force(at), "council": None}).sort(
            "_id", 1).to_list()
        return [read_ministry(d) for d in docs]

    async def ministries_by_code(self, codes: list[str]) -> dict[str, MinistryView]:
        docs = await self.ministries.find({"_id": {"$in": codes}}).to_list()
        return {d["_id"]: read_ministry(d) for d in docs}

    async def unit_oins(self, codes: list[str]) -> dict[str, str | None]:
        """Each unit's organisation number (OIN), where one is recorded."""
        docs = await self.ministries.find({"_id": {"$in": codes}}, {"oin": 1}).to_list()
        return {d["_id"]: d.get("oin") for d in docs}

    async def units_in_force(self, council: CouncilDefinition, at: datetime) -> list[str]:
        """A council's units: the register's ministries in force, or its own list."""
        if council.units is not None:
            return [u.code for u in council.units]
        return [m.code for m in await self.ministries_in_force(at)]

    async def snapshot(self, at: datetime, council: CouncilDefinition) -> Register:
        """A council's units in force and its filled advisory seats: what a phase fixes
        when it starts (eligible advisors, voting members)."""
        if council.units is not None:
            codes, observers = [u.code for u in council.units], []
        else:
            views = await self.ministries_in_force(at)
            codes, observers = [v.code for v in views], [v.code for v in views if v.observer]
        ended = [] if council.units is not None else await self.ministries.find(
            {"valid_to": {"$lte": at}, "successor": {"$ne": None}}, {"successor": 1}
        ).to_list()
        advisors = council.rules.advisors
        seats = await self.appointments.find(
            {
                "active": True,
                "council": council.id,
                "role": {"$in": [r.code for r in advisors]},
            },
            {"ministry": 1, "role": 1},
        ).to_list()
        per_unit = {r.code for r in advisors if r.per_unit}
        unique = sorted(
            {(s.get("ministry"), s["role"]) for s in seats
             if (s["role"] in per_unit) == (s.get("ministry") is not None)
             and (s.get("ministry") is None or s["ministry"] in codes)},
            key=lambda seat: (seat[0] or "", seat[1]))
        return Register(codes, [Seat(m, r) for m, r in unique],
                        {m["_id"]: m["successor"] for m in ended}, observers)

    # -- persons and appointments ---------------------------------------------------------

    async def persons_by_id(self, ids: list[str]) -> dict[str, PersonView]:
        docs = await self.persons.find({"_id": {"$in": ids}}).to_list()
        return {d["_id"]: read_person(d) for d in docs}

    async def actor(self, person_id: str, at: datetime | None = None) -> Actor | None:
        """The person with the seats they hold at `at` (default now): their own, and those
        they stand in for as a deputy in period while the seat has a holder."""
        # One round trip for most: every mutation starts here.
        found = await (await self.persons.aggregate([
            {"$match": {"_id": person_id}},
            {"$lookup": {"from": "appointments", "localField": "_id",
                         "foreignField": "person_id", "as": "held"}},
            {"$lookup": {"from": "deputies", "localField": "_id",
                         "foreignField": "person_id", "as": "standing_in"}},
        ])).to_list()
        if not found:
            return None
        person = found[0]
        held = [Appointment(a["role"], a.get("ministry"), a.get("council"))
                for a in person["held"] if a["active"]]
        moment = at or datetime.now(timezone.utc)
        deputising = [d for d in person.get("standing_in", [])
                      if d["active"] and d["valid_from"] <= moment < d["valid_to"]]
        if deputising:
            holders = await self._holders([(d["council"], d["role"], d.get("ministry"))
                                           for d in deputising])
            held += [Appointment(d["role"], d.get("ministry"), d["council"], holder)
                     for d in deputising
                     if (holder := holders.get((d["council"], d["role"], d.get("ministry"))))]
        return Actor(person_id, person["name"], held)

    async def _holders(self, seats: list[tuple[str, str, str | None]]
                       ) -> dict[tuple[str, str, str | None], Holder]:
        """Who holds each of these seats now."""
        docs = await self.appointments.find({"active": True, "$or": [
            {"council": c, "role": r, "ministry": m} for c, r, m in seats]}).to_list()
        names = await self.persons_by_id(sorted({d["person_id"] for d in docs}))
        return {(d["council"], d["role"], d.get("ministry")):
                Holder(d["person_id"], names[d["person_id"]].name)
                for d in docs if d["person_id"] in names}

    async def holder(self, council: str, role: str, ministry: str | None) -> str | None:
        """The person id of the seat's holder now; None when it is empty."""
        doc = await self.appointments.find_one(
            {"active": True, "council": council, "role": role, "ministry": ministry},
            {"person_id": 1})
        return doc["person_id"] if doc else None

    async def name_deputy(self, person_id: str, name: str, council: str, role: str,
                          ministry: str | None, valid_from: datetime, valid_to: datetime,
                          at: datetime, actor_id: str, basis: str | None = None,
                          request: str | None = None) -> tuple[OfficerView, bool]:
        """A deputy for the seat and the period; a naming before it for the same seat ends
        (one deputy per seat). One transaction with its event on the register's timeline.
        Answers the naming and whether this try made it (False: an earlier try of
        `request` did, and its answer is given)."""
        doc = {"_id": str(ObjectId()), "person_id": person_id, "role": role,
               "ministry": ministry, "council": council, "valid_from": valid_from,
               "valid_to": valid_to, "active": True, "named_at": at, "actor_id": actor_id}

        async def write(session) -> None:
            await self.persons.update_one(
                {"_id": person_id}, {"$setOnInsert": {"name": name}}, upsert=True,
                session=session)
            await self.seats.update_one({"_id": f"{council}:{role}:{ministry or ''}"},
                                        {"$set": {"changed_at": at}}, upsert=True,
                                        session=session)
            await self.deputies.update_many(
                {"council": council, "role": role, "ministry": ministry, "active": True},
                {"$set": {"active": False, "ended_at": at}}, session=session)
            await self.deputies.insert_one(doc, session=session)
            await self.events.insert_one(
                _event(RegisterEventKind.DEPUTY_NAMED, doc, valid_from, actor_id, basis),
                session=session)

        keyed, made = await self._in_transaction(write, request, lambda: _deputy_view(doc))
        return keyed or _deputy_view(doc), made

    async def deputies_named(self, council: str, at: datetime) -> list[OfficerView]:
        """The deputies of a council whose period has not ended at `at`."""
        docs = await self.deputies.find(
            {"council": council, "active": True, "valid_to": {"$gt": at}}).sort(
            [("ministry", 1), ("role", 1)]).to_list()
        return [_deputy_view(d) for d in docs]

    async def officers(self, role: str | None = None, council: str | None = None,
                       at: datetime | None = None, ministry: str | None = None
                       ) -> list[OfficerView]:
        """Who holds which seat now, or at `at` (history: appointed by then, not yet
        ended)."""
        query: dict[str, Any] = {"active": True} if at is None else held_at(at)
        if ministry is not None:
            query["ministry"] = ministry
        if role is not None:
            query["role"] = role
        if council is not None:
            query["council"] = council
        docs = await self.appointments.find(query).sort(
            [("ministry", 1), ("role", 1)]).to_list()
        return [read_officer(d) for d in docs]

    async def officers_of_ministries(self, codes: list[str]) -> dict[str, list[OfficerView]]:
        return await self._officers_by("ministry", codes)

    async def officers_of_persons(self, ids: list[str]) -> dict[str, list[OfficerView]]:
        return await self._officers_by("person_id", ids)

    async def _officers_by(self, field: str, values: list[str]
                           ) -> dict[str, list[OfficerView]]:
        """Active appointments grouped by `ministry` or `person_id`, one query for all."""
        docs = await self.appointments.find({"active": True, field: {"$in": values}}).sort(
            [("ministry", 1), ("role", 1)]
        ).to_list()
        grouped: dict[str, list[OfficerView]] = {v: [] for v in values}
        for doc in docs:
            grouped[doc[field]].append(read_officer(doc))
        return grouped

    async def appoint(
        self, person_id: str, name: str, role: str, ministry: str | None, at: datetime,
        actor_id: str | None = None, council: str = "", basis: str | None = None,
        request: str | None = None,
    ) -> OfficerView:
        """A new appointment ends the one before it in the same role of the same ministry.
        One transaction: the seat never has two holders, and each change is an event on the
        register's timeline (which every API replica hears through the change stream)."""
        doc = appointment_doc(person_id, role, ministry, council, at)

        async def write(session) -> None:
            await self._appoint_in(session, doc, name, at, actor_id, basis)

        keyed, _ = await self._in_transaction(write, request, lambda: read_officer(doc))
        return keyed or read_officer(doc)

    async def _appoint_in(self, session, doc: dict, name: str, at: datetime,
                          actor_id: str | None, basis: str | None) -> None:
        await self.persons.update_one(
            {"_id": doc["person_id"]}, {"$set": {"name": name}}, upsert=True, session=session)
        await self._end_seat(doc["council"], doc["role"], doc["ministry"], at, actor_id,
                             session, basis)
        await self.appointments.insert_one(doc, session=session)
        await self.events.insert_one(
            _event(RegisterEventKind.APPOINTED, doc, at, actor_id, basis), session=session)

    async def end_appointment(self, role: str, ministry: str | None, at: datetime,
                              actor_id: str | None = None, council: str = "",
                              basis: str | None = None, request: str | None = None
                              ) -> OfficerView | None:
        """Ends whoever holds the seat; answers the ended appointment, None if it was empty
        (then `request` is not remembered: a resend is judged anew)."""
        ended: list[dict] = []

        async def write(session) -> None:
            ended[:] = await self._end_seat(council, role, ministry, at, actor_id, session,
                                            basis)

        def answer() -> OfficerView | None:
            return read_officer(ended[-1]) if ended else None

        keyed, _ = await self._in_transaction(write, request, answer)
        return keyed or answer()

    async def _end_seat(self, council: str, role: str, ministry: str | None, at: datetime,
                        actor_id: str | None, session, basis: str | None = None,
                        holder: str | None = None) -> list[dict]:
        """Ends the seat's appointment; with `holder`, only if that person still holds it
        (an end recorded ahead for one holder never ends a successor's)."""
        # Every change of a seat writes its one document first: two concurrent changes of
        # the same seat conflict there, and the transaction retried sees the other's holder
        # (an empty seat has no appointment document to conflict on).
        await self.seats.update_one({"_id": f"{council}:{role}:{ministry or ''}"},
                                    {"$set": {"changed_at": at}}, upsert=True,
                                    session=session)
        seat = {"council": council, "role": role, "ministry": ministry, "active": True,
                **({"person_id": holder} if holder else {})}
        holders = await self.appointments.find(seat, session=session).to_list()
        if holders:
            await self.appointments.update_many(
                seat, {"$set": {"active": False, "ended_at": at}}, session=session)
            await self.events.insert_many(
                [_event(RegisterEventKind.APPOINTMENT_ENDED, h, at, actor_id, basis)
                 for h in holders],
                session=session)
        return [{**h, "active": False, "ended_at": at} for h in holders]

    async def _in_transaction(self, write, request: str | None = None,
                              answer: Callable[[], OfficerView | None] | None = None
                              ) -> tuple[OfficerView | None, bool]:
        """Runs `write` in one transaction; answers (the keyed answer, whether this try
        wrote). With a keyed `request`, `answer` is kept in the same transaction, as MongoDB
        keeps it (milliseconds): a resend, even one racing the first try, writes nothing
        and gets the first try's answer. Unkeyed, the answer is None."""
        kept: list[OfficerView] = []

        async def keyed_write(session) -> None:
            kept.clear()
            await write(session)
            made = answer() if answer is not None and request is not None else None
            if made is not None:
                kept.append(as_stored(made))
                await self.keyed.insert_one(
                    {"_id": request, "answer": asdict(kept[0]),
                     "at": datetime.now(timezone.utc)}, session=session)

        try:
            async with self._client.start_session() as session:
                await session.with_transaction(keyed_write)
        except DuplicateKeyError:
            earlier = await self.answered(request) if request is not None else None
            if earlier is None:
                raise
            return earlier, False
        return (kept[0] if kept else None), True

    async def answered(self, request: str) -> OfficerView | None:
        """The answer a keyed change got, while it is remembered."""
        doc = await self.keyed.find_one({"_id": request})
        return OfficerView(**doc["answer"]) if doc else None

    async def events_between(self, start: datetime | None, end: datetime | None,
                             council: str | None = None) -> list[RegisterEventView]:
        """The register's changes taking effect in [start, end), in that order; of one
        council's seats and the register's units, or all."""
        query: dict[str, Any] = {}
        window = period(start, end)
        if window:
            query["at"] = window
        if council is not None:
            query["council"] = {"$in": [council, None]}
        docs = await self.events.find(query).sort([("at", 1), ("_id", 1)]).to_list()
        return [read_register_event(d) for d in docs]

    async def events_newest_first(self, first: int) -> list[RegisterEventView]:
        docs = await self.events.find().sort("_id", -1).limit(first).to_list()
        return [read_register_event(d) for d in docs]

    # -- seeding --------------------------------------------------------------------------

    async def add_units(self, council: CouncilDefinition, at: datetime) -> None:
        """A council's own units, kept beside the ministries so every unit is found by code
        (codes are unique across the deployment)."""
        for unit in council.units or []:
            await self.ministries.update_one(
                {"_id": unit.code},
                {"$setOnInsert": {"valid_from": at, "valid_to": None, "successor": None},
                 "$set": {"name": unit.name.nl, "council": council.id}},
                upsert=True)

    async def published(self, council: str, at: datetime, person_id: str, role: str) -> None:
        """A council's new version on the register's timeline: every replica hears it (and
        drops what it cached of councils), officers read who published it."""
        await self.events.insert_one(register_event(
            RegisterEventKind.COUNCIL_PUBLISHED, at, person_id, appointment_id=None,
            person_id=person_id, role=role, council=council))

    async def unit_codes_elsewhere(self, council: str, codes: list[str]) -> list[str]:
        """Which of `codes` already name a ministry or another council's unit."""
        docs = await self.ministries.find(
            {"_id": {"$in": codes}, "council": {"$ne": council}}, {"_id": 1}).to_list()
        return sorted(d["_id"] for d in docs)

    async def place_in_council(self, council: str) -> None:
        """Appointments made before councils were data belong to the default council."""
        await self.appointments.update_many({"council": {"$exists": False}},
                                            {"$set": {"council": council}})

    async def is_empty(self) -> bool:
        # A council's own units are written when it is published, before any seeding.
        return await self.ministries.find_one({"council": None}, {"_id": 1}) is None
