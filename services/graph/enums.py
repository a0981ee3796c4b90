"""The domain's enums, exposed to GraphQL under the names of the contract."""

import strawberry

from services.domain import actions, councils, frameworks, types
from services.domain.errors import RejectionCode as _RejectionCode

RoleKind = strawberry.enum(councils.RoleKind)
VoteRule = strawberry.enum(types.VoteRule)
Scope = strawberry.enum(types.Scope)
IssueKind = strawberry.enum(types.IssueKind)
Phase = strawberry.enum(types.Phase)
AdviceStance = strawberry.enum(types.AdviceStance)
VoteChoice = strawberry.enum(types.VoteChoice)
DecisionRoute = strawberry.enum(types.DecisionRoute)
DecisionOutcome = strawberry.enum(types.DecisionOutcome)
RejectionCode = strawberry.enum(_RejectionCode)
IssueAction = strawberry.enum(actions.IssueAction)
AdoptionStatus = strawberry.enum(frameworks.AdoptionStatus)
