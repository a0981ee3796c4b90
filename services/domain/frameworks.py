"""Binding frameworks (bindende kaders) and their adoption by every ministry: comply or
explain, with a durable deadline. Pure rules over FrameworkState, like the issue's Cycle."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from services.domain.councils import CouncilRules
from services.domain.dates import dutch
from services.domain.errors import RejectionCode, reject
from services.domain.text import require_text
from services.domain.types import Actor, Register

TEXT_MAX = 20_000


class AdoptionStatus(str, Enum):
    PENDING = "PENDING"
    PLANNED = "PLANNED"
    IMPLEMENTED = "IMPLEMENTED"
    EXCEPTION = "EXCEPTION"


# How a report reads in the timeline (Dutch first, as everything users read).
ADOPTION_WORDS = {
    AdoptionStatus.PENDING: "nog open",
    AdoptionStatus.PLANNED: "invoering gepland",
    AdoptionStatus.IMPLEMENTED: "ingevoerd",
    AdoptionStatus.EXCEPTION: "uitzondering (pas toe of leg uit)",
}


class FrameworkEventKind(str, Enum):
    FRAMEWORK_CREATED = "FRAMEWORK_CREATED"
    ADOPTION_REPORTED = "ADOPTION_REPORTED"
    ADOPTION_OVERDUE = "ADOPTION_OVERDUE"
    REMINDER_SENT = "REMINDER_SENT"
    ADOPTION_TRANSFERRED = "ADOPTION_TRANSFERRED"
    FRAMEWORK_REVISED = "FRAMEWORK_REVISED"
    FRAMEWORK_WITHDRAWN = "FRAMEWORK_WITHDRAWN"


@dataclass
class Adoption:
    ministry: str
    status: AdoptionStatus = AdoptionStatus.PENDING
    explanation: str | None = None
    reported_by: str | None = None
    reported_at: datetime | None = None
    overdue: bool = False

    @property
    def resolved(self) -> bool:
        """Comply (implemented) or explain (an exception with its explanation)."""
        return self.status == AdoptionStatus.IMPLEMENTED or (
            self.status == AdoptionStatus.EXCEPTION and bool(self.explanation)
        )


@dataclass
class FrameworkEvent:
    framework_id: str
    seq: int
    kind: FrameworkEventKind
    at: datetime
    actor_id: str | None
    ministry: str | None
    summary: str


@dataclass
class CreateFrameworkInput:
    framework_id: str
    issue_id: str
    title: str
    text: str
    decided_at: datetime
    adoption_window_seconds: int
    reminder_interval_seconds: int
    # Continue as new past this many history events; `resumed` carries the framework over.
    history_limit: int = 2_000
    resumed: FrameworkState | None = None
    # The rules of the council that decided it; None: the default council's (see workflow).
    council: CouncilRules | None = None


@dataclass
class ReportAdoptionInput:
    actor: Actor
    status: AdoptionStatus
    explanation: str | None = None


@dataclass
class ReviseFrameworkInput:
    actor: Actor
    text: str


@dataclass
class WithdrawFrameworkInput:
    actor: Actor
    reason: str


@dataclass
class FrameworkState:
    framework_id: str
    issue_id: str
    title: str
    text: str
    decided_at: datetime
    adopt_by: datetime
    adoption_window_seconds: int
    reminder_interval_seconds: int
    version: int = 1
    withdrawn: bool = False
    deadline_passed: bool = False
    next_check_at: datetime | None = None
    adoptions: list[Adoption] = field(default_factory=list)
    seq: int = 0
    epoch: int = 0
    council: CouncilRules | None = None


def settled(adoptions: list[Adoption]) -> bool:
    """Every ministry has complied or explained: nothing is left to remind anyone of."""
    return bool(adoptions) and all(a.resolved for a in adoptions)


def closed_reason(withdrawn: bool, adoptions: list[Adoption]) -> str:
    """Why a framework takes no more reports or revisions, once its workflow has ended."""
    if withdrawn:
        return "the framework has been withdrawn"
    if settled(adoptions):
        return ("every ministry has implemented the framework or explained an exception; "
                "a new version is a new decision")
    return "the framework's cycle has ended"


def compliance(adoptions: list[Adoption]) -> float:
    """Share of ministries that implemented the framework or explained an exception."""
    return sum(a.resolved for a in adoptions) / len(adoptions) if adoptions else 0.0


class FrameworkCycle:
    def __init__(self, state: FrameworkState) -> None:
        if state.council is None:
            raise ValueError(f"framework {state.framework_id} carries no council rules")
        self.state = state
        self.council = state.council

    @classmethod
    def created(cls, cmd: CreateFrameworkInput) -> FrameworkCycle:
        deadline = cmd.decided_at + timedelta(seconds=cmd.adoption_window_seconds)
        return cls(FrameworkState(
            cmd.framework_id, cmd.issue_id, cmd.title, cmd.text, cmd.decided_at, deadline,
            cmd.adoption_window_seconds, cmd.reminder_interval_seconds, council=cmd.council,
        ))

    def settled(self) -> bool:
        return settled(self.state.adoptions)

    def start(self, now: datetime, register: Register) -> list[FrameworkEvent]:
        s = self.state
        s.adoptions = [Adoption(m) for m in register.members]
        self._schedule(now)
        return [self._event(
            FrameworkEventKind.FRAMEWORK_CREATED, now, None, None,
            f"Bindend kader vastgesteld; {len(s.adoptions)} leden voeren het in "
            f"vóór {dutch(s.adopt_by)}")]

    # -- reports by each ministry's CIO ---------------------------------------------------

    def check_report(self, cmd: ReportAdoptionInput) -> Adoption:
        if self.state.withdrawn:
            raise reject(RejectionCode.WRONG_PHASE, "the framework has been withdrawn")
        member = self.council.member.code
        own = [a for a in self.state.adoptions
               if cmd.actor.holds(member, a.ministry, self.council.id)]
        if not own:
            raise reject(RejectionCode.FORBIDDEN,
                         f"only the {member} of a {self.council.unit_term.english} that adopts the "
                         "framework reports")
        adoption = own[0]
        if cmd.status == AdoptionStatus.PENDING:
            raise reject(RejectionCode.INVALID_INPUT, "report PLANNED, IMPLEMENTED or EXCEPTION")
        explanation = (cmd.explanation or "").strip() or None
        if cmd.status == AdoptionStatus.EXCEPTION and explanation is None:
            raise reject(RejectionCode.INVALID_INPUT,
                         "an exception needs an explanation: comply or explain")
        if explanation is not None:
            require_text(explanation, "explanation", TEXT_MAX)
        # The report made already, resent (its answer lost): DUPLICATE, which a client
        # reads as done — even once implemented, where any other report is too late.
        if adoption.status == cmd.status and adoption.explanation == explanation:
            raise reject(RejectionCode.DUPLICATE, "this report has already been made")
        if adoption.status == AdoptionStatus.IMPLEMENTED:
            raise reject(RejectionCode.WRONG_PHASE, f"{adoption.ministry} has implemented it")
        return adoption

    def report(self, cmd: ReportAdoptionInput, now: datetime) -> list[FrameworkEvent]:
        adoption = self.check_report(cmd)
        adoption.status = cmd.status
        adoption.explanation = (cmd.explanation or "").strip() or None
        adoption.reported_by = cmd.actor.person_id
        adoption.reported_at = now
        if adoption.resolved:
            adoption.overdue = False
        self.state.epoch += 1
        return [self._event(
            FrameworkEventKind.ADOPTION_REPORTED, now, cmd.actor, adoption.ministry,
            f"{adoption.ministry} meldt: {ADOPTION_WORDS[cmd.status]}"
            + (f" ({adoption.explanation})" if adoption.explanation else ""))]

    # -- the CIO Rijk -----------------------------------------------------------------------

    def check_revise(self, cmd: ReviseFrameworkInput) -> None:
        self._require_rijk(cmd.actor, "revises")
        text = require_text(cmd.text, "text", TEXT_MAX)
        if text == self.state.text:
            raise reject(RejectionCode.INVALID_INPUT, "the text is unchanged")

    def revise(self, cmd: ReviseFrameworkInput, now: datetime, register: Register
               ) -> list[FrameworkEvent]:
        self.check_revise(cmd)
        s = self.state
        s.version += 1
        s.text = cmd.text.strip()
        s.adopt_by = now + timedelta(seconds=s.adoption_window_seconds)
        s.deadline_passed = False
        s.adoptions = [Adoption(m) for m in register.members]
        self._schedule(now)
        return [self._event(
            FrameworkEventKind.FRAMEWORK_REVISED, now, cmd.actor, None,
            f"Versie {s.version}: alle leden voeren het opnieuw in vóór "
            f"{dutch(s.adopt_by)}")]

    def check_withdraw(self, cmd: WithdrawFrameworkInput) -> None:
        self._require_rijk(cmd.actor, "withdraws")
        require_text(cmd.reason, "reason", TEXT_MAX)

    def withdraw(self, cmd: WithdrawFrameworkInput, now: datetime) -> list[FrameworkEvent]:
        self.check_withdraw(cmd)
        s = self.state
        s.withdrawn = True
        s.next_check_at = None
        s.epoch += 1
        return [self._event(FrameworkEventKind.FRAMEWORK_WITHDRAWN, now, cmd.actor, None,
                            f"Ingetrokken: {cmd.reason.strip()}")]

    def _require_rijk(self, actor: Actor, verb: str) -> None:
        chair = self.council.chair
        if not actor.holds(chair.code, council=self.council.id):
            raise reject(RejectionCode.FORBIDDEN, f"only the {chair.name.nl} {verb} a framework")
        if self.state.withdrawn:
            raise reject(RejectionCode.WRONG_PHASE, "the framework has been withdrawn")

    # -- the durable timer: deadline, reminders, successions ------------------------------

    def on_timer(self, now: datetime, register: Register) -> list[FrameworkEvent]:
        s = self.state
        events = self._successions(now, register)
        if not s.deadline_passed and now >= s.adopt_by:
            s.deadline_passed = True
            for adoption in s.adoptions:
                if not adoption.resolved:
                    adoption.overdue = True
                    events.append(self._event(
                        FrameworkEventKind.ADOPTION_OVERDUE, now, None, adoption.ministry,
                        f"{adoption.ministry} heeft het kader niet op tijd ingevoerd"))
        if s.deadline_passed:
            for adoption in s.adoptions:
                if adoption.overdue and not adoption.resolved:
                    events.append(self._event(
                        FrameworkEventKind.REMINDER_SENT, now, None, adoption.ministry,
                        f"Herinnering gestuurd aan de {self.council.member.code} van "
                        f"{adoption.ministry}"))
        self._schedule(now)
        return events

    def _successions(self, now: datetime, register: Register) -> list[FrameworkEvent]:
        """Open adoptions of a ministry no longer in force pass to its successor."""
        events = []
        for adoption in list(self.state.adoptions):
            successor = register.successors.get(adoption.ministry)
            if adoption.ministry in register.ministries or adoption.resolved or not successor:
                continue
            before = adoption.ministry
            if any(a.ministry == successor for a in self.state.adoptions):
                self.state.adoptions.remove(adoption)
                text = f"{before} is opgevolgd door {successor}, dat het kader al invoert"
            else:
                adoption.ministry = successor
                text = f"{before} is opgevolgd door {successor}: de invoering gaat over"
            events.append(self._event(FrameworkEventKind.ADOPTION_TRANSFERRED, now, None,
                                      successor, text))
        return events

    def _schedule(self, now: datetime) -> None:
        """The next wake-up: the deadline, then a reminder (and register check) per interval."""
        s = self.state
        interval = timedelta(seconds=s.reminder_interval_seconds)
        s.next_check_at = min(s.adopt_by, now + interval) if not s.deadline_passed else (
            now + interval)
        s.epoch += 1

    def _event(self, kind: FrameworkEventKind, now: datetime, actor: Actor | None,
               ministry: str | None, summary: str) -> FrameworkEvent:
        s = self.state
        s.seq += 1
        return FrameworkEvent(s.framework_id, s.seq, kind, now,
                              actor.person_id if actor else None, ministry, summary)


@dataclass
class RecordFrameworkEventsInput:
    events: list[FrameworkEvent]
    state: FrameworkState
