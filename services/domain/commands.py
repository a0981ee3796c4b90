"""What an actor asks of an issue's cycle: one dataclass per workflow start, update and
activity, so their shape can grow without breaking running workflows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.domain.types import (
    Actor,
    AdviceStance,
    CycleState,
    DecisionOutcome,
    IssueEvent,
    Phase,
    Procedure,
    Role,
    Scope,
    VoteChoice,
)


@dataclass
class RaiseIssueInput:
    issue_id: str
    actor: Actor
    title: str
    proposal: str
    scope: Scope
    ministry: str | None
    touches_personal_data: bool
    procedure: Procedure
    topics: list[str] = field(default_factory=list)
    binding_framework: bool = False
    # Keep Temporal search attributes current (they must be registered on the namespace).
    search_attributes: bool = True
    # Continue as new past this many history events; `resumed` carries the cycle over.
    history_limit: int = 2_000
    resumed: CycleState | None = None


@dataclass
class SubmitAdviceInput:
    actor: Actor
    stance: AdviceStance
    text: str
    role: Role | None = None


@dataclass
class ContributeInput:
    actor: Actor
    text: str


@dataclass
class AmendProposalInput:
    actor: Actor
    proposal: str


@dataclass
class CastVoteInput:
    actor: Actor
    choice: VoteChoice
    reason: str | None = None


@dataclass
class ClosePhaseInput:
    actor: Actor
    # The phase the caller means to close: when the issue has left it, nothing happens.
    phase: Phase | None = None


@dataclass
class DecideInput:
    actor: Actor
    outcome: DecisionOutcome
    motivation: str


@dataclass
class ReclassifyInput:
    actor: Actor
    scope: Scope
    reason: str
    # Needed when a government-wide issue the CIO Rijk raised becomes departmental.
    ministry: str | None = None


@dataclass
class WithdrawInput:
    actor: Actor
    reason: str


@dataclass
class UpdateResult:
    """What every update answers: the issue's last seq once its events are stored, and the
    issue as the change left it (so the API answers without reading it back)."""

    seq: int
    state: CycleState | None = None


@dataclass
class LoadRegisterInput:
    at: datetime


@dataclass
class RecordEventsInput:
    events: list[IssueEvent]
    state: CycleState
