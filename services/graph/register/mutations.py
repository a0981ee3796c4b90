from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import strawberry

from services.domain.appointments import check_appoint, check_name_deputy, check_seat
from services.domain.errors import Rejection, RejectionCode
from services.domain.types import Actor
from services.graph.context import Info
from services.graph.errors import Rejected
from services.graph.register.types import Officer
from services.store.views import OfficerView

OfficerResult = Annotated[Officer | Rejected, strawberry.union("OfficerResult")]


@strawberry.input
class AppointInput:
    person_id: strawberry.ID
    name: str
    role: str = strawberry.field(description="a role code of the council's definition")
    ministry: strawberry.ID | None = strawberry.field(
        default=None, description="the unit of a seat per unit")
    council: strawberry.ID | None = strawberry.field(
        default=None, description="default: the deployment's default council")


@strawberry.input
class EndAppointmentInput:
    role: str
    ministry: strawberry.ID | None = strawberry.field(
        default=None, description="the unit of a seat per unit (a CIO, CPO, CDO or CTO seat)")
    council: strawberry.ID | None = strawberry.field(
        default=None, description="default: the deployment's default council")


@strawberry.input(description="a deputy (plaatsvervanger) for a member or advisory seat and "
                  "a period")
class AppointDeputyInput:
    person_id: strawberry.ID
    name: str
    role: str = strawberry.field(description="the seat's role code in the council")
    valid_to: datetime = strawberry.field(description="until (exclusive)")
    ministry: strawberry.ID | None = strawberry.field(
        default=None, description="the unit of a seat per unit")
    council: strawberry.ID | None = strawberry.field(
        default=None, description="default: the deployment's default council")
    valid_from: datetime | None = strawberry.field(default=None, description="default: now")


@strawberry.type
class RegisterMutation:
    @strawberry.mutation(description="the secretariat fills a seat; whoever held it leaves it")
    async def appoint(self, info: Info, input: AppointInput) -> OfficerResult:
        async def fill(actor, council, default, ministry: str | None, in_force: list[str],
                       now) -> OfficerView:
            check_appoint(actor, council.rules, str(input.person_id), input.name, input.role,
                          ministry, in_force, default.rules)
            return await info.context.store.register.appoint(
                str(input.person_id).strip(), input.name.strip(), input.role, ministry, now,
                actor.person_id, council.id)

        return await _change_seat(info, input.council, input.ministry, fill)

    @strawberry.mutation(description="the secretariat ends the appointment in a seat, which "
                         "stays empty until someone is appointed to it")
    async def end_appointment(self, info: Info, input: EndAppointmentInput) -> OfficerResult:
        async def empty(actor, council, default, ministry: str | None, in_force: list[str],
                        now) -> OfficerView:
            check_seat(actor, council.rules, input.role, ministry, in_force, default.rules)
            ended = await info.context.store.register.end_appointment(
                input.role, ministry, now, actor.person_id, council.id)
            if ended is None:
                raise Rejection(RejectionCode.NOT_FOUND, "nobody holds this seat")
            return ended

        return await _change_seat(info, input.council, input.ministry, empty)

    @strawberry.mutation(description="the seat's holder or the secretariat names a deputy for "
                         "the period; a deputy named before for the seat is replaced")
    async def appoint_deputy(self, info: Info, input: AppointDeputyInput) -> OfficerResult:
        async def name(actor, council, default, ministry: str | None, in_force: list[str],
                       now) -> OfficerView:
            register = info.context.store.register
            person_id = str(input.person_id).strip()
            deputy = await register.actor(person_id) or Actor(person_id, input.name)
            valid_from = input.valid_from or now
            check_name_deputy(actor, council.rules, input.role, ministry, in_force,
                              default.rules, await register.holder(council.id, input.role,
                                                                   ministry),
                              deputy, input.name, valid_from, input.valid_to, now)
            return await register.name_deputy(
                person_id, input.name.strip(), council.id, input.role, ministry, valid_from,
                input.valid_to, now, actor.person_id)

        return await _change_seat(info, input.council, input.ministry, name)


async def _change_seat(info: Info, council_id: strawberry.ID | None,
                       ministry: strawberry.ID | None, change) -> OfficerResult:
    """The caller as the register knows them now, the council and its units in force, then
    `change`; a refusal is answered as `Rejected`."""
    context = info.context
    now = datetime.now(timezone.utc)
    try:
        actor = await context.acting()
        councils = context.store.councils
        default = await councils.in_force(context.settings.default_council, now)
        assert default is not None, "the default council is published at start"
        council = (await councils.in_force(str(council_id), now) if council_id is not None
                   else default)
        if council is None:
            raise Rejection(RejectionCode.NOT_FOUND, f"no council {council_id}")
        in_force = await context.store.register.units_in_force(council, now)
        officer = await change(actor, council, default,
                               str(ministry) if ministry is not None else None, in_force, now)
    except Rejection as rejection:
        return Rejected.of(rejection, context)
    return Officer.of(officer)
