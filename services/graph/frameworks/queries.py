from __future__ import annotations

from datetime import datetime, timezone

import strawberry

from services.graph.context import Info
from services.graph.frameworks.types import (
    ComplianceCell,
    ComplianceMatrix,
    ComplianceRow,
    Framework,
)
from services.graph.register.types import Ministry


@strawberry.type
class FrameworkQuery:
    @strawberry.field
    async def frameworks(self, info: Info, include_withdrawn: bool | None = False
                         ) -> list[Framework]:
        views = await info.context.store.frameworks.all(bool(include_withdrawn))
        return [Framework.of(v) for v in views]

    @strawberry.field
    async def framework(self, info: Info, id: strawberry.ID) -> Framework | None:
        view = await info.context.loaders.framework.load(str(id))
        return Framework.of(view) if view else None

    @strawberry.field(description="every ministry in force × every framework in force: the "
                                  "adoption's status and whether it is overdue")
    async def compliance_matrix(self, info: Info) -> ComplianceMatrix:
        store = info.context.store
        frameworks = [Framework.of(d) for d in await store.frameworks.all()]
        ministries = await store.register.ministries_in_force(datetime.now(timezone.utc))
        rows = []
        for ministry in ministries:
            cells = []
            for framework in frameworks:
                adoption = next((a for a in framework.view.adoptions
                                 if a.ministry == ministry.code), None)
                cells.append(ComplianceCell(
                    framework=framework,
                    status=adoption.status if adoption else None,
                    overdue=bool(adoption and adoption.overdue),
                    explanation=adoption.explanation if adoption else None))
            rows.append(ComplianceRow(ministry=Ministry.of(ministry), cells=cells))
        return ComplianceMatrix(frameworks=frameworks, rows=rows)
