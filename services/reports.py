"""The report the CIO Rijk sends to parliament: the decision register (every decision with
route, outcome, motivation and date), the compliance with each binding framework and its
explained exceptions, and the register's changes, for a period. Built here as data; written
as JSON, Markdown, one CSV per table or all of them zipped by services.report_formats, from
`stelsel report` and from `/reports/register.<fmt>`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from services.councils.definitions import LEGACY_COUNCIL
from services.domain.councils import CouncilRules
from services.domain.frameworks import AdoptionStatus, compliance
from services.domain.seats import decider_seat
from services.store.database import Store

FORMATS = ("csv", "json", "md", "zip")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
               "md": "text/markdown; charset=utf-8", "zip": "application/zip"}


def parse_moment(value: str | None) -> datetime | None:
    """An ISO date or time; without an offset it is taken as UTC."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    try:  # in UTC now, so a moment beyond the calendar fails here, not in the query
        return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(
            tzinfo=timezone.utc)
    except OverflowError as err:
        raise ValueError(f"{value} lies outside the calendar") from err


@dataclass
class DecisionRow:
    issue_id: str
    title: str
    scope: str
    ministry: str | None
    route: str
    outcome: str
    binding: bool
    motivation: str
    decided_at: str
    decided_by: str | None
    # The council that decided (a deployment may keep several).
    council: str = ""


@dataclass
class ComplianceRow:
    framework_id: str
    title: str
    version: int
    decided_at: str
    adopt_by: str
    withdrawn: bool
    compliance: float
    implemented: int
    exceptions: int
    planned: int
    pending: int
    overdue: int


@dataclass
class RegisterRow:
    """A change of the register: who sits at the table, on what basis."""

    at: str
    recorded_at: str | None
    kind: str
    council: str | None
    unit: str | None
    role: str | None
    person: str | None
    detail: str | None
    basis: str | None
    by: str | None


@dataclass
class ExceptionRow:
    """Comply or explain: a unit that explained why it does not adopt a framework."""

    framework_id: str
    framework: str
    unit: str
    explanation: str | None
    reported_at: str | None


@dataclass
class Report:
    period_from: str | None
    period_to: str | None
    decisions: list[DecisionRow]
    frameworks: list[ComplianceRow]
    # The council reported on; None: every council, each under its own heading.
    council: str | None = None
    # Each council's name (Dutch) by id, for the headings.
    council_names: dict[str, str] = field(default_factory=dict)
    register: list[RegisterRow] = field(default_factory=list)
    exceptions: list[ExceptionRow] = field(default_factory=list)


class UnknownCouncil(ValueError):
    """A report asked for a council that was never published."""


async def build_report(store: Store, start: datetime | None, end: datetime | None,
                       council_id: str | None = None) -> Report:
    """Decisions taken in [start, end) and the frameworks decided in it, as stored now;
    of one council, or of all."""
    names = {c.id: c.rules.name.nl for c in await store.councils.current(
        datetime.now(timezone.utc))}
    if council_id is not None and council_id not in names:
        raise UnknownCouncil(f"no council {council_id}; known: {', '.join(sorted(names))}")
    decisions = []
    for issue in await store.issues.decided_between(start, end, council_id):
        decision = issue.decision
        assert decision is not None
        council = (await store.councils.of_issue(issue.council_id, issue.council_version)).rules
        decisions.append(DecisionRow(
            issue_id=issue.id, title=issue.title, scope=issue.scope.value,
            ministry=issue.ministry, route=decision.route.value,
            outcome=decision.outcome.value, binding=decision.binding,
            motivation=decision.motivation, decided_at=decision.decided_at.isoformat(),
            # A public document: the seat that decided, not the person (domain.seats).
            decided_by=_seat(council, decider_seat(council, decision.route, issue.ministry)),
            council=council.id,
        ))
    rows, exceptions = [], []
    for f in await store.frameworks.decided_between(start, end):
        if council_id is not None and (f.council.id if f.council else LEGACY_COUNCIL) != council_id:
            continue
        exceptions += [ExceptionRow(
            framework_id=f.id, framework=f.title, unit=a.ministry, explanation=a.explanation,
            reported_at=a.reported_at.isoformat() if a.reported_at else None,
        ) for a in f.adoptions if a.status == AdoptionStatus.EXCEPTION]
        count = {s: sum(a.status == s for a in f.adoptions) for s in AdoptionStatus}
        rows.append(ComplianceRow(
            framework_id=f.id, title=f.title, version=f.version,
            decided_at=f.decided_at.isoformat(), adopt_by=f.adopt_by.isoformat(),
            withdrawn=f.withdrawn, compliance=round(compliance(f.adoptions), 4),
            implemented=count[AdoptionStatus.IMPLEMENTED],
            exceptions=count[AdoptionStatus.EXCEPTION],
            planned=count[AdoptionStatus.PLANNED], pending=count[AdoptionStatus.PENDING],
            overdue=sum(a.overdue for a in f.adoptions),
        ))
    changes = await store.register.events_between(start, end, council_id)
    people = await store.register.persons_by_id(sorted(
        {p for e in changes for p in (e.person_id, e.actor_id) if p}))

    def name(person_id: str | None) -> str | None:
        return people[person_id].name if person_id in people else person_id

    register = [RegisterRow(
        at=e.at.isoformat(), recorded_at=e.recorded_at.isoformat() if e.recorded_at else None,
        kind=e.kind.value, council=e.council, unit=e.ministry, role=e.role,
        person=name(e.person_id), detail=e.detail, basis=e.basis, by=name(e.actor_id),
    ) for e in changes]
    return Report(start.isoformat() if start else None, end.isoformat() if end else None,
                  decisions, rows, council_id, names, register, exceptions)


def _seat(council: CouncilRules, seat: tuple | None) -> str | None:
    return council.seat_label(*seat) if seat else None
