"""Seeds an empty database with the demo register (demo_register.json, the CIO-beraad's
units; demo_people.json, the people in their seats) and, for every other council published
at the time, one fictional person in every seat."""

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


def _data(name: str) -> dict[str, Any]:
    return json.loads(resources.files("services.store").joinpath(name).read_text())


def demo_register() -> dict[str, Any]:
    """The units (generated from their sources: services.store.register_data) and the
    fictional people in their seats."""
    return {**_data("demo_register.json"), **_data("demo_people.json")}


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def unit_document(unit: dict[str, Any]) -> dict[str, Any]:
    names = [{"name": n["name"], "abbreviation": n["abbreviation"],
              "valid_from": _when(n["validFrom"]), "valid_to": _when(n["validTo"])}
             for n in unit["names"]]
    return {
        "_id": unit["code"],
        "name": names[-1]["name"],
        "valid_from": _when(unit["validFrom"]),
        "valid_to": _when(unit["validTo"]),
        "successor": unit["successor"],
        "tooi": unit.get("tooi"),
        "names": names,
        "observer": unit.get("observer", False),
        "uncertain": unit.get("uncertain"),
    }


async def seed_demo(store: Store, at: datetime) -> bool:
    """Loads the demo register when the database has none; True when it did."""
    if not await store.register.is_empty():
        return False
    data = demo_register()
    await store.register.ministries.insert_many(
        [unit_document(unit) for unit in data["ministries"]])
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
