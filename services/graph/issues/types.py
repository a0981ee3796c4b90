"""Issues and their timelines as GraphQL types, read from the MongoDB projection.

What is said inside the council (advice, contributions, who voted what, the timeline's
actors and summaries) resolves only for callers who hold an appointment; anyone else gets
empty lists and null actors, so a public dashboard's query never breaks.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from services.domain.actions import allowed_actions
from services.domain.cycle import Cycle, tally_of, waiting_on
from services.domain.seats import decider_seat, raiser_seat
from services.graph.context import Info
from services.graph.councils.types import Council, rules_of
from services.graph.enums import (
    AdviceStance,
    DecisionOutcome,
    DecisionRoute,
    IssueAction,
    IssueKind,
    Phase,
    Scope,
    VoteChoice,
)
from services.graph.procedure import Procedure, procedure_of
from services.graph.register.types import (
    Ministry,
    Officer,
    Person,
    load_ministry,
    load_person,
    seat_person,
)
from services.graph.visibility import Internal
from services.store.issues import IssueSelection, encode_cursor
from services.store.views import IssueEventView, IssueView
from services.workflows.client import issue_workflow_id

if TYPE_CHECKING:
    from services.graph.frameworks.types import Framework


@strawberry.type
class Advice:
    role: str = strawberry.field(description="an advisor's role code in the council")
    stance: AdviceStance
    text: str
    submitted_at: datetime
    proposal_version: int
    ministry_code: strawberry.Private[str | None]
    person_id: strawberry.Private[str]
    on_behalf_of_id: strawberry.Private[str | None] = None

    @strawberry.field(description="the seat's holder, when their deputy gave it")
    async def on_behalf_of(self, info: Info) -> Person | None:
        return await load_person(info, self.on_behalf_of_id)

    @strawberry.field
    async def officer(self, info: Info) -> Officer:
        # The seat as it was filled when the advice was given.
        return Officer(
            id=strawberry.ID(f"{self.ministry_code or ''}:{self.role}:{self.person_id}"),
            role=self.role,
            person_id=self.person_id,
            ministry_code=self.ministry_code,
        )


@strawberry.type
class Contribution:
    text: str
    posted_at: datetime
    person_id: strawberry.Private[str]
    ministry_code: strawberry.Private[str | None]
    on_behalf_of_id: strawberry.Private[str | None] = None

    @strawberry.field(description="the seat's holder, when their deputy posted it")
    async def on_behalf_of(self, info: Info) -> Person | None:
        return await load_person(info, self.on_behalf_of_id)

    @strawberry.field
    async def author(self, info: Info) -> Person:
        return await _person(info, self.person_id)

    @strawberry.field
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.ministry_code)


@strawberry.type
class Vote:
    choice: VoteChoice
    reason: str | None
    cast_at: datetime
    ministry_code: strawberry.Private[str]
    person_id: strawberry.Private[str]
    on_behalf_of_id: strawberry.Private[str | None] = None

    @strawberry.field(description="the seat's holder, when their deputy cast it (the "
                      "holder's own later vote replaces it)")
    async def on_behalf_of(self, info: Info) -> Person | None:
        return await load_person(info, self.on_behalf_of_id)

    @strawberry.field
    async def ministry(self, info: Info) -> Ministry:
        ministry = await load_ministry(info, self.ministry_code)
        assert ministry is not None
        return ministry

    @strawberry.field
    async def voter(self, info: Info) -> Person:
        return await _person(info, self.person_id)


@strawberry.type
class Tally:
    agree: int
    abstain: int
    object: int
    not_voted: int
    eligible: int = strawberry.field(description="member seats that vote: recused ones not")
    recused: int = strawberry.field(description="member seats that recused")


@strawberry.type(description="a seat that stepped aside on this issue for a conflict of "
                 "interest")
class Recusal:
    role: str = strawberry.field(description="the seat's role code in the council")
    reason: str
    at: datetime
    ministry_code: strawberry.Private[str | None]
    person_id: strawberry.Private[str]

    @strawberry.field(description="the seat's unit; null for a council-wide seat")
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.ministry_code)

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return await _person(info, self.person_id)


@strawberry.type
class Decision:
    route: DecisionRoute
    outcome: DecisionOutcome
    motivation: str
    decided_at: datetime
    binding: bool
    decided_by_id: strawberry.Private[str | None]
    issue: strawberry.Private[IssueView]

    @strawberry.field(
        description="null when the council's vote decided; without an appointment the seat "
        "that decided (\"CIO Rijk\"), not the person",
        extensions=[Internal(public=lambda d, info: _decider(d, info))])
    async def decided_by(self, info: Info) -> Person | None:
        return await load_person(info, self.decided_by_id)


@strawberry.type
class IssueEvent:
    issue_id: strawberry.ID
    seq: int = strawberry.field(description="1, 2, 3, ... per issue, without gaps")
    kind: str
    phase: Phase = strawberry.field(description="the issue's phase after this event")
    at: datetime
    view: strawberry.Private[IssueEventView]

    @classmethod
    def of(cls, view: IssueEventView) -> IssueEvent:
        return cls(issue_id=strawberry.ID(view.issue_id), seq=view.seq, kind=view.kind.value,
                   phase=view.phase, at=view.at, view=view)

    @strawberry.field(extensions=[Internal()])
    async def actor(self, info: Info) -> Person | None:
        return await load_person(info, self.view.actor_id)

    @strawberry.field(extensions=[Internal(public=lambda event, info: event.view.public_summary)])
    async def summary(self, info: Info) -> str:
        return self.view.summary

    @strawberry.field
    async def issue(self, info: Info) -> Issue:
        view = await info.context.loaders.issue.load(str(self.issue_id))
        return Issue.of(view)


@strawberry.type
class Issue:
    id: strawberry.ID
    title: str
    proposal: str
    proposal_version: int
    scope: Scope
    topics: list[str]
    touches_personal_data: bool
    binding_framework: bool
    phase: Phase
    view: strawberry.Private[IssueView]

    @classmethod
    def of(cls, view: IssueView) -> Issue:
        return cls(id=strawberry.ID(view.id), title=view.title, proposal=view.proposal,
                   proposal_version=view.proposal_version, scope=view.scope,
                   topics=view.topics, touches_personal_data=view.touches_personal_data,
                   binding_framework=view.binding_framework, phase=view.phase, view=view)

    @strawberry.field(description="the Temporal workflow id, for operators")
    def workflow_id(self) -> str:
        return issue_workflow_id(str(self.id))

    @strawberry.field
    def kind(self) -> IssueKind:
        return self.view.kind

    @strawberry.field(description="a PROCEDURE_CHANGE's proposed definition; null otherwise")
    def definition(self) -> str | None:
        return self.view.definition

    @strawberry.field(
        description="when the current phase's durable timer fires; null once decided or "
        "withdrawn"
    )
    def phase_deadline(self) -> datetime | None:
        return self.view.phase_deadline

    @strawberry.field
    def overdue(self) -> bool:
        return self.view.overdue

    @strawberry.field(description="the seq of the issue's latest event")
    def last_seq(self) -> int:
        return self.view.last_seq

    @strawberry.field
    def raised_at(self) -> datetime:
        return self.view.raised_at

    @strawberry.field(
        description="the ministry that raised it; null when the CIO Rijk raised a "
        "government-wide issue"
    )
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.view.ministry)

    @strawberry.field(
        description="without an appointment the seat that raised it (\"CIO van BZK\"), "
        "not the person",
        extensions=[Internal(public=lambda issue, info: _raiser(issue, info))])
    async def raised_by(self, info: Info) -> Person:
        return await _person(info, self.view.raised_by)

    @strawberry.field
    def procedure(self) -> Procedure:
        return procedure_of(self.view.procedure)

    @strawberry.field(extensions=[Internal()])
    async def advice(self, info: Info) -> list[Advice]:
        return [Advice(role=a.role, stance=a.stance, text=a.text, submitted_at=a.submitted_at,
                       proposal_version=a.proposal_version, ministry_code=a.ministry,
                       person_id=a.person_id, on_behalf_of_id=a.on_behalf_of)
                for a in self.view.advice]

    @strawberry.field(extensions=[Internal()])
    async def contributions(self, info: Info) -> list[Contribution]:
        return [Contribution(text=c.text, posted_at=c.posted_at, person_id=c.person_id,
                             ministry_code=c.ministry, on_behalf_of_id=c.on_behalf_of)
                for c in self.view.contributions]

    @strawberry.field(extensions=[Internal()])
    async def votes(self, info: Info) -> list[Vote]:
        return [Vote(choice=v.choice, reason=v.reason, cast_at=v.cast_at,
                     ministry_code=v.ministry, person_id=v.person_id,
                     on_behalf_of_id=v.on_behalf_of)
                for v in self.view.votes]

    @strawberry.field
    def tally(self) -> Tally:
        t = tally_of(self.view.members, self.view.votes, self.view.recusals)
        return Tally(agree=t.agree, abstain=t.abstain, object=t.object,
                     not_voted=t.not_voted, eligible=t.eligible, recused=t.recused)

    @strawberry.field(description="who recused and why (officers only; the public reads "
                      "only the count, Tally.recused, and the timeline)",
                      extensions=[Internal()])
    async def recusals(self, info: Info) -> list[Recusal]:
        return [Recusal(role=r.role, reason=r.reason, at=r.at, ministry_code=r.ministry,
                        person_id=r.person_id)
                for r in self.view.recusals]

    @strawberry.field
    def decision(self) -> Decision | None:
        d = self.view.decision
        if d is None:
            return None
        return Decision(route=d.route, outcome=d.outcome, motivation=d.motivation,
                        decided_at=d.decided_at, binding=d.binding,
                        decided_by_id=d.decided_by, issue=self.view)

    @strawberry.field(
        description="what the caller may do with this issue now (empty without a token); "
        "the same checks the workflow applies"
    )
    async def my_actions(self, info: Info) -> list[IssueAction]:
        actor = await info.context.viewer.actor()
        if actor is None:
            return []
        council = await rules_of(info, self.view.council_id, self.view.council_version)
        return allowed_actions(Cycle(self.view.cycle_state(council)), actor)

    @strawberry.field(description="who still has to act in the current phase, as seats "
                      "(\"CIO AZ\"); officers only, for it would tell the public who voted",
                      extensions=[Internal()])
    async def waiting_on(self, info: Info) -> list[str]:
        council = await rules_of(info, self.view.council_id, self.view.council_version)
        return waiting_on(self.view.cycle_state(council))

    @strawberry.field(description="the council it belongs to, in the version it keeps to")
    async def council(self, info: Info) -> Council:
        return Council.of(await info.context.store.councils.of_issue(
            self.view.council_id, self.view.council_version))

    @strawberry.field(description="the version of the council's definition it keeps to")
    async def council_version(self, info: Info) -> str:
        return (await rules_of(info, self.view.council_id, self.view.council_version)).version

    @strawberry.field(description="the binding framework this issue's decision set, if any")
    async def framework(self, info: Info) -> Annotated[
        Framework, strawberry.lazy("services.graph.frameworks.types")
    ] | None:
        from services.graph.frameworks.types import Framework

        view = await info.context.loaders.framework.load(str(self.id))
        return Framework.of(view) if view else None

    @strawberry.field
    async def timeline(self, info: Info) -> list[IssueEvent]:
        views = await info.context.loaders.timeline.load(str(self.id))
        return [IssueEvent.of(v) for v in views]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class IssueEdge:
    node: Issue
    cursor: str


@strawberry.type
class IssueConnection:
    edges: list[IssueEdge]
    page_info: PageInfo
    selection: strawberry.Private[IssueSelection]

    @strawberry.field
    async def total_count(self, info: Info) -> int:
        # Counted only when asked for: on a large register the count costs more than the page.
        return await info.context.store.issues.count(self.selection)

    @classmethod
    def of(cls, views: list[IssueView], has_next: bool, selection: IssueSelection
           ) -> IssueConnection:
        edges = [IssueEdge(node=Issue.of(v), cursor=encode_cursor(v.id)) for v in views]
        end = edges[-1].cursor if edges else None
        return cls(edges=edges, page_info=PageInfo(has_next_page=has_next, end_cursor=end),
                   selection=selection)


async def _person(info: Info, person_id: str) -> Person:
    person = await load_person(info, person_id)
    # A person leaves the register only by hand; show the id rather than fail the query.
    return person or Person(id=strawberry.ID(person_id), name=person_id)


async def _raiser(issue: Issue, info: Info) -> Person | None:
    council = await rules_of(info, issue.view.council_id, issue.view.council_version)
    return seat_person(council, raiser_seat(council, issue.view.ministry))


async def _decider(decision: Decision, info: Info) -> Person | None:
    view = decision.issue
    council = await rules_of(info, view.council_id, view.council_version)
    return seat_person(council, decider_seat(council, decision.route, view.ministry))
