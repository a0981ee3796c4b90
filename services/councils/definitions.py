"""Council definitions read from YAML or JSON: checked against the published JSON Schema
(`schema/council.schema.json`), then against the rules a schema cannot say (one chair, unique
codes, windows within bounds), and made into the domain's CouncilDefinition. A refusal
names the path of the first problem: `procedure.vote.rule: 'UNANIMOUS' is not one of …`."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from services.domain.councils import (
    CouncilRole,
    CouncilRules,
    Label,
    RoleKind,
    SeatKind,
    Unit,
    WindowBounds,
)
from services.domain.procedure import CouncilDefinition
from services.domain.types import Procedure, VoteRule

HERE = Path(__file__).parent
SCHEMA_PATH = HERE / "council.schema.json"
PRESETS = HERE / "presets"
# A definition is a page of text, not a data dump.
MAX_BYTES = 100_000
DAY = 86_400
# No window runs past this: a deadline beyond it is a typing error, and one past the
# calendar's end is one the workflow could not compute.
MAX_SECONDS = 10 * 365 * DAY
# Deeper than any definition nests; deeper text would exhaust the parser's stack.
MAX_DEPTH = 20
# The council whose rules were code before councils were data: issues and frameworks of
# that time keep to its first version.
LEGACY_COUNCIL = "cio-beraad"
DEFAULT_BOUNDS = ("P1D", "P365D")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_UNITS = (365 * DAY, 30 * DAY, 7 * DAY, DAY, 3600, 60, 1)


class InvalidDefinition(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def read(text: str) -> CouncilDefinition:
    """The definition in `text`, or InvalidDefinition with the path of the first problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidDefinition("", f"a definition is at most {MAX_BYTES:,} bytes")
    data = _parsed(text)
    if not isinstance(data, dict):
        raise InvalidDefinition("", "a definition is a mapping (id, version, name, …)")
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        raise _explained(error)
    return _definition(data, text)


def _parsed(text: str) -> Any:
    """YAML (or JSON) without anchors and aliases, which would let a page of text unfold
    into gigabytes, and nested no deeper than a definition is."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InvalidDefinition("", "anchors and aliases (&, *) are not allowed")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InvalidDefinition("", f"nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidDefinition("", f"not YAML or JSON: {error}".splitlines()[0]) from None


def content_hash(data: dict[str, Any]) -> str:
    """The same definition hashes the same however it is written (YAML or JSON, order)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def presets() -> dict[str, str]:
    """The definitions shipped with the project, by id: {id: text}."""
    found = {}
    for path in sorted(PRESETS.glob("*.yaml")):
        found[path.stem] = path.read_text()
    return found


@cache
def preset(council_id: str) -> CouncilDefinition:
    return read(presets()[council_id])


# -- the first problem, in words ----------------------------------------------------------


def _path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _explained(error: ValidationError) -> InvalidDefinition:
    path = list(error.absolute_path)
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return InvalidDefinition(_path(path), f"{error.instance!r} is not one of {allowed}")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known)[0]
        return InvalidDefinition(_path([*path, extra]), "unknown key")
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return InvalidDefinition(_path([*path, missing]), "is required")
    if error.validator == "pattern" and "duration" in str(error.schema.get("description", "")):
        return InvalidDefinition(_path(path), f"{error.instance!r} is not an ISO-8601 "
                                 "duration such as P10D or PT30S")
    return InvalidDefinition(_path(path), error.message)


# -- what a schema cannot say -------------------------------------------------------------


def seconds(duration: str, path: str) -> int:
    match = _DURATION.match(duration)
    if not match or not any(match.groups()):
        raise InvalidDefinition(path, f"{duration!r} is not an ISO-8601 duration")
    if sum(len(n) for n in match.groups() if n) > 12:
        raise InvalidDefinition(path, "is longer than ten years")
    total = sum(int(n) * unit for n, unit in zip(match.groups(), _UNITS, strict=True) if n)
    if total <= 0:
        raise InvalidDefinition(path, "must be longer than zero")
    if total > MAX_SECONDS:
        raise InvalidDefinition(path, "is longer than ten years")
    return total


def share(value: float | str, path: str) -> float:
    if isinstance(value, str):
        if len(value) > 13:
            raise InvalidDefinition(path, "write a share with at most six digits each side")
        top, _, bottom = value.partition("/")
        if int(bottom) == 0:
            raise InvalidDefinition(path, "divides by zero")
        fraction = Fraction(int(top), int(bottom))
        if not 0 < fraction <= 1:
            raise InvalidDefinition(path, "must satisfy 0 < share <= 1")
        return float(fraction)
    return float(value)


def _label(data: dict[str, str]) -> Label:
    return Label(data["nl"], data.get("en", ""))


def _roles(data: list[dict[str, Any]]) -> list[CouncilRole]:
    roles, seen = [], set()
    for i, item in enumerate(data):
        if item["code"] in seen:
            raise InvalidDefinition(f"roles[{i}].code", f"{item['code']!r} is defined twice")
        seen.add(item["code"])
        role = CouncilRole(item["code"], RoleKind(item["kind"]), SeatKind(item["seats"]),
                           _label(item["name"]), item.get("privacy", False))
        if role.privacy and role.kind != RoleKind.ADVISOR:
            raise InvalidDefinition(f"roles[{i}].privacy", "only an ADVISOR gives privacy advice")
        roles.append(role)
    for kind, seats in ((RoleKind.MEMBER, SeatKind.UNIT), (RoleKind.CHAIR, SeatKind.COUNCIL),
                        (RoleKind.SECRETARIAT, SeatKind.COUNCIL)):
        of_kind = [r for r in roles if r.kind == kind]
        if len(of_kind) != 1:
            raise InvalidDefinition("roles", f"needs exactly one {kind.value} role "
                                    f"(seats: {seats.value}), has {len(of_kind)}")
        if of_kind[0].seats != seats:
            index = roles.index(of_kind[0])
            raise InvalidDefinition(f"roles[{index}].seats",
                                    f"a {kind.value} has seats: {seats.value}")
    if sum(r.privacy for r in roles) > 1:
        raise InvalidDefinition("roles", "at most one role gives the privacy advice")
    return roles


def _units(data: Any) -> list[Unit] | None:
    if isinstance(data, dict):
        return None
    units, seen = [], set()
    for i, item in enumerate(data):
        if item["code"] in seen:
            raise InvalidDefinition(f"units[{i}].code", f"{item['code']!r} is listed twice")
        seen.add(item["code"])
        units.append(Unit(item["code"], _label(item["name"])))
    return units


def _procedure(data: dict[str, Any]) -> tuple[Procedure, WindowBounds]:
    p = data["procedure"]
    bounds_data = p.get("windowBounds", dict(zip(("min", "max"), DEFAULT_BOUNDS, strict=True)))
    bounds = WindowBounds(seconds(bounds_data["min"], "procedure.windowBounds.min"),
                          seconds(bounds_data["max"], "procedure.windowBounds.max"))
    if bounds.min_seconds > bounds.max_seconds:
        raise InvalidDefinition("procedure.windowBounds", "min exceeds max")
    windows: dict[str, int] = {}
    for key in ("advice", "deliberation", "vote", "mandate", "departmentalDecision"):
        if key in p:
            path = f"procedure.{key}.window"
            windows[key] = seconds(p[key]["window"], path)
            if not bounds.min_seconds <= windows[key] <= bounds.max_seconds:
                raise InvalidDefinition(path, "lies outside procedure.windowBounds")
    vote = p["vote"]
    rule = VoteRule(vote["rule"])
    threshold = 2 / 3
    if rule == VoteRule.QUALIFIED_MAJORITY:
        if "threshold" not in vote:
            raise InvalidDefinition("procedure.vote.threshold", "is required by QUALIFIED_MAJORITY")
        threshold = share(vote["threshold"], "procedure.vote.threshold")
        if threshold <= 0.5:
            raise InvalidDefinition("procedure.vote.threshold",
                                    "a qualified majority is more than half")
    elif "threshold" in vote:
        raise InvalidDefinition("procedure.vote.threshold", "only with QUALIFIED_MAJORITY")
    frameworks = data.get("frameworks", {})
    procedure = Procedure(
        advice_window_seconds=windows.get("advice", 0),
        deliberation_window_seconds=windows.get("deliberation", 0),
        vote_window_seconds=windows["vote"],
        mandate_window_seconds=windows["mandate"],
        quorum=share(vote["quorum"], "procedure.vote.quorum"),
        vote_rule=rule,
        threshold=threshold,
        privacy_extensions=p.get("advice", {}).get("privacyExtensions", 1),
        departmental_decision_window_seconds=windows.get("departmentalDecision"),
        adoption_window_seconds=seconds(frameworks.get("adoptionWindow", "P180D"),
                                        "frameworks.adoptionWindow"),
        adoption_reminder_seconds=seconds(frameworks.get("reminderInterval", "P7D"),
                                          "frameworks.reminderInterval"),
        reminder_lead_seconds=(seconds(data["reminders"]["leadTime"], "reminders.leadTime")
                               if "reminders" in data else 0),
    )
    return procedure, bounds


def _definition(data: dict[str, Any], text: str) -> CouncilDefinition:
    roles = _roles(data["roles"])
    units = _units(data["units"])
    procedure, bounds = _procedure(data)
    rules = CouncilRules(
        id=data["id"], version=data["version"], hash=content_hash(data),
        name=_label(data["name"]), unit_term=_label(data["unitTerm"]), roles=roles,
        scopes={k: _label(v) for k, v in data["scopes"].items()},
    )
    basis = _label(data["basis"]) if "basis" in data else None
    return CouncilDefinition(rules, procedure, bounds, units, "frameworks" in data, basis, text)
