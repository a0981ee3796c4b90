"""What an operation costs, from its document alone (services.graph.cost)."""

from __future__ import annotations

from graphql import parse

import services.graph.cost as cost_module
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


def test_fragments_spread_within_fragments_are_counted_once(monkeypatch):
    """Each fragment spreads the one before it twice: 2^59 fields, counted by visiting each
    fragment once (and refused), never walked one by one."""
    depth = 60
    fragments = ["fragment F0 on Query { __typename }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, depth)]
    document = f"query {{ ...F{depth - 1} }} " + " ".join(fragments)
    visits = []
    walk = cost_module._Counter.selection

    def counted(self, selection_set, parent):
        visits.append(1)
        return walk(self, selection_set, parent)

    monkeypatch.setattr(cost_module._Counter, "selection", counted)
    assert cost(document) == 2 ** (depth - 1)
    assert len(visits) == depth + 1  # the operation and each fragment once
