"""Temporal's JSON payloads, decoded with each type's hints read once.

The SDK's decoder reads a dataclass's type hints again for every value it decodes; on the
write path (an update's input and answer, the record activity's events and state) that was
about an eighth of the API and worker process's CPU (docs/BENCHMARKS.md). The encoding is
the SDK's own, so payloads stay readable by any Temporal client and in the Web UI; types
this module does not know are left to the SDK's `value_to_type`."""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any

import temporalio.api.common.v1
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
    value_to_type,
)

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
        return hint
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


def _dataclass_decoder(cls: type) -> Decode:
    fields: list[tuple[str, Decode]] = []

    def decode(value: dict[str, Any]) -> Any:
        if not fields:  # filled on first use: a dataclass may refer to itself
            hints = typing.get_type_hints(cls)
            fields.extend((f.name, decoder(hints[f.name]))
                          for f in dataclasses.fields(cls) if f.init)
        return cls(**{name: field(value[name]) for name, field in fields if name in value})

    return decode


class JSONPayloadConverter(JSONPlainPayloadConverter):
    def from_payload(self, payload: temporalio.api.common.v1.Payload,
                     type_hint: type | None = None) -> Any:
        try:
            value = json.loads(payload.data)
        except json.JSONDecodeError as err:
            raise RuntimeError("Failed parsing") from err
        return decoder(type_hint)(value) if type_hint else value


class PayloadConverter(CompositePayloadConverter):
    def __init__(self) -> None:
        super().__init__(*(
            JSONPayloadConverter() if isinstance(c, JSONPlainPayloadConverter) else c
            for c in DefaultPayloadConverter.default_encoding_payload_converters))


DATA_CONVERTER = dataclasses.replace(DataConverter.default,
                                     payload_converter_class=PayloadConverter)
