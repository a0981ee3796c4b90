"""Who may appoint whom: the SECRETARIAT keeps the register.

A council's seats are its definition's roles: one per unit (`seats: unit`) or one for the
council. Its own secretariat appoints to them, and so does the default council's, which
keeps the deployment's register (and so fills a new council's first seats).

Separation of duties: the secretariat fills seats, it never fills a deciding seat (the
chair, a unit's member) with itself; someone else of the secretariat must do that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from services.domain.councils import CouncilRole, CouncilRules, RoleKind
from services.domain.errors import RejectionCode, reject
from services.domain.text import require_text
from services.domain.types import Actor

# Seats that decide or vote in the procedure.
DECIDING_KINDS = (RoleKind.CHAIR, RoleKind.MEMBER)


def in_force(valid_from: datetime | None, valid_to: datetime | None, at: datetime) -> bool:
    """A ministry exists from validFrom until validTo, the first moment it no longer does;
    either end may be open. The store asks the same as a query (store.register.in_force)."""
    return (valid_from is None or valid_from <= at) and (valid_to is None or at < valid_to)


class RegisterEventKind(str, Enum):
    APPOINTED = "APPOINTED"
    APPOINTMENT_ENDED = "APPOINTMENT_ENDED"
    # A new version of a council's definition (who published it, from which seat).
    COUNCIL_PUBLISHED = "COUNCIL_PUBLISHED"
    # A deputy (plaatsvervanger) named for a seat and a period.
    DEPUTY_NAMED = "DEPUTY_NAMED"
    # An appointment or its end recorded now, to take effect at a later date.
    APPOINTMENT_SCHEDULED = "APPOINTMENT_SCHEDULED"
    APPOINTMENT_END_SCHEDULED = "APPOINTMENT_END_SCHEDULED"
    UNIT_CREATED = "UNIT_CREATED"
    UNIT_RENAMED = "UNIT_RENAMED"
    UNIT_ENDED = "UNIT_ENDED"
    # The unit's organisation number (OIN), for checking who signs in for it.
    UNIT_OIN_RECORDED = "UNIT_OIN_RECORDED"
    # A change recorded earlier with a later date takes effect now (`detail` says which).
    IN_FORCE = "IN_FORCE"


class ChangeKind(str, Enum):
    """What a register change dated ahead does at its date."""

    APPOINT = "APPOINT"
    END_APPOINTMENT = "END_APPOINTMENT"
    # Nothing to change at the date (the data is dated already): the register's timeline
    # says it took effect, and every replica hears it and reads the register anew.
    IN_FORCE = "IN_FORCE"


@dataclass
class ApplyRegisterChangeInput:
    """A register change recorded ahead of its date (services.store.scheduled)."""

    change_id: str
    at: datetime


# An organisation number (Organisatie-identificatienummer): 20 digits.
OIN = re.compile(r"\d{20}")


def seats_of_organisation(actor: Actor, oin: str, unit_oins: dict[str, str | None]
                          ) -> Actor:
    """The seats a person may act in when signed in for the organisation `oin`: a unit's
    seat only when that unit's OIN is the token's (a unit without one recorded counts for
    no organisation), a council-wide seat (no unit) for any."""
    kept = [a for a in actor.appointments
            if a.ministry is None or unit_oins.get(a.ministry) == oin]
    return Actor(actor.person_id, actor.name, kept)


# Seats a deputy may stand in for: those that advise, contribute and vote.
DEPUTISED_KINDS = (RoleKind.MEMBER, RoleKind.ADVISOR)
# The longest period one naming covers: a cabinet's term.
DEPUTY_PERIOD_MAX = timedelta(days=4 * 366)


def check_appoint(
    actor: Actor,
    council: CouncilRules,
    person_id: str,
    name: str,
    role: str,
    ministry: str | None,
    units_in_force: list[str],
    default: CouncilRules | None = None,
) -> None:
    found = check_seat(actor, council, role, ministry, units_in_force, default)
    require_text(person_id, "personId", 100)
    require_text(name, "name", 200)
    if person_id.strip() == actor.person_id and found.kind in DECIDING_KINDS:
        raise reject(RejectionCode.FORBIDDEN,
                     f"the secretariat does not appoint itself {role}")


def keeps_register(actor: Actor, council: CouncilRules, default: CouncilRules | None) -> bool:
    """The council's own secretariat, or the default council's (the deployment's)."""
    return any(actor.holds(c.secretariat.code, council=c.id)
               for c in (council, default) if c is not None)


def check_define(actor: Actor, current: CouncilRules | None, default: CouncilRules) -> str:
    """A new version of a council is published by its own secretariat; a new council by
    the default council's, which keeps the deployment's register. Answers the role it is
    published from. (A version that exists with other content is refused where versions
    are kept: services.store.councils.)"""
    keeper = current or default
    if not actor.holds(keeper.secretariat.code, council=keeper.id):
        whose = f"{current.id}'s" if current else f"the default council's ({default.id})"
        raise reject(RejectionCode.FORBIDDEN, f"only {whose} secretariat publishes this")
    return keeper.secretariat.code


def check_name_deputy(
    actor: Actor,
    council: CouncilRules,
    role: str,
    ministry: str | None,
    units_in_force: list[str],
    default: CouncilRules | None,
    holder: str | None,
    deputy: Actor,
    name: str,
    valid_from: datetime,
    valid_to: datetime,
    now: datetime,
) -> None:
    """The seat's holder or the secretariat names a deputy for a member or advisory seat
    that has a holder, for a period that has not ended. `deputy` is the person named, with
    the appointments they hold: one who already sits in a seat of this role would hold two
    (whose vote would they cast?), so is refused."""
    own = actor.holds(role, ministry, council.id) and actor.deputising(
        role, ministry, council.id) is None
    if not (own or keeps_register(actor, council, default)):
        raise reject(RejectionCode.FORBIDDEN,
                     "only the seat's holder or the secretariat names its deputy")
    found = seat_of(council, role, ministry, units_in_force)
    if found.kind not in DEPUTISED_KINDS:
        raise reject(RejectionCode.INVALID_INPUT,
                     f"a deputy stands in for a member or advisory seat, not the {role}")
    require_text(deputy.person_id, "personId", 100)
    require_text(name, "name", 200)
    if holder is None:
        raise reject(RejectionCode.PRECONDITION_FAILED,
                     "the seat is empty: appoint someone to it rather than a deputy")
    if deputy.person_id == holder:
        raise reject(RejectionCode.INVALID_INPUT, "the holder is not their own deputy")
    # (Named again for this very seat, say for a longer period, is no second seat.)
    if any(a.role == role and a.council in (None, council.id)
           and not (a.deputy_for is not None and a.ministry == ministry)
           for a in deputy.appointments):
        raise reject(RejectionCode.INVALID_INPUT,
                     f"{deputy.person_id} sits in a {role} seat already: a deputy stands in "
                     "for one seat of a role")
    if valid_to <= valid_from or valid_to <= now:
        raise reject(RejectionCode.INVALID_INPUT, "validTo must lie after validFrom and now")
    if valid_to - valid_from > DEPUTY_PERIOD_MAX:
        raise reject(RejectionCode.INVALID_INPUT,
                     f"a deputy is named for {DEPUTY_PERIOD_MAX.days} days at most")


def check_seat(actor: Actor, council: CouncilRules, role: str, ministry: str | None,
               units_in_force: list[str], default: CouncilRules | None = None
               ) -> CouncilRole:
    """The secretariat acts on a seat that exists: a unit's role of a unit in force, or a
    council role without one."""
    if not keeps_register(actor, council, default):
        raise reject(RejectionCode.FORBIDDEN, "only the secretariat appoints")
    return seat_of(council, role, ministry, units_in_force)


def seat_of(council: CouncilRules, role: str, ministry: str | None,
            units_in_force: list[str]) -> CouncilRole:
    """The role of a seat that exists: a unit's role of a unit in force, or a council role
    without one."""
    found = council.role(role)
    if found is None:
        codes = ", ".join(r.code for r in council.roles)
        raise reject(RejectionCode.INVALID_INPUT,
                     f"role: '{role}' is not a role of {council.id} (one of {codes})")
    term = council.unit_term.english
    if found.per_unit:
        if ministry is None:
            raise reject(RejectionCode.INVALID_INPUT, f"a {role} is appointed to a {term}")
        if ministry not in units_in_force:
            raise reject(RejectionCode.INVALID_INPUT, f"{term} {ministry} is not in force")
    elif ministry is not None:
        raise reject(RejectionCode.INVALID_INPUT, f"a {role} has no {term}")
    return found
