"""What one change did to an issue's record: the small part it rewrote and the items it
added. The record activity carries this, not the whole snapshot, so the hundredth
contribution costs what the first did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.domain.awaiting import waiting_keys
from services.domain.types import (
    Advice,
    Contribution,
    CycleState,
    Decision,
    Phase,
    Recusal,
    Scope,
    Seat,
    Vote,
)


@dataclass
class IssueStatus:
    """The fields of the record any change may rewrite, all of them small."""

    phase: Phase
    phase_deadline: datetime | None
    overdue: bool
    advice_extended: bool
    scope: Scope
    ministry: str | None
    proposal_version: int
    decision: Decision | None = None
    # The seats the issue waits on (`seat_key`), so a list can ask "what waits on me".
    waiting: list[str] = field(default_factory=list)


@dataclass
class IssueChange:
    """Takes the record from `after_seq` to `seq`. Lists are either added to (advice,
    contributions: the cycle only appends to them) or, when they changed, given whole
    (votes, members, seats: a dozen items at most); None means unchanged."""

    issue_id: str
    after_seq: int
    seq: int
    status: IssueStatus
    proposal: str | None = None
    advice: list[Advice] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    votes: list[Vote] | None = None
    members: list[str] | None = None
    advisory_seats: list[Seat] | None = None
    recusals: list[Recusal] | None = None


def status_of(state: CycleState) -> IssueStatus:
    return IssueStatus(state.phase, state.phase_deadline, state.overdue, state.advice_extended,
                       state.scope, state.ministry, state.proposal_version, state.decision,
                       waiting_keys(state))



def change_between(before: CycleState, after: CycleState) -> IssueChange | None:
    """The change from `before` to `after`; None when it cannot be told as one (a list
    that was not only appended to): then the whole record is written instead."""
    advice = _appended(before.advice, after.advice)
    contributions = _appended(before.contributions, after.contributions)
    if advice is None or contributions is None or _fixed_changed(before, after):
        return None
    return IssueChange(
        issue_id=after.issue_id,
        after_seq=before.seq,
        seq=after.seq,
        status=status_of(after),
        proposal=after.proposal if after.proposal != before.proposal else None,
        advice=advice,
        contributions=contributions,
        votes=after.votes if after.votes != before.votes else None,
        members=after.members if after.members != before.members else None,
        advisory_seats=(after.advisory_seats if after.advisory_seats != before.advisory_seats
                        else None),
        recusals=after.recusals if after.recusals != before.recusals else None,
    )


def _appended(before: list, after: list) -> list | None:
    # The items are the same objects (the cycle never edits one in place): `==` stops at
    # identity, so this costs little however long the list.
    if len(after) < len(before) or after[:len(before)] != before:
        return None
    return after[len(before):]


def _fixed_changed(before: CycleState, after: CycleState) -> bool:
    """What a change never touches after the raise: were it touched, a change could not
    say so, and the whole record is written."""
    return (before.title, before.topics, before.touches_personal_data,
            before.binding_framework, before.procedure, before.raised_by) != (
        after.title, after.topics, after.touches_personal_data, after.binding_framework,
        after.procedure, after.raised_by)
