"""The register's units, changed by the secretariat: created, renamed (same unit, a new
dated name) or ended with a successor. Each change is one transaction with its event on
the register's timeline; the domain's check runs inside it, on the unit as it is then, so
two changes of one unit at once cannot both pass a check made on stale data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.domain.appointments import RegisterEventKind
from services.domain.errors import RejectionCode, reject
from services.store.register import RegisterRepository, register_event
from services.store.views import MinistryView, read_ministry

# Given the unit as it is inside the transaction: check it, answer the update to make.
Change = Callable[[MinistryView, Any], Awaitable[dict[str, Any]]]


class UnitRepository:
    def __init__(self, register: RegisterRepository) -> None:
        self._register = register
        self.units = register.ministries

    async def get(self, code: str, session: Any = None) -> MinistryView | None:
        doc = await self.units.find_one({"_id": code}, session=session)
        return read_ministry(doc) if doc else None

    async def identities(self) -> tuple[set[str], set[str]]:
        """Every unit's code and TOOI URI (ended ones too: neither is ever reused)."""
        docs = await self.units.find({}, {"_id": 1, "tooi": 1}).to_list()
        return {d["_id"] for d in docs}, {d["tooi"] for d in docs if d.get("tooi")}

    async def create(self, code: str, name: str, abbreviation: str, tooi: str | None,
                     observer: bool, at: datetime, actor_id: str, basis: str
                     ) -> MinistryView:
        doc = {"_id": code, "name": name, "valid_from": at, "valid_to": None,
               "successor": None, "tooi": tooi, "observer": observer, "uncertain": None,
               "names": [{"name": name, "abbreviation": abbreviation, "valid_from": at,
                          "valid_to": None}]}
        event = register_event(RegisterEventKind.UNIT_CREATED, at, actor_id, basis,
                               f"{name} ({abbreviation})"
                               + (", waarnemer zonder stem" if observer else ""),
                               ministry=code)

        async def write(session: Any) -> None:
            await self.units.insert_one(doc, session=session)
            await self._register.events.insert_one(event, session=session)

        try:
            await self._register._in_transaction(write)
        except DuplicateKeyError as taken:  # made a moment ago by another request
            raise reject(RejectionCode.DUPLICATE, f"a unit {code} exists already") from taken
        return read_ministry(doc)

    async def rename(self, code: str, name: str, abbreviation: str, at: datetime,
                     actor_id: str, basis: str,
                     check: Callable[[MinistryView], None]) -> MinistryView:
        async def change(unit: MinistryView, session: Any) -> dict[str, Any]:
            check(unit)
            return {"$set": {"name": name, "names": _names(unit, at) + [
                {"name": name, "abbreviation": abbreviation, "valid_from": at,
                 "valid_to": None}]}}

        return await self._change(code, change, register_event(
            RegisterEventKind.UNIT_RENAMED, at, actor_id, basis,
            f"heet voortaan {name} ({abbreviation})", ministry=code))

    async def end(self, code: str, successor: str | None, at: datetime, actor_id: str,
                  basis: str, check: Callable[[MinistryView, MinistryView | None], None]
                  ) -> MinistryView:
        async def change(unit: MinistryView, session: Any) -> dict[str, Any]:
            check(unit, await self.get(successor, session) if successor else None)
            return {"$set": {"valid_to": at, "successor": successor,
                             "names": _names(unit, at)}}

        detail = f"opgeheven; opvolger {successor}" if successor else "opgeheven"
        return await self._change(code, change, register_event(
            RegisterEventKind.UNIT_ENDED, at, actor_id, basis, detail, ministry=code))

    async def oins(self) -> dict[str, str]:
        """OIN -> the unit that has it."""
        docs = await self.units.find({"oin": {"$ne": None}}, {"oin": 1}).to_list()
        return {d["oin"]: d["_id"] for d in docs if d.get("oin")}

    async def record_oin(self, code: str, oin: str, actor_id: str, at: datetime,
                         basis: str, check: Callable[[MinistryView], None]) -> MinistryView:
        async def change(unit: MinistryView, session: Any) -> dict[str, Any]:
            check(unit)
            return {"$set": {"oin": oin}}

        return await self._change(code, change, register_event(
            RegisterEventKind.UNIT_OIN_RECORDED, at, actor_id, basis, f"OIN {oin}",
            ministry=code))

    async def _change(self, code: str, change: Change, event: dict) -> MinistryView:
        async def write(session: Any) -> None:
            unit = await self.get(code, session)
            if unit is None or unit.council_unit:
                raise reject(RejectionCode.NOT_FOUND, f"no unit {code} in the register")
            update = await change(unit, session)
            await self.units.update_one({"_id": code}, update, session=session)
            await self._register.events.insert_one(event, session=session)

        await self._register._in_transaction(write)
        found = await self.get(code)
        assert found is not None
        return found


def _names(unit: MinistryView, until: datetime) -> list[dict[str, Any]]:
    """The unit's names as stored, the last one closed at `until`."""
    names = [{"name": n.name, "abbreviation": n.abbreviation, "valid_from": n.valid_from,
              "valid_to": n.valid_to} for n in unit.names]
    if names:
        names[-1]["valid_to"] = until
    return names
