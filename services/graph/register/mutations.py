from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated

import strawberry

from services.domain.appointments import (
    ChangeKind,
    RegisterEventKind,
    check_appoint,
    check_name_deputy,
    check_seat,
    in_force,
)
from services.domain.errors import Rejection, RejectionCode
from services.domain.idempotency import request_of
from services.domain.types import Actor
from services.domain.units import (
    check_end,
    check_keeper,
    check_new_unit,
    check_oin,
    check_rename,
    effective,
    legal_basis,
)
from services.graph.context import Info
from services.graph.errors import Rejected
from services.graph.idempotency import idempotency_key
from services.graph.register import service
from services.graph.register.types import Ministry, Officer
from services.store.views import OfficerView

BASIS_HELP = "the legal basis of the change (a decree, a decision), on the register's timeline"
VALID_FROM_HELP = ("when it takes effect: now (the default) or later, never earlier; a later "
                   "date is applied at that moment")

OfficerResult = Annotated[Officer | Rejected, strawberry.union("OfficerResult")]
MinistryResult = Annotated[Ministry | Rejected, strawberry.union("MinistryResult")]


@strawberry.input
class AppointInput:
    person_id: strawberry.ID
    name: str
    role: str = strawberry.field(description="a role code of the council's definition")
    ministry: strawberry.ID | None = strawberry.field(
        default=None, description="the unit of a seat per unit")
    council: strawberry.ID | None = strawberry.field(
        default=None, description="default: the deployment's default council")
    valid_from: datetime | None = strawberry.field(default=None, description=VALID_FROM_HELP)
    legal_basis: str | None = strawberry.field(default=None, description=BASIS_HELP)
    idempotency_key: str | None = idempotency_key()


@strawberry.input
class EndAppointmentInput:
    role: str
    ministry: strawberry.ID | None = strawberry.field(
        default=None, description="the unit of a seat per unit (a CIO, CPO, CDO or CTO seat)")
    council: strawberry.ID | None = strawberry.field(
        default=None, description="default: the deployment's default council")
    valid_from: datetime | None = strawberry.field(default=None, description=VALID_FROM_HELP)
    legal_basis: str | None = strawberry.field(default=None, description=BASIS_HELP)
    idempotency_key: str | None = idempotency_key()


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
    legal_basis: str | None = strawberry.field(default=None, description=BASIS_HELP)
    idempotency_key: str | None = idempotency_key()


@strawberry.input(description="a new unit of the register: a ministry, or another "
                  "organisation at the table (a voting member or an observer)")
class CreateUnitInput:
    code: strawberry.ID = strawberry.field(description="the register's key; never changes")
    name: str
    abbreviation: str
    legal_basis: str = strawberry.field(description=BASIS_HELP)
    tooi: str | None = strawberry.field(
        default=None, description="its TOOI URI (…/tooi/id/ministerie/mnre… or "
        "…/tooi/id/oorg/oorg…)")
    observer: bool = strawberry.field(
        default=False, description="at the table without a vote (contributes, is advised)")
    valid_from: datetime | None = strawberry.field(default=None, description=VALID_FROM_HELP)


@strawberry.input(description="a new name for a unit: the same unit, identity and seats")
class RenameUnitInput:
    code: strawberry.ID
    name: str
    abbreviation: str
    legal_basis: str = strawberry.field(description=BASIS_HELP)
    valid_from: datetime | None = strawberry.field(default=None, description=VALID_FROM_HELP)


@strawberry.input(description="a unit ends (absorbed, merged, dissolved); open adoptions of "
                  "binding frameworks pass to its successor")
class EndUnitInput:
    code: strawberry.ID
    legal_basis: str = strawberry.field(description=BASIS_HELP)
    successor: strawberry.ID | None = strawberry.field(
        default=None, description="the unit that takes over its work")
    valid_from: datetime | None = strawberry.field(
        default=None, description="the first moment it no longer exists; " + VALID_FROM_HELP)


@strawberry.input(description="a unit's organisation number (OIN)")
class RecordUnitOinInput:
    code: strawberry.ID
    oin: str = strawberry.field(description="20 digits")
    legal_basis: str = strawberry.field(description=BASIS_HELP)


@strawberry.type
class RegisterMutation:
    @strawberry.mutation(description="the secretariat fills a seat; whoever held it leaves it")
    async def appoint(self, info: Info, input: AppointInput) -> OfficerResult:
        async def fill(actor, council, default, ministry: str | None, in_force: list[str],
                       now, request: str | None) -> OfficerView:
            register = info.context.store.register
            at = effective(input.valid_from, now)
            basis = legal_basis(input.legal_basis, required=False)
            units = in_force if at == now else await register.units_in_force(council, at)
            check_appoint(actor, council.rules, str(input.person_id), input.name, input.role,
                          ministry, units, default.rules)
            person_id, name = str(input.person_id).strip(), input.name.strip()
            if at == now:
                return await register.appoint(person_id, name, input.role, ministry, now,
                                              actor.person_id, council.id, basis, request)
            scheduled = await service.schedule(
                info.context, ChangeKind.APPOINT, at, actor.person_id, basis,
                {"person_id": person_id, "name": name, "role": input.role,
                 "ministry": ministry, "council": council.id},
                RegisterEventKind.APPOINTMENT_SCHEDULED, request,
                lambda change: OfficerView(change, person_id, input.role, ministry,
                                           council.id, active=False, appointed_at=at,
                                           valid_from=at))
            assert scheduled is not None, "an answer was asked for"
            return scheduled

        return await _change_seat(info, input.council, input.ministry, fill,
                                  input.idempotency_key)

    @strawberry.mutation(description="the secretariat ends the appointment in a seat, which "
                         "stays empty until someone is appointed to it")
    async def end_appointment(self, info: Info, input: EndAppointmentInput) -> OfficerResult:
        async def empty(actor, council, default, ministry: str | None, in_force: list[str],
                        now, request: str | None) -> OfficerView:
            register = info.context.store.register
            at = effective(input.valid_from, now)
            basis = legal_basis(input.legal_basis, required=False)
            check_seat(actor, council.rules, input.role, ministry, in_force, default.rules)
            if at > now:
                holders = await register.officers(input.role, council.id, ministry=ministry)
                holder = next((o for o in holders if o.ministry == ministry), None)
                if holder is None:
                    raise Rejection(RejectionCode.NOT_FOUND, "nobody holds this seat")
                holder.ended_at = at
                scheduled = await service.schedule(
                    info.context, ChangeKind.END_APPOINTMENT, at, actor.person_id, basis,
                    {"person_id": holder.person_id, "role": input.role, "ministry": ministry,
                     "council": council.id}, RegisterEventKind.APPOINTMENT_END_SCHEDULED,
                    request, lambda _change: holder)
                assert scheduled is not None, "an answer was asked for"
                return scheduled
            ended = await register.end_appointment(input.role, ministry, now, actor.person_id,
                                                   council.id, basis, request)
            if ended is None:
                raise Rejection(RejectionCode.NOT_FOUND, "nobody holds this seat")
            return ended

        return await _change_seat(info, input.council, input.ministry, empty,
                                  input.idempotency_key)

    @strawberry.mutation(description="the seat's holder or the secretariat names a deputy for "
                         "the period; a deputy named before for the seat is replaced")
    async def appoint_deputy(self, info: Info, input: AppointDeputyInput) -> OfficerResult:
        async def name(actor, council, default, ministry: str | None, in_force: list[str],
                       now, request: str | None) -> OfficerView:
            register = info.context.store.register
            person_id = str(input.person_id).strip()
            deputy = await register.actor(person_id) or Actor(person_id, input.name)
            valid_from = effective(input.valid_from, now)
            basis = legal_basis(input.legal_basis, required=False)
            check_name_deputy(actor, council.rules, input.role, ministry, in_force,
                              default.rules, await register.holder(council.id, input.role,
                                                                   ministry),
                              deputy, input.name, valid_from, input.valid_to, now)
            named, made = await register.name_deputy(
                person_id, input.name.strip(), council.id, input.role, ministry, valid_from,
                input.valid_to, now, actor.person_id, basis, request)
            if not made:  # a resend that raced the first try, which schedules the ends
                return named
            seat = {"person_id": person_id, "role": input.role, "ministry": ministry,
                    "council": council.id}
            # The period's ends change what the deputy may do: every replica hears them.
            await service.takes_effect(info.context, valid_from, now, actor.person_id, basis,
                                       "plaatsvervanging gaat in", **seat)
            await service.takes_effect(info.context, input.valid_to, now, actor.person_id,
                                       basis, "plaatsvervanging eindigt", **seat)
            return named

        return await _change_seat(info, input.council, input.ministry, name,
                                  input.idempotency_key)


    @strawberry.mutation(description="the secretariat adds a unit to the register")
    async def create_unit(self, info: Info, input: CreateUnitInput) -> MinistryResult:
        async def create(actor, now) -> Ministry:
            units = info.context.store.units
            at = effective(input.valid_from, now)
            basis = legal_basis(input.legal_basis, required=True)
            code = str(input.code).strip()
            tooi = input.tooi.strip() if input.tooi else None
            check_new_unit(code, input.name, input.abbreviation, tooi, *await units.identities())
            name, abbreviation = input.name.strip(), input.abbreviation.strip()
            made = await units.create(code, name, abbreviation, tooi, input.observer, at,
                                      actor.person_id, basis)
            await service.takes_effect(info.context, at, now, actor.person_id, basis,
                                       f"{name} ({abbreviation}) bestaat", ministry=code)
            return Ministry.of(made, at)

        return await _change_unit(info, create)

    @strawberry.mutation(description="the secretariat renames a unit: it keeps its code, "
                         "TOOI identity, seats, issues and framework adoptions")
    async def rename_unit(self, info: Info, input: RenameUnitInput) -> MinistryResult:
        async def rename(actor, now) -> Ministry:
            at = effective(input.valid_from, now)
            basis = legal_basis(input.legal_basis, required=True)
            code = str(input.code)
            name, abbreviation = input.name.strip(), input.abbreviation.strip()

            def check(unit) -> None:
                last = unit.names[-1] if unit.names else None
                check_rename(code, _in_force(unit, at),
                             (last.name, last.abbreviation) if last else (unit.name, code),
                             last.valid_from if last else (unit.valid_from or at),
                             input.name, input.abbreviation, at)

            renamed = await info.context.store.units.rename(
                code, name, abbreviation, at, actor.person_id, basis, check)
            await service.takes_effect(info.context, at, now, actor.person_id, basis,
                                       f"{code} heet voortaan {name}", ministry=code)
            return Ministry.of(renamed, at)

        return await _change_unit(info, rename)

    @strawberry.mutation(description="the secretariat ends a unit, naming its successor")
    async def end_unit(self, info: Info, input: EndUnitInput) -> MinistryResult:
        async def end(actor, now) -> Ministry:
            at = effective(input.valid_from, now)
            basis = legal_basis(input.legal_basis, required=True)
            code = str(input.code)
            successor = str(input.successor) if input.successor is not None else None

            def check(unit, follower) -> None:
                if successor is not None and (follower is None or follower.council_unit):
                    raise Rejection(RejectionCode.NOT_FOUND, f"no unit {successor}")
                check_end(code, _in_force(unit, at), successor,
                          follower is not None and _in_force(follower, at))

            ended = await info.context.store.units.end(code, successor, at, actor.person_id,
                                                       basis, check)
            await service.takes_effect(info.context, at, now, actor.person_id, basis,
                                       f"{code} bestaat niet meer", ministry=code)
            return Ministry.of(ended, at - timedelta(microseconds=1))

        return await _change_unit(info, end)


    @strawberry.mutation(description="the secretariat records a unit's organisation number "
                         "(docs/SECURITY.md, signing in for an organisation)")
    async def record_unit_oin(self, info: Info, input: RecordUnitOinInput) -> MinistryResult:
        async def record(actor, now) -> Ministry:
            basis = legal_basis(input.legal_basis, required=True)
            units, code, oin = info.context.store.units, str(input.code), input.oin.strip()
            taken = await units.oins()
            recorded = await units.record_oin(code, oin, actor.person_id, now, basis,
                                              lambda unit: check_oin(oin, code, taken))
            return Ministry.of(recorded, now)

        return await _change_unit(info, record)


def _in_force(unit, at: datetime) -> bool:
    return in_force(unit.valid_from, unit.valid_to, at)


async def _change_unit(info: Info, change) -> MinistryResult:
    """The caller as the register knows them now, kept to the default council's
    secretariat, then `change`; a refusal is answered as `Rejected`."""
    context = info.context
    now = datetime.now(timezone.utc)
    try:
        actor = await context.acting()
        default = await context.store.councils.in_force(context.settings.default_council, now)
        assert default is not None, "the default council is published at start"
        check_keeper(actor, default.rules)
        return await change(actor, now)
    except Rejection as rejection:
        return Rejected.of(rejection, context)


async def _change_seat(info: Info, council_id: strawberry.ID | None,
                       ministry: strawberry.ID | None, change, key: str | None = None
                       ) -> OfficerResult:
    """The caller as the register knows them now, the council and its units in force, then
    `change`; a refusal is answered as `Rejected`. With an idempotency `key`, a resend of a
    change made already is answered as its first try was, and changes nothing."""
    context = info.context
    now = datetime.now(timezone.utc)
    try:
        actor = await context.acting()
        request = request_of(actor.person_id, key)
        if request is not None and (earlier := await context.store.register.answered(request)):
            return Officer.of(earlier)
        councils = context.store.councils
        default = await councils.in_force(context.settings.default_council, now)
        assert default is not None, "the default council is published at start"
        council = (await councils.in_force(str(council_id), now) if council_id is not None
                   else default)
        if council is None:
            raise Rejection(RejectionCode.NOT_FOUND, f"no council {council_id}")
        in_force = await context.store.register.units_in_force(council, now)
        officer = await change(actor, council, default,
                               str(ministry) if ministry is not None else None, in_force, now,
                               request)
    except Rejection as rejection:
        return Rejected.of(rejection, context)
    return Officer.of(officer)
