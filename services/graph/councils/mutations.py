from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import strawberry

from services.councils.definitions import InvalidDefinition, read
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
            await context.store.define_council(actor, definition,
                                               context.settings.default_council,
                                               datetime.now(timezone.utc))
        except InvalidDefinition as invalid:
            return Rejected.of(Rejection(RejectionCode.INVALID_INPUT, str(invalid)), context)
        except Rejection as rejection:
            return Rejected.of(rejection, context)
        return Council.of(definition)
