"""The register the SECRETARIAT keeps: ministries (dated), persons and their appointments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from services.domain.types import ADVISORY_ROLES, Actor, Appointment, Register, Role, Seat


def in_force(at: datetime) -> dict[str, Any]:
    """validFrom <= at < validTo: validTo is the first moment a ministry no longer exists."""
    return {
        "$and": [
            {"$or": [{"valid_from": None}, {"valid_from": {"$lte": at}}]},
            {"$or": [{"valid_to": None}, {"valid_to": {"$gt": at}}]},
        ]
    }


class RegisterRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.ministries = db["ministries"]
        self.persons = db["persons"]
        self.appointments = db["appointments"]

    # -- ministries -----------------------------------------------------------------------

    async def ministries_in_force(self, at: datetime) -> list[dict]:
        return await self.ministries.find(in_force(at)).sort("_id", 1).to_list()

    async def ministries_by_code(self, codes: list[str]) -> dict[str, dict]:
        docs = await self.ministries.find({"_id": {"$in": codes}}).to_list()
        return {d["_id"]: d for d in docs}

    async def snapshot(self, at: datetime) -> Register:
        """Ministries in force and their filled advisory seats: what a phase fixes when it
        starts (eligible advisors, voting members)."""
        codes = [m["_id"] for m in await self.ministries_in_force(at)]
        ended = await self.ministries.find(
            {"valid_to": {"$lte": at}, "successor": {"$ne": None}}, {"successor": 1}
        ).to_list()
        seats = await self.appointments.find(
            {
                "active": True,
                "ministry": {"$in": codes},
                "role": {"$in": [r.value for r in ADVISORY_ROLES]},
            },
            {"ministry": 1, "role": 1},
        ).to_list()
        unique = sorted({(s["ministry"], s["role"]) for s in seats})
        return Register(codes, [Seat(m, Role(r)) for m, r in unique],
                        {m["_id"]: m["successor"] for m in ended})

    # -- persons and appointments ---------------------------------------------------------

    async def persons_by_id(self, ids: list[str]) -> dict[str, dict]:
        docs = await self.persons.find({"_id": {"$in": ids}}).to_list()
        return {d["_id"]: d for d in docs}

    async def actor(self, person_id: str) -> Actor | None:
        # One round trip: every mutation starts here.
        found = await (await self.persons.aggregate([
            {"$match": {"_id": person_id}},
            {"$lookup": {"from": "appointments", "localField": "_id",
                         "foreignField": "person_id", "as": "held"}},
        ])).to_list()
        if not found:
            return None
        person = found[0]
        return Actor(
            person_id,
            person["name"],
            [Appointment(Role(a["role"]), a.get("ministry"))
             for a in person["held"] if a["active"]],
        )

    async def officers(self, role: Role | None = None) -> list[dict]:
        query: dict[str, Any] = {"active": True}
        if role is not None:
            query["role"] = role.value
        return await self.appointments.find(query).sort([("ministry", 1), ("role", 1)]).to_list()

    async def officers_of(self, field: str, values: list[str]) -> dict[str, list[dict]]:
        """Active appointments grouped by `ministry` or `person_id`, one query for all."""
        docs = await self.appointments.find({"active": True, field: {"$in": values}}).sort(
            [("ministry", 1), ("role", 1)]
        ).to_list()
        grouped: dict[str, list[dict]] = {v: [] for v in values}
        for doc in docs:
            grouped[doc[field]].append(doc)
        return grouped

    async def appoint(
        self, person_id: str, name: str, role: Role, ministry: str | None, at: datetime
    ) -> dict:
        """A new appointment ends the one before it in the same role of the same ministry."""
        await self.persons.update_one(
            {"_id": person_id}, {"$set": {"name": name}}, upsert=True
        )
        await self.appointments.update_many(
            {"role": role.value, "ministry": ministry, "active": True},
            {"$set": {"active": False, "ended_at": at}},
        )
        doc = {
            "_id": str(ObjectId()),
            "person_id": person_id,
            "role": role.value,
            "ministry": ministry,
            "active": True,
            "appointed_at": at,
            "ended_at": None,
        }
        await self.appointments.insert_one(doc)
        return doc

    # -- seeding --------------------------------------------------------------------------

    async def is_empty(self) -> bool:
        return await self.ministries.find_one({}, {"_id": 1}) is None
