"""What an operation costs, from its document alone (services.graph.cost)."""

from __future__ import annotations

from graphql import parse

from services.graph.cost import operation_cost
from services.graph.schema import schema

CARD = "id title phase ministry { code } tally { agree }"


def cost(document: str, variables: dict | None = None) -> int:
    return operation_cost(schema._schema, parse(document), None, variables)


def test_a_page_multiplies_its_selection_by_first():
    one = cost(f"{{ issues(first: 1) {{ edges {{ node {{ {CARD} }} }} }} }}")
    fifty = cost(f"{{ issues(first: 50) {{ edges {{ node {{ {CARD} }} }} }} }}")
    assert fifty - 1 == 50 * (one - 1)
    default = cost(f"{{ issues {{ edges {{ node {{ {CARD} }} }} }} }}")
    assert default - 1 == 20 * (one - 1)


def test_variables_and_their_defaults_count_as_their_values():
    paged = f"query($n: Int) {{ issues(first: $n) {{ edges {{ node {{ {CARD} }} }} }} }}"
    literal = f"{{ issues(first: 7) {{ edges {{ node {{ {CARD} }} }} }} }}"
    assert cost(paged, {"n": 7}) == cost(literal)
    declared = f"query($n: Int = 7) {{ issues(first: $n) {{ edges {{ node {{ {CARD} }} }} }} }}"
    assert cost(declared, {}) == cost(literal)


def test_nested_lists_multiply_and_fragments_count():
    inner = "timeline { seq kind }"
    nested = cost(f"{{ issues(first: 10) {{ edges {{ node {{ ministry {{ "
                  f"issues(first: 10) {{ edges {{ node {{ {inner} }} }} }} }} }} }} }} }}")
    assert nested > 10 * 10 * 100
    via_fragment = cost(f"fragment F on Issue {{ {inner} }} "
                        "{ issues(first: 10) { edges { node { ...F } } } }")
    inline = cost(f"{{ issues(first: 10) {{ edges {{ node {{ {inner} }} }} }} }}")
    assert via_fragment == inline


def test_introspection_is_not_multiplied():
    assert cost("{ __schema { types { fields { name } } } }") == 1
