from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import strawberry

from services.domain.appointments import check_appoint, check_seat
from services.domain.errors import Rejection, RejectionCode
from services.graph.context import Info
from services.graph.enums import Role
from services.graph.errors import Rejected
from services.graph.register.types import Officer
from services.store.views import OfficerView

OfficerResult = Annotated[Officer | Rejected, strawberry.union("OfficerResult")]


@strawberry.input
class AppointInput:
    person_id: strawberry.ID
    name: str
    role: Role
    ministry: strawberry.ID | None = None


@strawberry.input
class EndAppointmentInput:
    role: Role
    ministry: strawberry.ID | None = strawberry.field(
        default=None, description="the ministry of a CIO, CPO, CDO or CTO seat")


@strawberry.type
class RegisterMutation:
    @strawberry.mutation(description="the secretariat fills a seat; whoever held it leaves it")
    async def appoint(self, info: Info, input: AppointInput) -> OfficerResult:
        async def fill(actor, ministry: str | None, in_force: list[str], now) -> OfficerView:
            check_appoint(actor, str(input.person_id), input.name, input.role, ministry,
                          in_force)
            return await info.context.store.register.appoint(
                str(input.person_id).strip(), input.name.strip(), input.role, ministry, now,
                actor.person_id)

        return await _change_seat(info, input.ministry, fill)

    @strawberry.mutation(description="the secretariat ends the appointment in a seat, which "
                         "stays empty until someone is appointed to it")
    async def end_appointment(self, info: Info, input: EndAppointmentInput) -> OfficerResult:
        async def empty(actor, ministry: str | None, in_force: list[str], now) -> OfficerView:
            check_seat(actor, input.role, ministry, in_force)
            ended = await info.context.store.register.end_appointment(
                input.role, ministry, now, actor.person_id)
            if ended is None:
                raise Rejection(RejectionCode.NOT_FOUND, "nobody holds this seat")
            return ended

        return await _change_seat(info, input.ministry, empty)


async def _change_seat(info: Info, ministry: strawberry.ID | None, change) -> OfficerResult:
    """The caller as the register knows them now, the ministries in force, then `change`;
    a refusal is answered as `Rejected`."""
    context = info.context
    now = datetime.now(timezone.utc)
    try:
        actor = await context.acting()
        in_force = [m.code for m in await context.store.register.ministries_in_force(now)]
        officer = await change(actor, str(ministry) if ministry is not None else None,
                               in_force, now)
    except Rejection as rejection:
        return Rejected.of(rejection, context)
    return Officer.of(officer)
