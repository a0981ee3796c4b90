"""Temporal's JSON payloads, decoded with each type's hints read once.

The SDK's decoder reads a dataclass's type hints again for every value it decodes; on the
write path (an update's input and answer, the record activity's events and state) that was
about an eighth of the API and worker process's CPU (docs/BENCHMARKS.md). The encoding is
the SDK's own, so payloads stay readable by any Temporal client and in the Web UI; types
this module does not know are left to the SDK's `value_to_type`."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import temporalio.api.common.v1
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
)

from services.typed import decoder


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
