"""How the public sees people in the course of an issue: by the seat they act from ("CIO
van BZK", "CIO Rijk"), never by name. The register of who holds which seat is public on
its own, as the government's almanac is; the course of an issue shows roles and units."""

from __future__ import annotations

from services.domain.councils import CouncilRules
from services.domain.types import DecisionRoute

Seat = tuple[str, str | None]


def seat_id(role: str, ministry: str | None) -> str:
    return f"{role}:{ministry}" if ministry else role


def raiser_seat(council: CouncilRules, ministry: str | None) -> Seat:
    """An issue without a unit was raised by the chair, any other by the unit's member."""
    return (council.member.code, ministry) if ministry else (council.chair.code, None)


def decider_seat(council: CouncilRules, route: DecisionRoute, ministry: str | None
                 ) -> Seat | None:
    """The chair decides by mandate, the owning member departmentally; a vote: nobody."""
    if route == DecisionRoute.MANDATE:
        return council.chair.code, None
    if route == DecisionRoute.DEPARTMENTAL:
        return council.member.code, ministry
    return None
