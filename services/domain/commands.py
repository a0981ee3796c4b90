"""What an actor asks of an issue's cycle: one dataclass per workflow start, update and
activity, so their shape can grow without breaking running workflows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.domain.councils import CouncilRules
from services.domain.record import IssueChange
from services.domain.types import (
    Actor,
    AdviceStance,
    CycleState,
    DecisionOutcome,
    IssueEvent,
    IssueKind,
    Phase,
    Procedure,
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
    # The council's rules pinned for this issue; None: the default council's (see workflow).
    council: CouncilRules | None = None
    kind: IssueKind = IssueKind.DECISION
    definition: str | None = None


@dataclass
class SubmitAdviceInput:
    actor: Actor
    stance: AdviceStance
    text: str
    role: str | None = None


@dataclass
class RecuseInput:
    actor: Actor
    reason: str
    # Which of the actor's seats on this issue, when they hold more than one.
    role: str | None = None


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
    # The ministries in force as the API read them, so the update's validator refuses one
    # that is not before the update reaches history (the handler checks again, fresh).
    in_force: list[str] | None = None


@dataclass
class WithdrawInput:
    actor: Actor
    reason: str


@dataclass
class UpdateResult:
    """What every update answers once its events are stored: the seq they reached and, for
    an issue, its phase after them. Never the whole state: an update's answer is kept in
    Temporal's history, and the issue would be copied there on every change."""

    seq: int
    phase: Phase | None = None


@dataclass
class LoadRegisterInput:
    at: datetime
    # The council whose units and seats are read, in the version the issue pinned.
    council: str | None = None
    version: str | None = None


@dataclass
class PublishProcedureInput:
    """An adopted procedure change: the council's new version, in force from the decision."""

    definition: str
    in_force_from: datetime
    source: str
    # Who it is told of on the register's timeline: the issue's raiser, and their seat.
    person_id: str
    role: str


@dataclass
class RecordEventsInput:
    """New events and what they changed: the whole record when the issue is raised (or the
    stored one must be repaired), else only the change."""

    events: list[IssueEvent]
    state: CycleState | None = None
    change: IssueChange | None = None


@dataclass
class RecordOutcome:
    # The stored record is not the one the change starts from: send it whole.
    stale: bool = False
