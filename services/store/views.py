"""Read models: what the store answers, typed. The GraphQL types, the reports and the metrics
are built from these, never from raw documents, so a field added to a document changes
nothing above the store until a view names it.

Each view is decoded from its document with the type hints read once (services.typed);
fields a document lacks take the view's default, keys a view does not name are ignored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from services.domain.appointments import RegisterEventKind
from services.domain.councils import CouncilRules
from services.domain.frameworks import Adoption, FrameworkEventKind
from services.domain.types import (
    Advice,
    Contribution,
    CycleState,
    Decision,
    EventKind,
    IssueKind,
    Phase,
    Procedure,
    Recusal,
    Scope,
    Seat,
    Vote,
)
from services.typed import decoder

V = TypeVar("V")


@dataclass
class IssueView:
    id: str
    title: str
    proposal: str
    scope: Scope
    ministry: str | None
    raised_by: str
    raised_at: datetime
    touches_personal_data: bool
    binding_framework: bool
    procedure: Procedure
    phase: Phase
    last_seq: int
    proposal_version: int = 1
    topics: list[str] = field(default_factory=list)
    phase_deadline: datetime | None = None
    overdue: bool = False
    advice_extended: bool = False
    advisory_seats: list[Seat] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    decision: Decision | None = None
    updated_at: datetime | None = None
    # The council and the version it pinned; None: raised before councils were data (the
    # default council's first version).
    council_id: str | None = None
    council_version: str | None = None
    council_hash: str | None = None
    kind: IssueKind = IssueKind.DECISION
    definition: str | None = None
    recusals: list[Recusal] = field(default_factory=list)

    def cycle_state(self, council: CouncilRules) -> CycleState:
        """The cycle as this record shows it, for asking the domain's rules about it: the
        fields both have, the workflow's own bookkeeping (timers, requests) at its defaults."""
        shared = {f.name: getattr(self, f.name) for f in fields(CycleState)
                  if hasattr(self, f.name) and f.name != "council"}
        return CycleState(**shared, issue_id=self.id, seq=self.last_seq, council=council)


@dataclass
class IssueEventView:
    issue_id: str
    seq: int
    kind: EventKind
    phase: Phase
    at: datetime
    summary: str
    public_summary: str
    actor_id: str | None = None
    request: str | None = None


@dataclass
class FrameworkView:
    id: str
    issue_id: str
    title: str
    text: str
    decided_at: datetime
    adopt_by: datetime
    version: int = 1
    withdrawn: bool = False
    deadline_passed: bool = False
    adoptions: list[Adoption] = field(default_factory=list)
    last_seq: int = 0
    # The rules of the council that decided it; None: before councils were data.
    council: CouncilRules | None = None


@dataclass
class FrameworkEventView:
    framework_id: str
    seq: int
    kind: FrameworkEventKind
    at: datetime
    summary: str
    actor_id: str | None = None
    ministry: str | None = None


@dataclass
class UnitNameView:
    """A unit's name and abbreviation for a period (validTo exclusive; None: still)."""

    name: str
    abbreviation: str
    valid_from: datetime
    valid_to: datetime | None = None


@dataclass
class MinistryView:
    """A unit of the register: a ministry or another organisation at the table."""

    code: str
    name: str
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    successor: str | None = None
    # Its identity in the government's organisation lists (TOOI), if it has one.
    tooi: str | None = None
    names: list[UnitNameView] = field(default_factory=list)
    # At the table without a vote: contributes and is advised on, never a voting member.
    observer: bool = False
    # A reported change the register does not follow yet, and why.
    uncertain: str | None = None
    # Its organisation number (OIN): who signs in for it (settings.oin_claim).
    oin: str | None = None
    # The council whose own unit it is (its definition lists it); None: the register's.
    council: str | None = None

    @property
    def council_unit(self) -> bool:
        return self.council is not None

    def named_at(self, at: datetime) -> UnitNameView:
        """The name in force at `at`: the first one before the unit's history starts, the
        last one after it ended."""
        if not self.names:
            return UnitNameView(self.name, self.code, self.valid_from or at)
        for name in self.names:
            if at < name.valid_from:
                return name
            if name.valid_to is None or at < name.valid_to:
                return name
        return self.names[-1]


@dataclass
class PersonView:
    id: str
    name: str


@dataclass
class OfficerView:
    """An appointment: a person in a seat."""

    id: str
    person_id: str
    role: str
    ministry: str | None = None
    council: str | None = None
    active: bool = True
    appointed_at: datetime | None = None
    ended_at: datetime | None = None
    # A deputy (plaatsvervanger) for the seat, in force from valid_from until valid_to.
    deputy: bool = False
    valid_from: datetime | None = None
    valid_to: datetime | None = None


@dataclass
class RegisterEventView:
    id: str
    kind: RegisterEventKind
    # When the change takes effect.
    at: datetime
    person_id: str | None = None
    role: str | None = None
    ministry: str | None = None
    actor_id: str | None = None
    council: str | None = None
    # On what basis it was made, what it says in words, and when it was recorded.
    basis: str | None = None
    detail: str | None = None
    recorded_at: datetime | None = None


@dataclass
class CouncilVersionView:
    """One published version of a council's definition."""

    council: str
    version: str
    hash: str
    in_force_from: datetime
    source: str
    text: str


@dataclass
class OutboxView:
    """A notification to deliver to the webhooks, and how far delivery got."""

    id: str
    kind: str
    subject: str
    seq: int
    at: datetime
    summary: str
    delivered_to: list[str] = field(default_factory=list)
    # Delivery's horizon counts from here: the event's time, or when an operator revived it.
    retry_from: datetime | None = None
    dead_at: datetime | None = None
    last_error: str | None = None

    @property
    def trying_since(self) -> datetime:
        return self.retry_from or self.at


@dataclass
class PhaseCount:
    phase: Phase
    overdue: bool
    issues: int


def reader(view: type[V], key: str | None = "id") -> Callable[[dict[str, Any]], V]:
    """Documents to `view`; `key` names the field that holds the document's `_id`."""
    decode = decoder(view)
    if key is None:
        return decode
    return lambda doc: decode({**doc, key: doc["_id"]})


read_issue = reader(IssueView)
read_issue_event = reader(IssueEventView, None)
read_framework = reader(FrameworkView)
read_framework_event = reader(FrameworkEventView, None)
read_ministry = reader(MinistryView, "code")
read_person = reader(PersonView)
read_officer = reader(OfficerView)
read_register_event = reader(RegisterEventView)
read_outbox = reader(OutboxView)
