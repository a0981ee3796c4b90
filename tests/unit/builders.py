"""Cycles and actors for the unit tests: a small CIO-beraad of three ministries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import Enum

import pytest

from services.councils.definitions import preset
from services.domain.commands import ClosePhaseInput, RaiseIssueInput
from services.domain.cycle import Cycle
from services.domain.errors import Rejection, RejectionCode
from services.domain.types import (
    Actor,
    Appointment,
    EventKind,
    Phase,
    Procedure,
    Register,
    Scope,
    Seat,
)

# The default council's rules, and its role codes as the tests name them.
CIO_BERAAD = preset("cio-beraad").rules
Role = Enum("Role", {r.code: r.code for r in CIO_BERAAD.roles}, type=str)  # type: ignore[misc]

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
MINISTRIES = ["BZK", "FIN", "OCW"]
REGISTER = Register(
    MINISTRIES, [Seat(m, r) for m in MINISTRIES for r in (Role.CPO, Role.CDO, Role.CTO)]
)
PROCEDURE = Procedure(100, 200, 300, 400, 2 / 3)

RIJK = Actor("rijk", "CIO Rijk", [Appointment(Role.CIO_RIJK)])
SECRETARY = Actor("sec", "Secretaris", [Appointment(Role.SECRETARIAT)])


def officer(role: Role, ministry: str) -> Actor:
    return Actor(f"{role.value.lower()}-{ministry.lower()}", f"{role.value} {ministry}",
                 [Appointment(role, ministry)])


def cio(ministry: str) -> Actor:
    return officer(Role.CIO, ministry)


def raised(
    scope: Scope = Scope.GOVERNMENT_WIDE,
    ministry: str | None = None,
    privacy: bool = False,
    binding: bool = False,
    by: Actor = RIJK,
    procedure: Procedure = PROCEDURE,
) -> Cycle:
    cycle = Cycle.raised(
        RaiseIssueInput("i1", by, "Cloud", "Use the cloud", scope, ministry, privacy, procedure,
                        [], binding, council=CIO_BERAAD),
        T0,
    )
    events = cycle.start(by, T0, REGISTER)
    assert [e.kind for e in events] == [EventKind.RAISED]
    return cycle


def kinds(events) -> list[str]:
    return [e.kind.value for e in events]


def rejected(code: RejectionCode, action, *args):
    with pytest.raises(Rejection) as err:
        action(*args)
    assert err.value.code == code, err.value.message
    return err.value


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def voting(members: list[str] = MINISTRIES, **kwargs) -> Cycle:
    cycle = raised(**kwargs)
    cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    cycle.close_phase(ClosePhaseInput(RIJK), at(2), Register(members, []))
    assert cycle.state.phase == Phase.VOTING
    return cycle
