from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import strawberry

from services.councils.definitions import InvalidDefinition, read
from services.domain.appointments import check_define
from services.domain.errors import Rejection, RejectionCode
from services.graph.context import Info
from services.graph.councils.types import Council
from services.graph.errors import Rejected

CouncilResult = Annotated[Council | Rejected, strawberry.union("CouncilResult")]


@strawberry.input
class DefineCouncilInput:
    definition: str = strawberry.field(description="YAML or JSON in the format of "
                                       "schema/council.schema.json")


@strawberry.type
class CouncilMutation:
    @strawberry.mutation(description="the secretariat publishes a council's definition: a new "
                         "version is in force from now, for issues raised from now on")
    async def define_council(self, info: Info, input: DefineCouncilInput) -> CouncilResult:
        context = info.context
        try:
            actor = await context.acting()
            definition = read(input.definition)
            now = datetime.now(timezone.utc)
            councils = context.store.councils
            current = await councils.in_force(definition.id, now)
            default = await councils.in_force(context.settings.default_council, now)
            assert default is not None, "the default council is published at start"
            role = check_define(actor, current and current.rules, default.rules)
            taken = await context.store.register.unit_codes_elsewhere(
                definition.id, [u.code for u in definition.units or []])
            if taken:
                raise Rejection(RejectionCode.INVALID_INPUT,
                                f"units: {', '.join(taken)} already name another unit")
            await context.store.publish_council(definition, now, f"published by {actor.name}",
                                                by=(actor.person_id, role))
        except InvalidDefinition as invalid:
            return Rejected.of(Rejection(RejectionCode.INVALID_INPUT, str(invalid)), context)
        except Rejection as rejection:
            return Rejected.of(rejection, context)
        return Council.of(definition)
