"""A council as data: the fixed vocabulary (role kinds, seats, vote rules) and the rules of
one council's definition that an issue pins when it is raised and keeps to its end.

Nothing here names a role: who is the member, the advisor with the privacy task, the chair
or the secretariat is read from the definition (services/councils/presets/ for the files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class RoleKind(str, Enum):
    MEMBER = "MEMBER"
    ADVISOR = "ADVISOR"
    CHAIR = "CHAIR"
    SECRETARIAT = "SECRETARIAT"


class SeatKind(str, Enum):
    UNIT = "unit"
    COUNCIL = "council"


@dataclass
class Label:
    nl: str
    en: str = ""

    @property
    def english(self) -> str:
        """The words in English where the definition gives them, else in Dutch."""
        return self.en or self.nl


@dataclass
class CouncilRole:
    code: str
    kind: RoleKind
    seats: SeatKind
    name: Label
    # The advisor whose advice an issue touching personal data requires.
    privacy: bool = False

    @property
    def per_unit(self) -> bool:
        return self.seats == SeatKind.UNIT


@dataclass
class Unit:
    code: str
    name: Label


@dataclass
class CouncilRules:
    """What a running issue reads of its council: carried by the workflow, so a new version
    of the definition never changes an issue raised before it."""

    id: str
    version: str
    hash: str
    name: Label
    unit_term: Label
    roles: list[CouncilRole]
    # DEPARTMENTAL and GOVERNMENT_WIDE, in the council's words.
    scopes: dict[str, Label] = field(default_factory=dict)

    def role(self, code: str) -> CouncilRole | None:
        return next((r for r in self.roles if r.code == code), None)

    def of_kind(self, kind: RoleKind) -> list[CouncilRole]:
        return [r for r in self.roles if r.kind == kind]

    @property
    def member(self) -> CouncilRole:
        return self.of_kind(RoleKind.MEMBER)[0]

    @property
    def chair(self) -> CouncilRole:
        return self.of_kind(RoleKind.CHAIR)[0]

    @property
    def secretariat(self) -> CouncilRole:
        return self.of_kind(RoleKind.SECRETARIAT)[0]

    @property
    def advisors(self) -> list[CouncilRole]:
        return self.of_kind(RoleKind.ADVISOR)

    @property
    def privacy(self) -> CouncilRole | None:
        return next((r for r in self.advisors if r.privacy), None)

    def seat_label(self, role: str, unit: str | None) -> str:
        """"CIO van BZK", "CIO Rijk": how the public sees a seat."""
        found = self.role(role)
        if unit:
            return f"{role} van {unit}"
        return found.name.nl if found else role


@dataclass
class WindowBounds:
    min_seconds: int
    max_seconds: int
