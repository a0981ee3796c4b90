"""Parsing and validation once per document, not once per request: a dashboard sends the
same few documents all day, and walking one against the schema (~2 ms for the board's list)
cost more than resolving much of it. A thousand subscriptions to one document share its
syntax tree too, instead of a thousand copies for every full collection to walk."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from graphql import GraphQLError, GraphQLSchema
from graphql.language import DocumentNode, parse
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.schema import validate_document

# Distinct documents remembered; a stranger's stream of new ones only evicts the oldest.
DOCUMENTS = 512


def limit_rules(max_depth: int, max_aliases: int) -> Callable[[], AddValidationRules]:
    """Strawberry's depth and alias limits, as rules made once: each limiter made per
    request would make new rule classes, and no validation could be reused."""
    rules = [depth_rule(max_depth, None, None), aliases_rule(max_aliases)]
    return lambda: AddValidationRules(rules)


@functools.lru_cache(maxsize=DOCUMENTS)
def _validate(schema: GraphQLSchema, document: DocumentNode,
              rules: tuple) -> tuple[GraphQLError, ...]:
    return tuple(validate_document(schema, document, rules))


@functools.lru_cache(maxsize=DOCUMENTS)
def _parse(query: str, options: tuple[tuple[str, object], ...]) -> DocumentNode:
    return parse(query, **dict(options))


class CachedParse(SchemaExtension):
    """After the token limit (its `max_tokens`, like any parse option, is part of the key).
    A text that does not parse is left to Strawberry, which answers the syntax error as it
    always does (Strawberry's own ParserCache raises it from its hook, where nothing turns
    it into an answer)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            try:
                context.graphql_document = _parse(
                    context.query, tuple(sorted(context.parse_options.items())))
            except (GraphQLError, TypeError):  # bad syntax, or an option not to key by
                pass
        yield


class CachedValidation(SchemaExtension):
    """After the operation budget (services.graph.limits): a document it refused is never
    validated. Documents compare by value, so the same text parsed again is a hit."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and context.graphql_document is not None:
            context.pre_execution_errors = list(_validate(
                context.schema._schema, context.graphql_document,
                tuple(context.validation_rules)))
        yield
