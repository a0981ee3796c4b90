"""The schema, composed from each domain's Query, Mutation and Subscription."""

import strawberry
from strawberry.tools import merge_types

from services.graph.issues.mutations import IssueMutation
from services.graph.issues.queries import IssueQuery
from services.graph.issues.subscriptions import IssueSubscription
from services.graph.register.mutations import RegisterMutation
from services.graph.register.queries import RegisterQuery

Query = merge_types("Query", (RegisterQuery, IssueQuery))
Mutation = merge_types("Mutation", (IssueMutation, RegisterMutation))
Subscription = merge_types("Subscription", (IssueSubscription,))

schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)
