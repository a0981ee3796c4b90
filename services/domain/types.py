"""The words of the decree as types. Plain dataclasses: the workflow, the store and the API
all pass these, and Temporal's JSON converter carries them unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from services.domain.councils import CouncilRules


class Scope(str, Enum):
    DEPARTMENTAL = "DEPARTMENTAL"
    GOVERNMENT_WIDE = "GOVERNMENT_WIDE"


class IssueKind(str, Enum):
    DECISION = "DECISION"
    # The council's own procedure: when ADOPTED, the proposed definition is its new version.
    PROCEDURE_CHANGE = "PROCEDURE_CHANGE"


class Phase(str, Enum):
    ADVICE = "ADVICE"
    DELIBERATION = "DELIBERATION"
    VOTING = "VOTING"
    MANDATE = "MANDATE"
    DEPARTMENTAL_DECISION = "DEPARTMENTAL_DECISION"
    DECIDED = "DECIDED"
    WITHDRAWN = "WITHDRAWN"


CLOSED_PHASES = (Phase.DECIDED, Phase.WITHDRAWN)


class AdviceStance(str, Enum):
    SUPPORT = "SUPPORT"
    CONDITIONAL = "CONDITIONAL"
    OBJECT = "OBJECT"


class VoteChoice(str, Enum):
    AGREE = "AGREE"
    ABSTAIN = "ABSTAIN"
    OBJECT = "OBJECT"


class DecisionRoute(str, Enum):
    CONSENSUS = "CONSENSUS"
    MAJORITY = "MAJORITY"
    MANDATE = "MANDATE"
    DEPARTMENTAL = "DEPARTMENTAL"


class VoteRule(str, Enum):
    CONSENSUS = "CONSENSUS"
    MAJORITY = "MAJORITY"
    QUALIFIED_MAJORITY = "QUALIFIED_MAJORITY"


class DecisionOutcome(str, Enum):
    ADOPTED = "ADOPTED"
    REJECTED = "REJECTED"


class EventKind(str, Enum):
    RAISED = "RAISED"
    ADVICE_SUBMITTED = "ADVICE_SUBMITTED"
    ADVICE_WINDOW_EXTENDED = "ADVICE_WINDOW_EXTENDED"
    PHASE_CHANGED = "PHASE_CHANGED"
    CONTRIBUTION_POSTED = "CONTRIBUTION_POSTED"
    PROPOSAL_AMENDED = "PROPOSAL_AMENDED"
    VOTE_CAST = "VOTE_CAST"
    CONSENSUS_REACHED = "CONSENSUS_REACHED"
    NO_CONSENSUS = "NO_CONSENSUS"
    MANDATE_OVERDUE = "MANDATE_OVERDUE"
    DECISION_OVERDUE = "DECISION_OVERDUE"
    DECIDED = "DECIDED"
    RECLASSIFIED = "RECLASSIFIED"
    WITHDRAWN = "WITHDRAWN"
    REMINDER_SENT = "REMINDER_SENT"
    RECUSED = "RECUSED"


@dataclass
class Holder:
    """The person a deputy stands in for."""

    person_id: str
    name: str


@dataclass
class Appointment:
    """A seat held: a role of the council's definition, for a unit or the whole council."""

    role: str
    ministry: str | None = None
    # None: an appointment carried before councils were data (the default council's).
    council: str | None = None
    # A deputy's (plaatsvervanger's), in period: whom they stand in for.
    deputy_for: Holder | None = None


@dataclass
class Actor:
    """Who asks, with the appointments the register gave them at the moment of asking."""

    person_id: str
    name: str
    appointments: list[Appointment] = field(default_factory=list)

    def holds(self, role: str, ministry: str | None = None, council: str | None = None
              ) -> bool:
        return any(
            a.role == role and (ministry is None or a.ministry == ministry)
            and (council is None or a.council in (None, council))
            for a in self.appointments
        )

    def deputising(self, role: str, ministry: str | None, council: str) -> Holder | None:
        """Whom the actor stands in for in this seat; None when they hold it themselves
        (their own appointment comes first) or not at all."""
        mine = [a for a in self.appointments if a.role == role and a.ministry == ministry
                and a.council in (None, council)]
        if not mine or any(a.deputy_for is None for a in mine):
            return None
        return mine[0].deputy_for

    def ministries_as(self, role: str, council: str | None = None) -> list[str]:
        return sorted(a.ministry for a in self.appointments
                      if a.role == role and a.ministry
                      and (council is None or a.council in (None, council)))


def _rule(doc: str = "", per_issue: bool = False, **default) -> Any:
    """A field of the procedure: what it means (the API's description) and whether the CIO
    Rijk may set it for one issue (services.domain.procedure)."""
    return field(metadata={"doc": doc, "per_issue": per_issue}, **default)


@dataclass
class Procedure:
    """The procedure's windows, vote rule and quorum: declared here once; a council's
    definition gives its defaults, the API's type and input are made from these fields."""

    advice_window_seconds: int = _rule("0: the council skips the advice phase", per_issue=True)
    deliberation_window_seconds: int = _rule("0: the council skips the deliberation",
                                             per_issue=True)
    vote_window_seconds: int = _rule(per_issue=True)
    mandate_window_seconds: int = _rule(per_issue=True)
    quorum: float = _rule("share of member units that must have voted for the vote to decide, "
                          "0 < quorum <= 1", per_issue=True)
    vote_rule: VoteRule = _rule("how the vote decides", default=VoteRule.CONSENSUS)
    threshold: float = _rule(
        "QUALIFIED_MAJORITY: the share of AGREE among AGREE and OBJECT that adopts",
        default=2 / 3)
    privacy_extensions: int = _rule(
        "how often the advice window is extended while the privacy advice is missing",
        default=1)
    departmental_decision_window_seconds: int | None = _rule(
        "how long a unit's member has to decide a departmental issue; null: the mandate "
        "window", per_issue=True, default=None)
    adoption_window_seconds: int = _rule(
        "how long ministries have to adopt a binding framework decided here", per_issue=True,
        default=180 * 86_400)
    adoption_reminder_seconds: int = _rule(
        "how often a ministry with an overdue adoption is reminded", default=7 * 86_400)
    reminder_lead_seconds: int = _rule(
        "how long before a deadline whoever still has to act is reminded; 0: not", default=0)


@dataclass
class Seat:
    """An advisory seat (say, the CPO of BZK, or the council's FG without a unit):
    eligibility belongs to the seat."""

    ministry: str | None
    role: str


@dataclass
class Register:
    """What the appointment register says at one moment: ministries in force and the
    advisory seats that have someone in them."""

    ministries: list[str]
    advisory_seats: list[Seat]
    # Ministry no longer in force -> the one that succeeded it.
    successors: dict[str, str] = field(default_factory=dict)
    # Units at the table without a vote (among `ministries`): never voting members.
    observers: list[str] = field(default_factory=list)

    @property
    def members(self) -> list[str]:
        """The units that vote and adopt frameworks: all but the observers."""
        return sorted(set(self.ministries) - set(self.observers))


@dataclass
class Advice:
    ministry: str | None
    role: str
    person_id: str
    stance: AdviceStance
    text: str
    submitted_at: datetime
    proposal_version: int
    # The seat's holder, when a deputy gave it.
    on_behalf_of: str | None = None


@dataclass
class Contribution:
    person_id: str
    ministry: str | None
    text: str
    posted_at: datetime
    on_behalf_of: str | None = None


@dataclass
class Vote:
    ministry: str
    person_id: str
    choice: VoteChoice
    reason: str | None
    cast_at: datetime
    on_behalf_of: str | None = None


@dataclass
class Recusal:
    """A seat that stepped aside on one issue for a conflict of interest: it takes no part
    from then on (a member's vote is withdrawn and it no longer counts for the quorum)."""

    ministry: str | None
    role: str
    person_id: str
    reason: str
    at: datetime
    # A member seat (it leaves the vote), not an advisory one.
    member: bool = False


@dataclass
class Tally:
    agree: int
    abstain: int
    object: int
    not_voted: int
    eligible: int
    # Member seats that recused: not in `eligible`.
    recused: int = 0

    @property
    def voted(self) -> int:
        return self.agree + self.abstain + self.object


@dataclass
class Decision:
    route: DecisionRoute
    outcome: DecisionOutcome
    motivation: str
    decided_by: str | None
    decided_at: datetime
    binding: bool


@dataclass
class IssueEvent:
    issue_id: str
    seq: int
    kind: EventKind
    phase: Phase
    at: datetime
    actor_id: str | None
    summary: str
    # The same event told without naming anyone, for callers without an appointment.
    public_summary: str
    # The keyed request (services.domain.idempotency) that caused it, if any.
    request: str | None = None


@dataclass
class CycleState:
    """One issue's cycle: what the workflow holds and MongoDB mirrors as a projection."""

    issue_id: str
    title: str
    proposal: str
    scope: Scope
    ministry: str | None
    raised_by: str
    raised_at: datetime
    topics: list[str]
    touches_personal_data: bool
    binding_framework: bool
    procedure: Procedure
    phase: Phase = Phase.ADVICE
    proposal_version: int = 1
    phase_deadline: datetime | None = None
    # The durable timer still to fire; None once the deadline has been dealt with.
    timer_at: datetime | None = None
    # The reminder before the deadline, while it is still to go out.
    reminder_at: datetime | None = None
    overdue: bool = False
    advice_extended: bool = False
    advisory_seats: list[Seat] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    decision: Decision | None = None
    seq: int = 0
    # Bumped by every change of phase or deadline, so the workflow knows to re-arm its timer.
    epoch: int = 0
    # Keyed requests applied lately (request id -> the seq they reached), kept across
    # continue-as-new so a retry is answered once.
    requests: dict[str, int] = field(default_factory=dict)
    # The council's rules pinned when raised; None: raised before councils were data (the
    # workflow supplies the default council's first version).
    council: CouncilRules | None = None
    # How often the advice window was extended for missing privacy advice.
    advice_extensions: int = 0
    kind: IssueKind = IssueKind.DECISION
    # A PROCEDURE_CHANGE's proposed definition (YAML or JSON), as validated when raised.
    definition: str | None = None
    recusals: list[Recusal] = field(default_factory=list)
