"""Results of read-only GraphQL requests, kept by what they depend on.

*Who* — a result differs by caller only in what holders of an appointment see (advice,
contributions, votes, actors) and in the few fields that are the caller's own (`me`,
`myActions`). So a result is kept per visibility class ("public" or "officer") unless
its document selects one of those fields; then per person.

*What* — a document that reads one issue (or its framework) and no list depends on that
issue's events only; anything else (lists, counts, the compliance matrix) on every event.
An event on issue X (from any replica or worker, through the change stream) drops the
entries of X and the list entries; a register event drops everything, since it changes who
sees what. A mutation through this process drops what its issue's event will drop, at once,
so its caller reads its own write. A result computed while any event arrived is not kept
(the generation check).
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    parse,
)

# Fields whose value is the caller's own: a result that selects one is kept per person.
PER_CALLER_FIELDS = frozenset({"me", "myActions"})
# Inputs that make a result the caller's own ("what waits on me"), in the document or its
# variables; a mere mention (say, in a searched title) only costs sharing, never leaks.
PER_CALLER_INPUTS = ("waitingOnMe",)
# Fields that list issues or frameworks: a result with one depends on every event.
LIST_FIELDS = frozenset({"issues", "frameworks", "complianceMatrix"})
# Root fields that read one issue or framework (which share their id) by `id`.
SINGLE_FIELDS = frozenset({"issue", "framework"})
ANY = None  # the owner of an entry that depends on every event


@dataclass(frozen=True)
class ReadPlan:
    kind: OperationType | None
    per_caller: bool = False
    # How the one issue the result depends on is named: ("literal", id) or
    # ("variable", name); None: it depends on every event.
    owner: tuple[str, str] | None = None
    # Every field the document names (fragments included).
    names: frozenset[str] = frozenset()

    def owner_of(self, variables: dict[str, Any] | None) -> str | None:
        if self.owner is None:
            return ANY
        how, value = self.owner
        if how == "literal":
            return value
        found = (variables or {}).get(value)
        return found if isinstance(found, str) else ANY


# How many issues' latest seqs are remembered to tell a change's own event from a new one.
REMEMBERED_SEQS = 10_000


class ResultCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.generation = 0
        # key -> (result, owner): the issue the result depends on, or ANY.
        self._results: OrderedDict[str, tuple[bytes, str | None]] = OrderedDict()
        # (timeline, owner) -> the latest seq dropped for: by a change this process
        # answered, and by an event it heard. Each change is dropped for once, whichever
        # comes first.
        self._answered: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._heard: OrderedDict[tuple[str, str], int] = OrderedDict()
        # Told of every invalidation, with its owner (services.graph.pages).
        self.listeners: list[Callable[[str | None], None]] = []

    def answered(self, timeline: str, owner: str, seq: int) -> None:
        """A change through this process reached `seq`: drop now what it changed, so its
        caller reads its own write — unless its event was heard first and did so."""
        if self._heard.get((timeline, owner), 0) >= seq:
            return
        _remember(self._answered, (timeline, owner), seq)
        self.invalidate(owner)

    def heard(self, timeline: str, owner: str | None, seq: int | None) -> None:
        """An event from the change stream (any replica or worker)."""
        if owner is None or seq is None:
            self.invalidate(ANY)  # the register: who sees what may have changed
            return
        _remember(self._heard, (timeline, owner), seq)
        if self._answered.get((timeline, owner), 0) < seq:
            self.invalidate(owner)

    def __len__(self) -> int:
        return len(self._results)

    def get(self, key: str) -> bytes | None:
        entry = self._results.get(key)
        if entry is None:
            return None
        self._results.move_to_end(key)
        return entry[0]

    def put(self, key: str, result: bytes, owner: str | None, generation: int) -> None:
        if generation != self.generation:
            return  # an event arrived meanwhile: this result may already be stale
        self._results[key] = (result, owner)
        if len(self._results) > self.max_entries:
            self._results.popitem(last=False)

    def invalidate(self, owner: str | None = ANY) -> None:
        """After an event of issue/framework `owner`: its entries and those of lists go.
        ANY (a register event, a change of unknown reach): everything goes."""
        self.generation += 1
        for listener in self.listeners:
            listener(owner)
        if owner is ANY:
            self._results.clear()
            return
        stale = [key for key, (_, depends_on) in self._results.items()
                 if depends_on is ANY or depends_on == owner]
        for key in stale:
            del self._results[key]


def _remember(seqs: OrderedDict[tuple[str, str], int], key: tuple[str, str], seq: int) -> None:
    seqs[key] = max(seqs.get(key, 0), seq)
    seqs.move_to_end(key)
    if len(seqs) > REMEMBERED_SEQS:
        seqs.popitem(last=False)


def names_the_caller(variables: Any) -> bool:
    """Whether a request's variables hold an input that makes its result the caller's."""
    if not variables:
        return False
    text = json.dumps(variables)
    return any(name in text for name in PER_CALLER_INPUTS)


@lru_cache(maxsize=512)
def read_plan(document: str, operation_name: str | None) -> ReadPlan:
    try:
        parsed = parse(document)
    except GraphQLError:
        return ReadPlan(None)
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if operation_name is None and len(operations) == 1
                   or (o.name and o.name.value == operation_name)), None)
    if chosen is None:
        return ReadPlan(None)
    names = _field_names(parsed.definitions)
    per_caller = bool(names & PER_CALLER_FIELDS) or any(i in document for i in PER_CALLER_INPUTS)
    return ReadPlan(chosen.operation, per_caller=per_caller,
                    owner=None if names & LIST_FIELDS else _single_owner(chosen.selection_set),
                    names=frozenset(names))


def _field_names(definitions) -> set[str]:
    """Every field named anywhere in the document, fragments included."""
    names: set[str] = set()
    stack = [d.selection_set for d in definitions if getattr(d, "selection_set", None)]
    while stack:
        selection_set = stack.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            if getattr(selection, "selection_set", None) is not None:
                stack.append(selection.selection_set)
    return names


def _single_owner(root: SelectionSetNode) -> tuple[str, str] | None:
    """("literal"|"variable", …) when every root field reads the same one issue."""
    owners = set()
    for selection in root.selections:
        if not isinstance(selection, FieldNode):
            return None  # a fragment at the root: not worth following
        if selection.name.value == "__typename":
            continue
        if selection.name.value not in SINGLE_FIELDS:
            return None
        argument = next((a for a in selection.arguments or () if a.name.value == "id"), None)
        if argument is None:
            return None
        value = argument.value
        if isinstance(value, VariableNode):
            owners.add(("variable", value.name.value))
        elif isinstance(value, StringValueNode):
            owners.add(("literal", value.value))
        else:
            return None
    return owners.pop() if len(owners) == 1 else None


def mutation_owner(variables: dict[str, Any] | None) -> str | None:
    """The issue or framework a mutation changes, from its variables; ANY when unknown."""
    variables = variables or {}
    given = variables.get("input") if isinstance(variables.get("input"), dict) else {}
    for name in ("issueId", "frameworkId", "id"):
        for source in (given, variables):
            if isinstance(source.get(name), str):
                return source[name]
    return ANY


def cache_key(viewer: str, data: dict) -> str:
    canonical = json.dumps([viewer, data.get("query"), data.get("variables"),
                            data.get("operationName")], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
