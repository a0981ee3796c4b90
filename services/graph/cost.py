"""What an operation may cost, worked out from its document before anything runs.

Every field costs 1; a list multiplies what is selected inside it by its size: `first` (or
its default) for a paged field, otherwise the estimate in LIST_SIZES. So
`issues(first: 100) { edges { node { ministry { issues(first: 100) { ... } } } } }` costs
10,000 times its inner selection and is refused, while the dashboard's pages cost a few
thousand. Introspection fields count 1 each (GraphiQL; off in production).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

# Sizes assumed for lists that take no `first`, by field name; others DEFAULT_LIST_SIZE.
# They are the largest a council produces in practice (12 ministries, 36 advisory seats).
LIST_SIZES = {
    "timeline": 100,
    "advice": 40,
    "contributions": 50,
    "votes": 15,
    "officers": 60,
    "ministries": 30,
    "adoptions": 30,
    "frameworks": 50,
    "topics": 20,
    "myActions": 10,
}
DEFAULT_LIST_SIZE = 20
# No page holds more (a larger `first` is refused by its resolver, with a clearer word).
MAX_PAGE = 100


class QueryTooCostly(GraphQLError):
    def __init__(self, cost: int, maximum: int) -> None:
        super().__init__(
            f"this operation would cost {cost:,}; at most {maximum:,} is allowed: ask for "
            "fewer items (first) or fewer nested lists",
            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": maximum},
        )


def operation_cost(schema: GraphQLSchema, document: Any, operation_name: str | None,
                   variables: dict[str, Any] | None) -> int:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    chosen = next((o for o in operations if operation_name is None
                   or (o.name and o.name.value == operation_name)), None)
    if chosen is None:
        return 0
    root = schema.get_root_type(chosen.operation)
    # A variable left out takes the default its operation declares.
    given = dict(variables or {})
    for definition in chosen.variable_definitions or ():
        name = definition.variable.name.value
        if name not in given and isinstance(definition.default_value, IntValueNode):
            given[name] = int(definition.default_value.value)
    return _Counter(schema, fragments, given).selection(chosen.selection_set, root)


class _Counter:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                 variables: dict[str, Any]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.counted: dict[str, int] = {}

    def selection(self, selection_set: SelectionSetNode | None, parent: Any) -> int:
        if selection_set is None:
            return 0
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                total += self.selection(node.selection_set, self.schema.get_type(
                    condition.name.value) if condition else parent)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value)
        return total

    def fragment(self, name: str) -> int:
        """A fragment costs the same wherever it is spread: counted once, so a document that
        spreads fragments within fragments costs time linear in its size, not exponential."""
        if name not in self.counted:
            self.counted[name] = 0  # a cycle counts nothing more (validation refuses it)
            fragment = self.fragments.get(name)
            if fragment is not None:
                self.counted[name] = self.selection(
                    fragment.selection_set,
                    self.schema.get_type(fragment.type_condition.name.value))
        return self.counted[name]

    def field(self, node: FieldNode, parent: Any) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType):
            return 1
        definition = parent.fields.get(name)
        if definition is None:
            return 1
        inner = self.selection(node.selection_set, get_named_type(definition.type))
        return 1 + self.size(node, definition, parent) * inner

    def argument(self, node: FieldNode, name: str, default: Any) -> Any:
        """An argument's value as written, or as its variable holds it (not yet coerced:
        a wrong type is refused by execution anyway)."""
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                return self.variables.get(value.name.value, default)
            if isinstance(value, IntValueNode):
                return int(value.value)
            return default
        return default

    def size(self, node: FieldNode, definition: Any, parent: GraphQLObjectType) -> int:
        if "first" in definition.args:
            first = self.argument(node, "first", definition.args["first"].default_value)
            return min(max(first, 1), MAX_PAGE) if isinstance(first, int) else DEFAULT_LIST_SIZE
        field_type = definition.type
        while isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        if not isinstance(field_type, GraphQLList):
            return 1
        if parent.name.endswith("Connection"):
            return 1  # a page's edges: counted by the `first` of the field that made it
        return LIST_SIZES.get(node.name.value, DEFAULT_LIST_SIZE)
