"""Who may appoint whom: the SECRETARIAT keeps the register.

Separation of duties: the secretariat fills seats, it never fills a deciding seat (CIO
Rijk, a ministry's CIO) with itself; someone else of the secretariat must do that.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from services.domain.errors import RejectionCode, reject
from services.domain.text import require_text
from services.domain.types import MINISTRY_ROLES, Actor, Role

# Seats that decide or vote in the procedure.
DECIDING_ROLES = (Role.CIO_RIJK, Role.CIO)


def in_force(valid_from: datetime | None, valid_to: datetime | None, at: datetime) -> bool:
    """A ministry exists from validFrom until validTo, the first moment it no longer does;
    either end may be open. The store asks the same as a query (store.register.in_force)."""
    return (valid_from is None or valid_from <= at) and (valid_to is None or at < valid_to)


class RegisterEventKind(str, Enum):
    APPOINTED = "APPOINTED"
    APPOINTMENT_ENDED = "APPOINTMENT_ENDED"


def check_appoint(
    actor: Actor,
    person_id: str,
    name: str,
    role: Role,
    ministry: str | None,
    ministries_in_force: list[str],
) -> None:
    check_seat(actor, role, ministry, ministries_in_force)
    require_text(person_id, "personId", 100)
    require_text(name, "name", 200)
    if person_id.strip() == actor.person_id and role in DECIDING_ROLES:
        raise reject(RejectionCode.FORBIDDEN,
                     f"the secretariat does not appoint itself {role.value}")


def check_seat(actor: Actor, role: Role, ministry: str | None,
               ministries_in_force: list[str]) -> None:
    """The secretariat acts on a seat that exists: a ministry role of a ministry in force,
    or a council role without one."""
    if not actor.holds(Role.SECRETARIAT):
        raise reject(RejectionCode.FORBIDDEN, "only the secretariat appoints")
    if role in MINISTRY_ROLES:
        if ministry is None:
            raise reject(RejectionCode.INVALID_INPUT, f"a {role.value} is appointed to a ministry")
        if ministry not in ministries_in_force:
            raise reject(RejectionCode.INVALID_INPUT, f"ministry {ministry} is not in force")
    elif ministry is not None:
        raise reject(RejectionCode.INVALID_INPUT, f"a {role.value} has no ministry")
