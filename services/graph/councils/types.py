"""Councils as GraphQL sees them: a definition's version, its roles and units, and the
procedure an issue raised now would follow."""

from __future__ import annotations

from datetime import datetime, timezone

import strawberry

from services.domain.councils import CouncilRules
from services.domain.procedure import CouncilDefinition
from services.graph.context import Info
from services.graph.enums import RoleKind, Scope
from services.graph.procedure import Procedure, procedure_of
from services.graph.register.types import Ministry, Officer
from services.store.views import CouncilVersionView, MinistryView


@strawberry.type(description="a role of a council's definition")
class CouncilRole:
    code: str
    kind: RoleKind
    name: str = strawberry.field(description="in Dutch")
    name_en: str = strawberry.field(description="in English")
    per_unit: bool = strawberry.field(description="one seat per unit (else one for the council)")
    privacy: bool = strawberry.field(description="gives the privacy advice")


@strawberry.type(description="what a council calls a scope (\"gemeentebreed\")")
class ScopeLabel:
    scope: Scope
    name: str = strawberry.field(description="in Dutch")
    name_en: str = strawberry.field(description="in English")


@strawberry.type(description="a published version of a council's definition")
class CouncilVersion:
    version: str
    hash: str = strawberry.field(description="SHA-256 of the definition's content")
    in_force_from: datetime
    source: str = strawberry.field(description="how it came: \"preset\", \"published by "
                                   "<person>\" or \"decision <issue id>\"")

    @classmethod
    def of(cls, view: CouncilVersionView) -> CouncilVersion:
        return cls(version=view.version, hash=view.hash, in_force_from=view.in_force_from,
                   source=view.source)


@strawberry.type(description="a council: who sits in it and how it decides, as data "
                 "(docs/COUNCILS.md)")
class Council:
    id: strawberry.ID
    version: str
    hash: str
    definition: str = strawberry.field(description="the definition as published (YAML or JSON)")
    value: strawberry.Private[CouncilDefinition]

    @classmethod
    def of(cls, definition: CouncilDefinition) -> Council:
        return cls(id=strawberry.ID(definition.id), version=definition.version,
                   hash=definition.rules.hash, definition=definition.text, value=definition)

    @strawberry.field(description="in Dutch")
    def name(self) -> str:
        return self.value.rules.name.nl

    @strawberry.field(description="in English")
    def name_en(self) -> str:
        return self.value.rules.name.en

    @strawberry.field(description="what a unit is called here (ministerie, directie)")
    def unit_term(self) -> str:
        return self.value.rules.unit_term.nl

    @strawberry.field(description="what a unit is called here, in English")
    def unit_term_en(self) -> str:
        return self.value.rules.unit_term.en

    @strawberry.field(description="the deployment's default council: issues raised without "
                      "naming one go to it")
    def default(self, info: Info) -> bool:
        return self.value.id == info.context.settings.default_council

    @strawberry.field(description="the names of the scopes in this council")
    def scopes(self) -> list[ScopeLabel]:
        labels = self.value.rules.scopes
        return [ScopeLabel(scope=Scope(code), name=label.nl, name_en=label.en)
                for code, label in labels.items()]

    @strawberry.field
    def roles(self) -> list[CouncilRole]:
        return [CouncilRole(code=r.code, kind=r.kind, name=r.name.nl, name_en=r.name.en,
                            per_unit=r.per_unit, privacy=r.privacy)
                for r in self.value.rules.roles]

    @strawberry.field(description="the units that sit in it now: the register's ministries "
                      "in force, or the council's own")
    async def units(self, info: Info) -> list[Ministry]:
        if self.value.units is None:
            views = await info.context.store.register.ministries_in_force(_now())
            return [Ministry.of(v) for v in views]
        return [Ministry.of(MinistryView(u.code, u.name.nl)) for u in self.value.units]

    @strawberry.field(description="who holds its seats now")
    async def officers(self, info: Info) -> list[Officer]:
        views = await info.context.store.register.officers(council=self.value.id)
        return [Officer.of(v) for v in views]

    @strawberry.field(description="the procedure an issue raised now follows")
    def procedure(self, info: Info) -> Procedure:
        return procedure_of(info.context.settings.procedure(self.value))

    @strawberry.field(description="every version, oldest first")
    async def versions(self, info: Info) -> list[CouncilVersion]:
        views = await info.context.store.councils.all_versions(self.value.id)
        return [CouncilVersion.of(v) for v in views]


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def rules_of(info: Info, council: str | None, version: str | None) -> CouncilRules:
    """The rules an issue pinned (services.store.councils.of_issue)."""
    return (await info.context.store.councils.of_issue(council, version)).rules
