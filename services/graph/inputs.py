"""The one place every text argument is checked before a resolver runs: valid Unicode, no
control characters, a maximum length per field (services.domain.text). A mutation answers
`Rejected(INVALID_INPUT)` naming the field; any other field a BAD_USER_INPUT error. Nothing
refused here reaches MongoDB or Temporal.

The check wraps only the resolvers of fields that take text, so reading a list of issues
pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
)

from services.domain.errors import Rejection, RejectionCode
from services.domain.text import field_max, text_problem
from services.graph.errors import BadUserInput, Rejected

TEXT_SCALARS = ("String", "ID")


def problem_in(arg_type: GraphQLInputType, value: Any, path: str, name: str) -> str | None:
    """The first problem in one argument's value, as `path: why`, or None."""
    while isinstance(arg_type, GraphQLNonNull):
        arg_type = arg_type.of_type
    if value is None:
        return None
    if isinstance(arg_type, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if found := problem_in(arg_type.of_type, item, f"{path}[{i}]", name):
                return found
        return None
    if isinstance(arg_type, GraphQLInputObjectType):
        for field_name, field in arg_type.fields.items():
            key = field.out_name or field_name
            if found := problem_in(field.type, value.get(key), f"{path}.{field_name}",
                                   field_name):
                return found
        return None
    if isinstance(arg_type, GraphQLScalarType) and isinstance(value, str):
        why = text_problem(value, field_max(name, is_id=arg_type.name == "ID"))
        return f"{path} {why}" if why else None
    return None


def _takes_text(arg_type: GraphQLInputType, seen: set[str] | None = None) -> bool:
    named = get_named_type(arg_type)
    if isinstance(named, GraphQLScalarType):
        return named.name in TEXT_SCALARS
    if isinstance(named, GraphQLInputObjectType):
        seen = seen or set()
        if named.name in seen:
            return False
        seen.add(named.name)
        return any(_takes_text(f.type, seen) for f in named.fields.values())
    return False


def _answers_rejected(field: GraphQLField) -> bool:
    named = get_named_type(field.type)
    return isinstance(named, GraphQLUnionType) and any(
        t.name == "Rejected" for t in named.types)


def _checked(field: GraphQLField, resolver: Callable | None) -> Callable:
    rejected = _answers_rejected(field)

    def check(source: Any, info: Any, **kwargs: Any) -> Any:
        for name, arg in field.args.items():
            problem = problem_in(arg.type, kwargs.get(arg.out_name or name), name, name)
            if problem is not None:
                if rejected:
                    return Rejected.of(Rejection(RejectionCode.INVALID_INPUT, problem),
                                       info.context)
                raise BadUserInput(problem)
        if resolver is None:  # graphql-core's default: the attribute of the source
            return getattr(source, info.field_name, None)
        return resolver(source, info, **kwargs)

    return check


def _fields_with_text(types: dict[str, Any]) -> Iterator[GraphQLField]:
    for name, graphql_type in types.items():
        if name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field in graphql_type.fields.values():
            if any(_takes_text(arg.type) for arg in field.args.values()):
                yield field


def guard_inputs(graphql_schema: Any) -> None:
    """Wraps, in place, the resolver (and, for subscriptions, the source) of every field
    that takes text."""
    for field in _fields_with_text(graphql_schema.type_map):
        if field.subscribe is not None:
            field.subscribe = _checked(field, field.subscribe)
        else:
            field.resolve = _checked(field, field.resolve)
