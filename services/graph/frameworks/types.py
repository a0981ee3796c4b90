"""Binding frameworks and their adoptions as GraphQL types. All public: comply or explain
is reported to parliament."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from services.domain.frameworks import Adoption as AdoptionState
from services.domain.frameworks import compliance
from services.domain.types import Role
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
from services.store.documents import from_plain

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

    @classmethod
    def of(cls, doc: dict) -> Adoption:
        return cls(status=AdoptionStatus(doc["status"]), explanation=doc.get("explanation"),
                   reported_at=doc.get("reported_at"), overdue=doc["overdue"],
                   ministry_code=doc["ministry"], reported_by_id=doc.get("reported_by"))

    @strawberry.field
    async def ministry(self, info: Info) -> Ministry:
        ministry = await load_ministry(info, self.ministry_code)
        assert ministry is not None, f"unknown ministry {self.ministry_code}"
        return ministry

    @strawberry.field(
        description="without an appointment the seat that reported (\"CIO van BZK\"), not "
        "the person",
        extensions=[Internal(public=lambda a: seat_person(
            (Role.CIO, a.ministry_code) if a.reported_by_id else None))])
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
    doc: strawberry.Private[dict]

    @classmethod
    def of(cls, doc: dict) -> Framework:
        return cls(id=strawberry.ID(doc["_id"]), title=doc["title"], text=doc["text"],
                   version=doc["version"], decided_at=doc["decided_at"],
                   adopt_by=doc["adopt_by"], withdrawn=doc["withdrawn"], doc=doc)

    @strawberry.field
    async def issue(self, info: Info
                    ) -> Annotated[Issue, strawberry.lazy("services.graph.issues.types")]:
        from services.graph.issues.types import Issue

        doc = await info.context.loaders.issue.load(self.doc["issue_id"])
        return Issue.of(doc)

    @strawberry.field
    def adoptions(self) -> list[Adoption]:
        return [Adoption.of(a) for a in self.doc["adoptions"]]

    @strawberry.field(description="share of ministries that implemented it or explained an "
                                  "exception, 0..1")
    def compliance(self) -> float:
        return compliance([from_plain(AdoptionState, a) for a in self.doc["adoptions"]])


@strawberry.type
class FrameworkEvent:
    framework_id: strawberry.ID
    seq: int
    kind: str
    at: datetime
    summary: str
    ministry_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, doc: dict) -> FrameworkEvent:
        return cls(framework_id=strawberry.ID(doc["framework_id"]), seq=doc["seq"],
                   kind=doc["kind"], at=doc["at"], summary=doc["summary"],
                   ministry_code=doc.get("ministry"))

    @strawberry.field
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.ministry_code)

    @strawberry.field
    async def framework(self, info: Info) -> Framework:
        doc = await info.context.loaders.framework.load(str(self.framework_id))
        return Framework.of(doc)


@strawberry.type
class ComplianceCell:
    framework: Framework
    status: AdoptionStatus | None = strawberry.field(
        description="null when the ministry has no adoption of this framework")
    overdue: bool


@strawberry.type
class ComplianceRow:
    ministry: Ministry
    cells: list[ComplianceCell]


@strawberry.type
class ComplianceMatrix:
    frameworks: list[Framework]
    rows: list[ComplianceRow]
