"""Seeds an empty database with the demo register (demo_register.json)."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from typing import Any

from services.domain.types import Role
from services.store.database import Store


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
                person["id"], person["name"], Role(appointment["role"]),
                appointment["ministry"], at,
            )
    return True
