"""Binding frameworks and their adoptions as GraphQL types. All public: comply or explain
is reported to parliament."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from services.councils.definitions import LEGACY_COUNCIL, preset
from services.domain.councils import CouncilRules
from services.domain.frameworks import Adoption as AdoptionState
from services.domain.frameworks import compliance
from services.graph.context import Info
from services.graph.enums import AdoptionStatus
from services.graph.register.types import (
    Ministry,
    Person,
    load_ministry,
    load_person,
    seat_person,
)
from services.graph.visibility import Internal
from services.store.views import FrameworkEventView, FrameworkView

if TYPE_CHECKING:
    from services.graph.issues.types import Issue


@strawberry.type
class Adoption:
    status: AdoptionStatus
    explanation: str | None
    reported_at: datetime | None
    overdue: bool
    ministry_code: strawberry.Private[str]
    reported_by_id: strawberry.Private[str | None]
    council: strawberry.Private[CouncilRules]

    @classmethod
    def of(cls, adoption: AdoptionState, council: CouncilRules | None = None) -> Adoption:
        return cls(status=adoption.status, explanation=adoption.explanation,
                   reported_at=adoption.reported_at, overdue=adoption.overdue,
                   ministry_code=adoption.ministry, reported_by_id=adoption.reported_by,
                   council=council or preset(LEGACY_COUNCIL).rules)

    @strawberry.field
    async def ministry(self, info: Info) -> Ministry:
        ministry = await load_ministry(info, self.ministry_code)
        assert ministry is not None, f"unknown ministry {self.ministry_code}"
        return ministry

    @strawberry.field(
        description="without an appointment the seat that reported (\"CIO van BZK\"), not "
        "the person",
        extensions=[Internal(public=lambda a, info: seat_person(a.council, (
            (a.council.member.code, a.ministry_code) if a.reported_by_id else None)))])
    async def reported_by(self, info: Info) -> Person | None:
        return await load_person(info, self.reported_by_id)


@strawberry.type
class Framework:
    id: strawberry.ID
    title: str
    text: str
    version: int
    decided_at: datetime
    adopt_by: datetime
    withdrawn: bool
    view: strawberry.Private[FrameworkView]

    @classmethod
    def of(cls, view: FrameworkView) -> Framework:
        return cls(id=strawberry.ID(view.id), title=view.title, text=view.text,
                   version=view.version, decided_at=view.decided_at, adopt_by=view.adopt_by,
                   withdrawn=view.withdrawn, view=view)

    @strawberry.field
    async def issue(self, info: Info
                    ) -> Annotated[Issue, strawberry.lazy("services.graph.issues.types")]:
        from services.graph.issues.types import Issue

        view = await info.context.loaders.issue.load(self.view.issue_id)
        return Issue.of(view)

    @strawberry.field
    def adoptions(self) -> list[Adoption]:
        return [Adoption.of(a, self.view.council) for a in self.view.adoptions]

    @strawberry.field(description="share of ministries that implemented it or explained an "
                                  "exception, 0..1")
    def compliance(self) -> float:
        return compliance(self.view.adoptions)


@strawberry.type
class FrameworkEvent:
    framework_id: strawberry.ID
    seq: int
    kind: str
    at: datetime
    summary: str
    ministry_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, view: FrameworkEventView) -> FrameworkEvent:
        return cls(framework_id=strawberry.ID(view.framework_id), seq=view.seq,
                   kind=view.kind.value, at=view.at, summary=view.summary,
                   ministry_code=view.ministry)

    @strawberry.field
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.ministry_code)

    @strawberry.field
    async def framework(self, info: Info) -> Framework:
        view = await info.context.loaders.framework.load(str(self.framework_id))
        return Framework.of(view)


@strawberry.type
class ComplianceCell:
    framework: Framework
    status: AdoptionStatus | None = strawberry.field(
        description="null when the ministry has no adoption of this framework")
    overdue: bool
    explanation: str | None = strawberry.field(
        default=None, description="an exception's explanation (comply or explain): public")


@strawberry.type
class ComplianceRow:
    ministry: Ministry
    cells: list[ComplianceCell]


@strawberry.type
class ComplianceMatrix:
    frameworks: list[Framework]
    rows: list[ComplianceRow]
