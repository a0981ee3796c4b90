"""Who may see what (DESIGN.md): what is said inside the council resolves only for callers
who hold an appointment. Every such field carries `Internal`; a test walks the schema and
fails on an internal type or field without it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryList, StrawberryOptional


class Internal(FieldExtension):
    """Anyone without an appointment gets `public(source, info)` (a value or an awaitable)
    if given, else the empty value of the field's type: [] for a list, null otherwise.
    Never an error: a public dashboard's query must not break."""

    def __init__(self, public: Callable[[Any, Info], Any] | None = None) -> None:
        self.public = public
        self.empty: Any = None

    def apply(self, field) -> None:
        if isinstance(field.type, StrawberryList):
            self.empty = []
        elif not isinstance(field.type, StrawberryOptional) and self.public is None:
            raise TypeError(f"{field.name}: an internal field must be a list, nullable, or "
                            "have a public variant")

    async def resolve_async(self, next_: AsyncExtensionResolver, source: Any, info: Info,
                            **kwargs: Any) -> Any:
        if await info.context.sees_deliberation():
            return await next_(source, info, **kwargs)
        if self.public is None:
            return self.empty
        value = self.public(source, info)
        return await value if inspect.isawaitable(value) else value
