"""Plain values (JSON from Temporal, BSON from MongoDB) made into typed dataclasses and
enums, with each type's hints read once: the one decoder the workflows' payloads and the
store's read models share."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any

from temporalio.converter import value_to_type

Decode = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


@functools.cache
def decoder(hint: Any) -> Decode:
    """A function from a JSON value to `hint`, built once per hint."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or hint in (str, bool):
        return _same
    if hint in (int, float):
        return hint
    if hint is datetime:
        return lambda value: value if isinstance(value, datetime) else datetime.fromisoformat(
            value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_decoder(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        decode = decoder(inner)
        return lambda value: None if value is None else decode(value)
    if origin is list and args:
        item = decoder(args[0])
        return lambda value: [item(v) for v in value]
    if origin is dict and len(args) == 2 and args[0] is str:
        entry = decoder(args[1])
        return lambda value: {k: entry(v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass_decoder(hint)
    return lambda value: value_to_type(hint, value)


def _enum_decoder(enum: type[Enum]) -> Decode:
    members = enum._value2member_map_

    def decode(value: Any) -> Enum:
        try:
            return members[value]
        except (KeyError, TypeError):  # not a value of it: the enum says so (ValueError)
            return enum(value)

    return decode


def _dataclass_decoder(cls: type) -> Decode:
    compiled: list[Decode] = []

    def decode(value: dict[str, Any]) -> Any:
        if not compiled:  # made on first use: a dataclass may refer to itself
            # Names resolved where the class was defined: inside Temporal's sandbox the
            # module table may lack that module when only its importers were passed through.
            hints = typing.get_type_hints(cls, globalns=cls.__init__.__globals__)
            compiled.append(_compiled(cls, [(f.name, decoder(hints[f.name]))
                                            for f in dataclasses.fields(cls) if f.init]))
        return compiled[0](value)

    return decode


def _compiled(cls: type, fields: list[tuple[str, Decode]]) -> Decode:
    """One function per dataclass, written out: every field at once when the value has
    them all (a payload, a current record), else those it has (an older record keeps the
    defaults of fields added since). A value as it is needs no call."""
    names = {f"f{n}": field for n, (_, field) in enumerate(fields)}

    def read(n: int, name: str) -> str:
        return (f"value[{name!r}]" if fields[n][1] is _same
                else f"f{n}(value[{name!r}])")

    every = ", ".join(f"{name}={read(n, name)}" for n, (name, _) in enumerate(fields))
    some = "".join(f"    if {name!r} in value: kwargs[{name!r}] = {read(n, name)}\n"
                   for n, (name, _) in enumerate(fields))
    source = (f"def decode(value):\n"
              f"    if len(value) >= {len(fields)}:\n"
              f"        try:\n"
              f"            return cls({every})\n"
              f"        except KeyError:\n"
              f"            pass\n"
              f"    kwargs = {{}}\n{some}"
              f"    return cls(**kwargs)\n")
    scope = {"cls": cls, **names}
    exec(compile(source, f"<decoder of {cls.__qualname__}>", "exec"), scope)  # noqa: S102
    return scope["decode"]
