"""What a cached read depends on, read from its document alone."""

from __future__ import annotations

from graphql import OperationType

from services.graph.cache import ANY, ResultCache, mutation_owner, names_the_caller, read_plan


def test_one_issue_by_variable_or_literal_depends_on_that_issue():
    plan = read_plan("query($id: ID!) { issue(id: $id) { phase timeline { seq } } }", None)
    assert plan.kind == OperationType.QUERY and not plan.per_caller
    assert plan.owner_of({"id": "x1"}) == "x1"
    assert read_plan('{ issue(id: "x2") { phase } framework(id: "x2") { title } }',
                     None).owner_of(None) == "x2"


def test_lists_and_mixed_roots_depend_on_every_event():
    for document in (
        "{ issues(first: 5) { edges { node { id } } } }",
        'query { issue(id: "a") { phase } other: issue(id: "b") { phase } }',
        'query { issue(id: "a") { ministry { issues { edges { node { id } } } } } }',
        'query { issue(id: "a") { ...F } } fragment F on Issue { framework { adoptions { '
        'ministry { issues { edges { node { id } } } } } } }',
        "{ ministries { code } }",
        "query($id: ID!) { ...Root } fragment Root on Query { issue(id: $id) { phase } }",
    ):
        assert read_plan(document, None).owner_of({"id": "a"}) is ANY, document


def test_the_callers_own_fields_make_a_result_personal():
    assert read_plan("{ me { id } }", None).per_caller
    assert read_plan('{ issue(id: "a") { ...A } } fragment A on Issue { myActions }',
                     None).per_caller
    assert not read_plan('{ issue(id: "a") { advice { text } } }', None).per_caller
    # "What waits on me", written into the document or passed in its variables.
    assert read_plan("{ issues(filter: {waitingOnMe: true}) { totalCount } }", None).per_caller
    assert names_the_caller({"filter": {"waitingOnMe": True, "phase": "VOTING"}})
    assert not names_the_caller({"filter": {"phase": "VOTING"}}) and not names_the_caller(None)


def test_a_named_operation_is_chosen_and_an_unparsable_one_is_not_cached():
    document = "query A { issues { edges { node { id } } } } mutation B { __typename }"
    assert read_plan(document, "B").kind == OperationType.MUTATION
    assert read_plan("{ issue(id: ", None).kind is None


def test_a_mutation_names_its_issue_through_its_variables():
    assert mutation_owner({"input": {"issueId": "a", "text": "x"}}) == "a"
    assert mutation_owner({"id": "b"}) == "b"
    assert mutation_owner({"input": {"frameworkId": "c"}}) == "c"
    assert mutation_owner({"input": {"title": "new issue"}}) is ANY
    assert mutation_owner(None) is ANY


def test_an_event_drops_its_issue_and_the_lists_and_a_late_result_is_not_kept():
    cache = ResultCache(10)
    cache.put("a", b"A", "a", 0)
    cache.put("b", b"B", "b", 0)
    cache.put("list", b"L", ANY, 0)
    cache.invalidate("b")
    assert (cache.get("a"), cache.get("b"), cache.get("list")) == (b"A", None, None)
    cache.put("b", b"B", "b", 0)  # computed before the event: not kept
    assert cache.get("b") is None
    cache.invalidate(ANY)
    assert len(cache) == 0


def test_a_change_and_its_own_event_drop_the_cache_once_in_either_order():
    for first_answered in (True, False):
        cache = ResultCache(10)
        cache.put("page", b"before", "a", 0)
        if first_answered:
            cache.answered("events", "a", 5)
        else:
            cache.heard("events", "a", 5)
        assert cache.get("page") is None and cache.generation == 1
        cache.put("page", b"after", "a", cache.generation)  # read at seq 5 or later
        if first_answered:
            cache.heard("events", "a", 5)
        else:
            cache.answered("events", "a", 5)
        assert cache.get("page") == b"after" and cache.generation == 1
        cache.heard("framework_events", "a", 2)  # another timeline: its own seqs
        assert cache.get("page") is None
        cache.put("page", b"later", "a", cache.generation)
        cache.heard("events", "a", 6)  # a newer event (a timer's): drops it
        assert cache.get("page") is None


def test_a_register_event_drops_everything():
    cache = ResultCache(10)
    cache.put("page", b"A", "a", 0)
    cache.heard("register_events", None, None)
    assert len(cache) == 0
