"""Who may appoint whom: the SECRETARIAT keeps the register."""

from __future__ import annotations

from services.domain.errors import RejectionCode, reject
from services.domain.text import require_text
from services.domain.types import MINISTRY_ROLES, Actor, Role


def check_appoint(
    actor: Actor,
    person_id: str,
    name: str,
    role: Role,
    ministry: str | None,
    ministries_in_force: list[str],
) -> None:
    if not actor.holds(Role.SECRETARIAT):
        raise reject(RejectionCode.FORBIDDEN, "only the secretariat appoints")
    require_text(person_id, "personId", 100)
    require_text(name, "name", 200)
    if role in MINISTRY_ROLES:
        if ministry is None:
            raise reject(RejectionCode.INVALID_INPUT, f"a {role.value} is appointed to a ministry")
        if ministry not in ministries_in_force:
            raise reject(RejectionCode.INVALID_INPUT, f"ministry {ministry} is not in force")
    elif ministry is not None:
        raise reject(RejectionCode.INVALID_INPUT, f"a {role.value} has no ministry")
