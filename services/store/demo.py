"""Seeds an empty database with the demo register (demo_register.json, the CIO-beraad's
ministries and officers) and, for every other council published at the time, one fictional
person in every seat."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from typing import Any

from services.councils.definitions import LEGACY_COUNCIL
from services.domain.procedure import CouncilDefinition
from services.store.database import Store

FIRST = ("Anouk", "Bram", "Charlotte", "Daan", "Eva", "Floor", "Gijs", "Hanna", "Ilse", "Joost",
         "Karin", "Lars", "Mila", "Niels", "Olga", "Pim", "Quinten", "Rosa", "Sem", "Tess")
LAST = ("Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
        "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra")


def demo_register() -> dict[str, Any]:
    return json.loads(resources.files("services.store").joinpath("demo_register.json").read_text())


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def seed_demo(store: Store, at: datetime) -> bool:
    """Loads the demo register when the database has none; True when it did."""
    if not await store.register.is_empty():
        return False
    data = demo_register()
    ministries = [
        {
            "_id": m["code"],
            "name": m["name"],
            "valid_from": _when(m["validFrom"]),
            "valid_to": _when(m["validTo"]),
            "successor": m["successor"],
        }
        for m in data["ministries"]
    ]
    await store.register.ministries.insert_many(ministries)
    for person in data["persons"]:
        for appointment in person["appointments"]:
            await store.register.appoint(
                person["id"], person["name"], appointment["role"], appointment["ministry"], at,
                council=LEGACY_COUNCIL,
            )
    for council in await store.councils.current(at):
        if council.id != LEGACY_COUNCIL:
            await seed_council(store, council, at)
    return True


def demo_people(council: CouncilDefinition) -> list[tuple[str, str, str, str | None]]:
    """(person id, name, role, unit) for every seat of a council with its own units."""
    seats = [(role.code, unit.code) for role in council.rules.roles if role.per_unit
             for unit in council.units or []]
    seats += [(role.code, None) for role in council.rules.roles if not role.per_unit]
    people = []
    for i, (role, unit) in enumerate(seats):
        person_id = f"{council.id}-{role}" + (f"-{unit}" if unit else "")
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + len(council.id)) % len(LAST)]}"
        people.append((person_id.lower(), name, role, unit))
    return people


async def seed_council(store: Store, council: CouncilDefinition, at: datetime) -> None:
    for person_id, name, role, unit in demo_people(council):
        await store.register.appoint(person_id, name, role, unit, at, council=council.id)
