"""The procedure's windows and quorum: defaults from the council's definition, per issue
overridable by the council's chair only, always within the definition's bounds."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field, fields, make_dataclass, replace

from services.domain.councils import CouncilRules, Label, Unit, WindowBounds
from services.domain.errors import RejectionCode, reject
from services.domain.types import Actor, Procedure

# What the chair may set per issue: the windows (within bounds) and the quorum.
PER_ISSUE = tuple(f.name for f in fields(Procedure) if f.metadata["per_issue"])
WINDOW_FIELDS = tuple(name for name in PER_ISSUE if name.endswith("_window_seconds"))
# Windows a council may leave out: 0 means the phase is skipped.
OPTIONAL_PHASES = ("advice_window_seconds", "deliberation_window_seconds")


def _is_empty(self) -> bool:
    return all(getattr(self, name) is None for name in PER_ISSUE)


# The per-issue fields of Procedure, each optional: made from Procedure, never declared twice.
_HINTS = typing.get_type_hints(Procedure)
ProcedureOverrides = make_dataclass(
    "ProcedureOverrides",
    [(name, _HINTS[name] | None, field(default=None)) for name in PER_ISSUE],
    namespace={"is_empty": _is_empty, "__module__": __name__},
)


def resolve_procedure(
    defaults: Procedure,
    overrides: ProcedureOverrides | None,
    actor: Actor,
    bounds: WindowBounds,
    council: CouncilRules,
) -> Procedure:
    if overrides is None or overrides.is_empty():
        return defaults
    chair = council.chair
    if not actor.holds(chair.code, council=council.id):
        raise reject(RejectionCode.FORBIDDEN,
                     f"only the {chair.name.nl} may set an issue's procedure")
    changes: dict[str, int | float] = {}
    for name in WINDOW_FIELDS:
        value = getattr(overrides, name)
        if value is None:
            continue
        if name in OPTIONAL_PHASES and not getattr(defaults, name):
            raise reject(RejectionCode.INVALID_INPUT,
                         f"{_camel(name)}: this council skips that phase")
        if not bounds.min_seconds <= value <= bounds.max_seconds:
            raise reject(
                RejectionCode.INVALID_INPUT,
                f"{_camel(name)} must lie between {bounds.min_seconds} and "
                f"{bounds.max_seconds} seconds",
            )
        changes[name] = value
    if overrides.quorum is not None:
        if not 0 < overrides.quorum <= 1:
            raise reject(RejectionCode.INVALID_INPUT, "quorum must satisfy 0 < quorum <= 1")
        changes["quorum"] = overrides.quorum
    return replace(defaults, **changes)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@dataclass
class CouncilDefinition:
    """A whole definition, as validated: the rules an issue pins, the procedure's defaults,
    where the units come from and the text it was read from."""

    rules: CouncilRules
    procedure: Procedure
    bounds: WindowBounds
    # None: the register's ministries in force (dated); else the units listed inline.
    units: list[Unit] | None
    # Whether an ADOPTED issue may be marked a binding framework.
    frameworks: bool
    basis: Label | None
    text: str

    @property
    def id(self) -> str:
        return self.rules.id

    @property
    def version(self) -> str:
        return self.rules.version
