"""How the public sees people in the course of an issue: by the seat they act from ("CIO
van BZK", "CIO Rijk"), never by name. The register of who holds which seat is public on
its own, as the government's almanac is; the course of an issue shows roles and units."""

from __future__ import annotations

from services.domain.types import DecisionRoute, Role

LABELS = {Role.CIO_RIJK: "CIO Rijk", Role.SECRETARIAT: "Secretariaat"}


def seat_id(role: Role, ministry: str | None) -> str:
    return f"{role.value}:{ministry}" if ministry else role.value


def seat_label(role: Role, ministry: str | None) -> str:
    if ministry:
        return f"{role.value} van {ministry}"
    return LABELS.get(role, role.value)


def raiser_seat(ministry: str | None) -> tuple[Role, str | None]:
    """An issue without a ministry was raised by the CIO Rijk, any other by its CIO."""
    return (Role.CIO, ministry) if ministry else (Role.CIO_RIJK, None)


def decider_seat(route: DecisionRoute, ministry: str | None
                 ) -> tuple[Role, str | None] | None:
    """The CIO Rijk decides by mandate, the owning CIO departmentally; consensus: nobody."""
    if route == DecisionRoute.MANDATE:
        return Role.CIO_RIJK, None
    if route == DecisionRoute.DEPARTMENTAL:
        return Role.CIO, ministry
    return None
