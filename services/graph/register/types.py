"""Ministries, persons and officers (appointments) as GraphQL types."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated

import strawberry

from services.domain import appointments
from services.domain.councils import CouncilRules
from services.domain.seats import seat_id
from services.graph.context import Info
from services.store.issues import IssueSelection
from services.store.views import (
    MinistryView,
    OfficerView,
    PersonView,
    RegisterEventView,
    UnitNameView,
)

if TYPE_CHECKING:
    from services.graph.issues.types import IssueConnection


@strawberry.type(description="a name a unit bore, for a period")
class UnitName:
    name: str
    abbreviation: str
    valid_from: datetime
    valid_to: datetime | None = strawberry.field(description="exclusive; null: still")

    @classmethod
    def of(cls, view: UnitNameView) -> UnitName:
        return cls(name=view.name, abbreviation=view.abbreviation,
                   valid_from=view.valid_from, valid_to=view.valid_to)


@strawberry.type(description="a unit of a council: a ministry, another government "
                 "organisation, or a council's own unit (a municipality's directorate)")
class Ministry:
    code: strawberry.ID = strawberry.field(
        description="the register's key for the unit; it never changes, not on a rename")
    name: str = strawberry.field(description="the name in force at the moment asked for "
                                 "(ministries(at:)), else now")
    abbreviation: str = strawberry.field(description="the abbreviation in force then")
    valid_from: datetime | None
    valid_to: datetime | None
    tooi: str | None = strawberry.field(
        description="its identity in the government's organisation lists (TOOI URI): it "
        "keeps it through renames; founding, merger and absorption make or end one")
    names: list[UnitName] = strawberry.field(description="every name it bore, oldest first")
    observer: bool = strawberry.field(
        description="at the table without a vote: contributes and is advised on, never a "
        "voting member")
    uncertain: str | None = strawberry.field(
        description="a reported change the register does not follow yet, and why")
    oin: str | None = strawberry.field(
        description="its organisation number (OIN): with organisation checks on, only "
        "tokens of this organisation act in its seats")
    successor_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, view: MinistryView, at: datetime | None = None) -> Ministry:
        named = view.named_at(at or datetime.now(timezone.utc))
        return cls(code=strawberry.ID(view.code), name=named.name,
                   abbreviation=named.abbreviation, valid_from=view.valid_from,
                   valid_to=view.valid_to, tooi=view.tooi,
                   names=[UnitName.of(n) for n in view.names], observer=view.observer,
                   uncertain=view.uncertain, oin=view.oin, successor_code=view.successor)

    @strawberry.field
    async def successor(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.successor_code)

    @strawberry.field(description="who holds its seats now, or at `at` (\"who was CIO of "
                      "FIN on 1 March?\")")
    async def officers(self, info: Info, at: datetime | None = None) -> list[Officer]:
        if at is None:
            views = await info.context.loaders.officers_of_ministry.load(str(self.code))
        else:
            views = await info.context.store.register.officers(
                council=None, at=at, ministry=str(self.code))
        return [Officer.of(v) for v in views]

    @strawberry.field
    async def issues(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Annotated[IssueConnection, strawberry.lazy("services.graph.issues.types")]:
        from services.graph.issues.queries import issue_page

        return await issue_page(info, IssueSelection(ministry=str(self.code)), first, after)


@strawberry.type
class Person:
    id: strawberry.ID
    name: str

    @classmethod
    def of(cls, view: PersonView) -> Person:
        return cls(id=strawberry.ID(view.id), name=view.name)

    @strawberry.field
    async def officers(self, info: Info) -> list[Officer]:
        views = await info.context.loaders.officers_of_person.load(str(self.id))
        return [Officer.of(v) for v in views]


@strawberry.type
class Officer:
    id: strawberry.ID
    role: str = strawberry.field(description="a role code of the council's definition")
    person_id: strawberry.Private[str]
    ministry_code: strawberry.Private[str | None]
    council: strawberry.ID | None = strawberry.field(
        default=None, description="the council whose seat it is")
    deputy: bool = strawberry.field(
        default=False, description="a deputy (plaatsvervanger) for the seat, who advises, "
        "contributes and votes on behalf of its holder while in period")
    valid_from: datetime | None = strawberry.field(
        default=None, description="a deputy's period: from")
    valid_to: datetime | None = strawberry.field(
        default=None, description="a deputy's period: until (exclusive)")

    @classmethod
    def of(cls, view: OfficerView) -> Officer:
        return cls(id=strawberry.ID(view.id), role=view.role, person_id=view.person_id,
                   ministry_code=view.ministry,
                   council=strawberry.ID(view.council) if view.council else None,
                   deputy=view.deputy, valid_from=view.valid_from, valid_to=view.valid_to)

    @strawberry.field
    async def person(self, info: Info) -> Person:
        person = await load_person(info, self.person_id)
        assert person is not None, f"appointment {self.id} names unknown person"
        return person

    @strawberry.field(description="the unit of a seat per unit; null for a council seat "
                      "(CIO_RIJK, SECRETARIAT)")
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.ministry_code)


RegisterEventKind = strawberry.enum(appointments.RegisterEventKind)


@strawberry.type(description="a change of the register: who was appointed to or left which "
                 "seat, when, and by whose hand")
class RegisterEvent:
    id: strawberry.ID
    kind: RegisterEventKind
    at: datetime = strawberry.field(description="when the change takes effect")
    role: str | None = strawberry.field(description="the seat's role; null for a unit's change")
    basis: str | None = strawberry.field(description="the legal basis it was made on")
    detail: str | None = strawberry.field(description="what changed, in words (a unit's new "
                                          "name, its successor)")
    recorded_at: datetime | None = strawberry.field(
        description="when it was recorded (before `at` for a change dated ahead)")
    person_id: strawberry.Private[str | None]
    actor_id: strawberry.Private[str | None]
    ministry_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, view: RegisterEventView) -> RegisterEvent:
        return cls(id=strawberry.ID(view.id), kind=view.kind, at=view.at, role=view.role,
                   basis=view.basis, detail=view.detail, recorded_at=view.recorded_at,
                   person_id=view.person_id, actor_id=view.actor_id,
                   ministry_code=view.ministry)

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self.person_id)

    @strawberry.field
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.ministry_code)

    @strawberry.field(description="the secretary who made the change")
    async def actor(self, info: Info) -> Person | None:
        return await load_person(info, self.actor_id)


def seat_person(council: CouncilRules, seat: tuple[str, str | None] | None) -> Person | None:
    """A seat standing in for the person in it, for callers without an appointment
    (services.domain.seats)."""
    if seat is None:
        return None
    return Person(id=strawberry.ID(seat_id(*seat)), name=council.seat_label(*seat))


async def load_ministry(info: Info, code: str | None) -> Ministry | None:
    if code is None:
        return None
    view = await info.context.loaders.ministry.load(code)
    return Ministry.of(view) if view else None


async def load_person(info: Info, person_id: str | None) -> Person | None:
    if person_id is None:
        return None
    view = await info.context.loaders.person.load(person_id)
    return Person.of(view) if view else None
