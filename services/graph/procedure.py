"""The procedure as GraphQL sees it, made from the domain's Procedure: its type (every
field) and its input (what the CIO Rijk may set per issue, each optional)."""

from __future__ import annotations

import dataclasses
import typing

import strawberry

from services.domain.procedure import PER_ISSUE
from services.domain.types import Procedure as DomainProcedure

_HINTS = typing.get_type_hints(DomainProcedure)
_FIELDS = dataclasses.fields(DomainProcedure)


def _described(f: dataclasses.Field, **default: object) -> object:
    return strawberry.field(description=f.metadata["doc"] or None, **default)


Procedure = strawberry.type(type("Procedure", (), {
    "__annotations__": {f.name: _HINTS[f.name] for f in _FIELDS},
    **{f.name: _described(f) for f in _FIELDS},
}))

ProcedureInput = strawberry.input(type("ProcedureInput", (), {
    "__annotations__": {f.name: _HINTS[f.name] | None for f in _FIELDS if f.name in PER_ISSUE},
    **{f.name: _described(f, default=None) for f in _FIELDS if f.name in PER_ISSUE},
}))


def procedure_of(procedure: DomainProcedure) -> Procedure:  # type: ignore[valid-type]
    return Procedure(**{f.name: getattr(procedure, f.name) for f in _FIELDS})
