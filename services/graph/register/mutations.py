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
        context = info.context
        now = datetime.now(timezone.utc)
        ministry = str(input.ministry) if input.ministry is not None else None
        try:
            actor = await context.acting()
            in_force = [m["_id"] for m in await context.store.register.ministries_in_force(now)]
            check_appoint(actor, str(input.person_id), input.name, input.role, ministry, in_force)
        except Rejection as rejection:
            return Rejected.of(rejection, context)
        doc = await context.store.register.appoint(
            str(input.person_id).strip(), input.name.strip(), input.role, ministry, now,
            actor.person_id,
        )
        return Officer.of(doc)

    @strawberry.mutation(description="the secretariat ends the appointment in a seat, which "
                         "stays empty until someone is appointed to it")
    async def end_appointment(self, info: Info, input: EndAppointmentInput) -> OfficerResult:
        context = info.context
        now = datetime.now(timezone.utc)
        ministry = str(input.ministry) if input.ministry is not None else None
        try:
            actor = await context.acting()
            in_force = [m["_id"] for m in await context.store.register.ministries_in_force(now)]
            check_seat(actor, input.role, ministry, in_force)
            ended = await context.store.register.end_appointment(
                input.role, ministry, now, actor.person_id)
            if ended is None:
                raise Rejection(RejectionCode.NOT_FOUND, "nobody holds this seat")
        except Rejection as rejection:
            return Rejected.of(rejection, context)
        return Officer.of(ended)
