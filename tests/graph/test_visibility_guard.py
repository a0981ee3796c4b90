"""Schema walk: every field that carries internal deliberation is guarded by `Internal`;
adding an unguarded one fails here."""

from __future__ import annotations

import strawberry
from graphql import GraphQLObjectType, get_named_type

from services.graph.fanout import internal_fields
from services.graph.issues.types import Vote
from services.graph.register.types import Person
from services.graph.schema import TYPES, schema
from services.graph.visibility import Internal

# What is said inside the council (DESIGN.md, "Who may see what").
INTERNAL_TYPES = {"Advice", "Contribution", "Vote", "Recusal"}
INTERNAL_FIELDS = {("IssueEvent", "actor"), ("IssueEvent", "summary"),
                   ("Issue", "waitingOn")}


def guards(target: strawberry.Schema, wanted) -> tuple[set, set]:
    """(guarded, unguarded) fields, as (type, field) pairs, for which
    `wanted(type, field, returned type)` holds; the internal types themselves are reachable
    only through guarded fields."""
    guarded, unguarded = set(), set()
    for type_name, graphql_type in target._schema.type_map.items():
        if (not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__")
                or type_name in INTERNAL_TYPES):
            continue
        for field_name, field in graphql_type.fields.items():
            if not wanted(type_name, field_name, get_named_type(field.type).name):
                continue
            definition = field.extensions["strawberry-definition"]
            is_guarded = any(isinstance(e, Internal) for e in definition.extensions)
            (guarded if is_guarded else unguarded).add((type_name, field_name))
    return guarded, unguarded


def walk(target: strawberry.Schema) -> tuple[set, set]:
    """Fields that return what is said inside the council."""
    return guards(target, lambda type_name, field_name, returns: returns in INTERNAL_TYPES
                  or (type_name, field_name) in INTERNAL_FIELDS)


def test_every_internal_field_is_guarded():
    guarded, unguarded = walk(schema)
    assert unguarded == set()
    assert guarded == {("Issue", "advice"), ("Issue", "contributions"), ("Issue", "votes"),
                       ("Issue", "recusals"), ("Issue", "waitingOn"),
                       ("IssueEvent", "actor"), ("IssueEvent", "summary")}


@strawberry.type
class Leak:
    @strawberry.field
    def votes(self) -> list[Vote]:
        return []

    @strawberry.field
    def who_decided(self) -> Person | None:
        return None


@strawberry.type
class LeakyQuery(TYPES["query"]):
    @strawberry.field
    def leak(self) -> Leak:
        return Leak()


# People: the register (who holds which seat) is public, as the almanac is; in the course
# of an issue or framework the public sees the seat, not the person (DESIGN-NOTES.md).
REGISTER_PERSON_FIELDS = {("Officer", "person"), ("Query", "me"),
                          ("RegisterEvent", "person"), ("RegisterEvent", "actor")}


def people(target: strawberry.Schema) -> tuple[set, set]:
    """Fields outside the register that return a Person."""
    return guards(target, lambda type_name, field_name, returns: returns == "Person"
                  and (type_name, field_name) not in REGISTER_PERSON_FIELDS)


def test_the_public_sees_seats_not_names_in_every_course():
    guarded, unguarded = people(schema)
    assert unguarded == set()
    assert guarded == {("Issue", "raisedBy"), ("Decision", "decidedBy"),
                       ("Adoption", "reportedBy"), ("IssueEvent", "actor")}


def test_an_unguarded_field_is_caught():
    leaky = strawberry.Schema(query=LeakyQuery, mutation=TYPES["mutation"],
                              subscription=TYPES["subscription"])
    _, unguarded = walk(leaky)
    assert unguarded == {("Leak", "votes")}
    _, unnamed = people(leaky)
    assert unnamed - {("LeakyQuery", "me")} == {("Leak", "whoDecided")}


def test_the_fan_out_knows_every_guarded_field():
    """Subscriptions share one result per visibility class only for documents that name a
    guarded field; one it did not know of would be shared between public and officers."""
    # A new guarded field makes this fail: say here whether subscriptions must tell the
    # public from officers when a document names it.
    assert internal_fields(schema._schema) == {
        "actor", "advice", "contributions", "decidedBy", "raisedBy", "recusals",
        "registerEvents", "reportedBy", "summary", "votes", "waitingOn"}
