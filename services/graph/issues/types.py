"""Issues and their timelines as GraphQL types, read from the MongoDB projection.

What is said inside the council (advice, contributions, who voted what, the timeline's
actors and summaries) resolves only for callers who hold an appointment; anyone else gets
empty lists and null actors, so a public dashboard's query never breaks.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from services.domain import types as domain
from services.domain.actions import allowed_actions
from services.domain.cycle import Cycle, count_votes
from services.domain.seats import decider_seat, raiser_seat
from services.graph.context import Info
from services.graph.enums import (
    AdviceStance,
    DecisionOutcome,
    DecisionRoute,
    IssueAction,
    Phase,
    Role,
    Scope,
    VoteChoice,
)
from services.graph.register.types import (
    Ministry,
    Officer,
    Person,
    load_ministry,
    load_person,
    seat_person,
)
from services.graph.visibility import Internal
from services.store.documents import state_from_document
from services.store.issues import encode_cursor
from services.workflows.issue_cycle.workflow import workflow_id

if TYPE_CHECKING:
    from services.graph.frameworks.types import Framework


@strawberry.type
class Procedure:
    advice_window_seconds: int
    deliberation_window_seconds: int
    vote_window_seconds: int
    mandate_window_seconds: int
    quorum: float = strawberry.field(
        description="share of member ministries that must have voted for consensus, "
        "0 < quorum <= 1"
    )
    adoption_window_seconds: int = strawberry.field(
        description="how long ministries have to adopt a binding framework decided here")
    adoption_reminder_seconds: int = strawberry.field(
        description="how often a ministry with an overdue adoption is reminded")
    reminder_lead_seconds: int = strawberry.field(
        description="how long before a deadline whoever still has to act is reminded; 0: not")


@strawberry.type
class Advice:
    role: Role
    stance: AdviceStance
    text: str
    submitted_at: datetime
    proposal_version: int
    ministry_code: strawberry.Private[str]
    person_id: strawberry.Private[str]

    @strawberry.field
    async def officer(self, info: Info) -> Officer:
        # The seat as it was filled when the advice was given.
        return Officer(
            id=strawberry.ID(f"{self.ministry_code}:{self.role.value}:{self.person_id}"),
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
    eligible: int


@strawberry.type
class Decision:
    route: DecisionRoute
    outcome: DecisionOutcome
    motivation: str
    decided_at: datetime
    binding: bool
    decided_by_id: strawberry.Private[str | None]
    issue_ministry: strawberry.Private[str | None]

    @strawberry.field(
        description="null when the CIO council decided by consensus; without an appointment "
        "the seat that decided (\"CIO Rijk\"), not the person",
        extensions=[Internal(public=lambda d: seat_person(
            decider_seat(d.route.value, d.issue_ministry)))])
    async def decided_by(self, info: Info) -> Person | None:
        return await load_person(info, self.decided_by_id)


@strawberry.type
class IssueEvent:
    issue_id: strawberry.ID
    seq: int = strawberry.field(description="1, 2, 3, ... per issue, without gaps")
    kind: str
    phase: Phase = strawberry.field(description="the issue's phase after this event")
    at: datetime
    doc: strawberry.Private[dict]

    @classmethod
    def of(cls, doc: dict) -> IssueEvent:
        return cls(
            issue_id=strawberry.ID(doc["issue_id"]),
            seq=doc["seq"],
            kind=doc["kind"],
            phase=Phase(doc["phase"]),
            at=doc["at"],
            doc=doc,
        )

    @strawberry.field(extensions=[Internal()])
    async def actor(self, info: Info) -> Person | None:
        return await load_person(info, self.doc.get("actor_id"))

    @strawberry.field(extensions=[Internal(public=lambda event: event.doc["public_summary"])])
    async def summary(self, info: Info) -> str:
        return self.doc["summary"]

    @strawberry.field
    async def issue(self, info: Info) -> Issue:
        doc = await info.context.loaders.issue.load(str(self.issue_id))
        return Issue.of(doc)


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
    doc: strawberry.Private[dict]

    @classmethod
    def of(cls, doc: dict) -> Issue:
        return cls(
            id=strawberry.ID(doc["_id"]),
            title=doc["title"],
            proposal=doc["proposal"],
            proposal_version=doc["proposal_version"],
            scope=Scope(doc["scope"]),
            topics=doc["topics"],
            touches_personal_data=doc["touches_personal_data"],
            binding_framework=doc["binding_framework"],
            phase=Phase(doc["phase"]),
            doc=doc,
        )

    @strawberry.field(description="the Temporal workflow id, for operators")
    def workflow_id(self) -> str:
        return workflow_id(str(self.id))

    @strawberry.field(
        description="when the current phase's durable timer fires; null once decided or "
        "withdrawn"
    )
    def phase_deadline(self) -> datetime | None:
        return self.doc.get("phase_deadline")

    @strawberry.field
    def overdue(self) -> bool:
        return bool(self.doc.get("overdue"))

    @strawberry.field(description="the seq of the issue's latest event")
    def last_seq(self) -> int:
        return self.doc["last_seq"]

    @strawberry.field
    def raised_at(self) -> datetime:
        return self.doc["raised_at"]

    @strawberry.field(
        description="the ministry that raised it; null when the CIO Rijk raised a "
        "government-wide issue"
    )
    async def ministry(self, info: Info) -> Ministry | None:
        return await load_ministry(info, self.doc.get("ministry"))

    @strawberry.field(
        description="without an appointment the seat that raised it (\"CIO van BZK\"), "
        "not the person",
        extensions=[Internal(public=lambda issue: seat_person(
            raiser_seat(issue.doc.get("ministry"))))])
    async def raised_by(self, info: Info) -> Person:
        return await _person(info, self.doc["raised_by"])

    @strawberry.field
    def procedure(self) -> Procedure:
        return Procedure(**self.doc["procedure"])

    @strawberry.field(extensions=[Internal()])
    async def advice(self, info: Info) -> list[Advice]:
        return [
            Advice(
                role=Role(a["role"]),
                stance=AdviceStance(a["stance"]),
                text=a["text"],
                submitted_at=a["submitted_at"],
                proposal_version=a["proposal_version"],
                ministry_code=a["ministry"],
                person_id=a["person_id"],
            )
            for a in self.doc["advice"]
        ]

    @strawberry.field(extensions=[Internal()])
    async def contributions(self, info: Info) -> list[Contribution]:
        return [
            Contribution(
                text=c["text"],
                posted_at=c["posted_at"],
                person_id=c["person_id"],
                ministry_code=c.get("ministry"),
            )
            for c in self.doc["contributions"]
        ]

    @strawberry.field(extensions=[Internal()])
    async def votes(self, info: Info) -> list[Vote]:
        return [
            Vote(
                choice=VoteChoice(v["choice"]),
                reason=v.get("reason"),
                cast_at=v["cast_at"],
                ministry_code=v["ministry"],
                person_id=v["person_id"],
            )
            for v in self.doc["votes"]
        ]

    @strawberry.field
    def tally(self) -> Tally:
        votes = [(v["ministry"], domain.VoteChoice(v["choice"])) for v in self.doc["votes"]]
        t = count_votes(self.doc["members"], votes)
        return Tally(
            agree=t.agree,
            abstain=t.abstain,
            object=t.object,
            not_voted=t.not_voted,
            eligible=t.eligible,
        )

    @strawberry.field
    def decision(self) -> Decision | None:
        d = self.doc.get("decision")
        if d is None:
            return None
        return Decision(
            route=DecisionRoute(d["route"]),
            outcome=DecisionOutcome(d["outcome"]),
            motivation=d["motivation"],
            decided_at=d["decided_at"],
            binding=d["binding"],
            decided_by_id=d.get("decided_by"),
            issue_ministry=self.doc.get("ministry"),
        )

    @strawberry.field(
        description="what the caller may do with this issue now (empty without a token); "
        "the same checks the workflow applies"
    )
    async def my_actions(self, info: Info) -> list[IssueAction]:
        actor = await info.context.viewer.actor()
        if actor is None:
            return []
        return allowed_actions(Cycle(state_from_document(self.doc)), actor)

    @strawberry.field(description="the binding framework this issue's decision set, if any")
    async def framework(self, info: Info) -> Annotated[
        Framework, strawberry.lazy("services.graph.frameworks.types")
    ] | None:
        from services.graph.frameworks.types import Framework

        doc = await info.context.loaders.framework.load(str(self.id))
        return Framework.of(doc) if doc else None

    @strawberry.field
    async def timeline(self, info: Info) -> list[IssueEvent]:
        docs = await info.context.loaders.timeline.load(str(self.id))
        return [IssueEvent.of(d) for d in docs]


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
    query: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def total_count(self, info: Info) -> int:
        # Counted only when asked for: on a large register the count costs more than the page.
        return await info.context.store.issues.count(self.query)

    @classmethod
    def of(cls, docs: list[dict], has_next: bool, query: dict[str, Any]) -> IssueConnection:
        edges = [IssueEdge(node=Issue.of(d), cursor=encode_cursor(d["_id"])) for d in docs]
        end = edges[-1].cursor if edges else None
        return cls(edges=edges, page_info=PageInfo(has_next_page=has_next, end_cursor=end),
                   query=query)


async def _person(info: Info, person_id: str) -> Person:
    person = await load_person(info, person_id)
    # A person leaves the register only by hand; show the id rather than fail the query.
    return person or Person(id=strawberry.ID(person_id), name=person_id)
