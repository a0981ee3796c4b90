"""The schema, composed from each domain's Query, Mutation and Subscription, and the
limits every request to it runs under."""

import logging
import re
from collections.abc import Callable
from datetime import datetime, timezone

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxTokensLimiter,
    SchemaExtension,
)
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from services.graph.councils.mutations import CouncilMutation
from services.graph.councils.queries import CouncilQuery
from services.graph.fanout import SharedEventExecution
from services.graph.frameworks.mutations import FrameworkMutation
from services.graph.frameworks.queries import FrameworkQuery
from services.graph.frameworks.subscriptions import FrameworkSubscription
from services.graph.inputs import guard_inputs
from services.graph.issues.mutations import IssueMutation
from services.graph.issues.queries import IssueQuery
from services.graph.issues.subscriptions import IssueSubscription
from services.graph.limits import OperationBudget, RateLimiter
from services.graph.observability import OperationLog
from services.graph.register.mutations import RegisterMutation
from services.graph.register.queries import RegisterQuery
from services.graph.validation import CachedParse, CachedValidation, limit_rules
from services.settings import Settings
from services.tracing import tracing_enabled

Query = merge_types("Query", (RegisterQuery, IssueQuery, FrameworkQuery, CouncilQuery))
Mutation = merge_types("Mutation", (IssueMutation, RegisterMutation, FrameworkMutation,
                                    CouncilMutation))
Subscription = merge_types("Subscription", (IssueSubscription, FrameworkSubscription))

log = logging.getLogger("stelsel.graphql")

TYPES = {"query": Query, "mutation": Mutation, "subscription": Subscription}


def _moment(value: str) -> datetime:
    """An ISO 8601 moment; one without an offset is taken as UTC (as `stelsel report` does),
    so every moment compares with every other."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# Strawberry's DateTime, but never a naive datetime inside the service.
CONFIG = StrawberryConfig(scalar_map={datetime: strawberry.scalar(
    name="DateTime", serialize=datetime.isoformat, parse_value=_moment,
    description="Date with time (isoformat)")})

# The schema as published (schema/schema.graphql); the service runs build_schema(settings).
schema = strawberry.Schema(**TYPES, config=CONFIG)


class StelselSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        """A caller's mistake is logged at INFO in one line; only what escaped a resolver
        is an ERROR with its traceback."""
        for error in errors:
            if _internal(error):
                log.error("internal error: %s", error.message, exc_info=error.original_error)
            else:
                code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION")
                log.info("refused request: %s (%s)", error.message, code)


SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


class NoSuggestions(SchemaExtension):
    """Production names no field, argument, input field or enum value the caller did not
    already know: "Did you mean ...?" would tell a stranger what introspection hides."""

    def on_operation(self):
        yield
        result = self.execution_context.result
        errors = [*(getattr(result, "errors", None) or []),
                  *(self.execution_context.pre_execution_errors or [])]
        for error in errors:
            if "Did you mean" in error.message:
                error.message = SUGGESTION.sub("", error.message)


def _internal(error: GraphQLError) -> bool:
    """Our own errors carry a code and a message meant for the caller; anything else that
    escaped a resolver is internal and is masked in production."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def build_schema(settings: Settings, readers: RateLimiter | None = None) -> strawberry.Schema:
    readers = readers or RateLimiter(settings.queries_per_minute, "reads")
    # Factories: each request gets fresh extension instances.
    extensions: list[Callable[[], SchemaExtension]] = [
        limit_rules(settings.max_query_depth, settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        CachedParse,
        lambda: OperationBudget(settings.max_query_cost, readers),
        CachedValidation,
    ]
    if tracing_enabled(settings):
        extensions.append(OpenTelemetryExtension)
    # After the tracing extension: its span is current, so log lines carry its trace id.
    extensions.append(OperationLog)
    if not settings.dev:
        extensions.append(DisableIntrospection)
        extensions.append(NoSuggestions)
    if settings.mask_errors if settings.mask_errors is not None else not settings.dev:
        extensions.append(lambda: MaskErrors(should_mask_error=_internal))
    built = StelselSchema(**TYPES, extensions=extensions, config=CONFIG,
                          execution_context_class=SharedEventExecution)
    guard_inputs(built._schema)
    return built
