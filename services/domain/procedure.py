"""The procedure's windows and quorum: defaults from settings, per issue overridable by the
CIO Rijk only, always within the configured bounds."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.domain.errors import RejectionCode, reject
from services.domain.types import Actor, Procedure, Role

WINDOW_FIELDS = (
    "advice_window_seconds",
    "deliberation_window_seconds",
    "vote_window_seconds",
    "mandate_window_seconds",
    "adoption_window_seconds",
)


@dataclass
class WindowBounds:
    min_seconds: int
    max_seconds: int


@dataclass
class ProcedureOverrides:
    advice_window_seconds: int | None = None
    deliberation_window_seconds: int | None = None
    vote_window_seconds: int | None = None
    mandate_window_seconds: int | None = None
    quorum: float | None = None
    adoption_window_seconds: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in (*WINDOW_FIELDS, "quorum"))


def resolve_procedure(
    defaults: Procedure,
    overrides: ProcedureOverrides | None,
    actor: Actor,
    bounds: WindowBounds,
) -> Procedure:
    if overrides is None or overrides.is_empty():
        return defaults
    if not actor.holds(Role.CIO_RIJK):
        raise reject(RejectionCode.FORBIDDEN, "only the CIO Rijk may set an issue's procedure")
    changes: dict[str, int | float] = {}
    for name in WINDOW_FIELDS:
        value = getattr(overrides, name)
        if value is None:
            continue
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
