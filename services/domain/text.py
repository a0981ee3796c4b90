"""What free text may hold: the one rule every input obeys, at the API's edge and again in
the workflow's update validators, so nothing is accepted that a later step cannot store.

Text is valid Unicode that encodes as UTF-8 (no lone surrogates, which a JavaScript client
sends when it cuts a string inside an emoji), holds no control characters except newline
and tab (no NUL, no carriage return, no C1 controls), and has a maximum length per field.
"""

from __future__ import annotations

import json
import unicodedata

from services.domain.errors import RejectionCode, reject

# The longest value each input field takes at the edge, by its GraphQL name. A field not
# listed takes DEFAULT_MAX. The procedure checks some fields more tightly (advice 10,000).
FIELD_MAX: dict[str, int] = {
    "title": 200,
    "titleContains": 200,
    "name": 200,
    "proposal": 20_000,
    "text": 20_000,
    "motivation": 10_000,
    "reason": 10_000,
    "explanation": 20_000,
    "topics": 60,
    "idempotencyKey": 128,
    "definition": 100_000,
    "after": 200,
    "legalBasis": 2_000,
    "abbreviation": 20,
}
ID_MAX = 100
DEFAULT_MAX = 1_000
ALLOWED_CONTROLS = frozenset("\n\t")


def field_max(name: str, is_id: bool = False) -> int:
    return ID_MAX if is_id else FIELD_MAX.get(name, DEFAULT_MAX)


def text_problem(value: str, max_length: int) -> str | None:
    """Why `value` is refused, or None when it is fine. Cheap for the common case: a
    length check, then one pass over the characters."""
    if len(value) > max_length:
        return f"is longer than {max_length} characters"
    if value.isascii():
        if value.isprintable():
            return None
    else:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "is not valid Unicode (a lone surrogate)"
    for char in value:
        if char not in ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
            return f"holds the control character U+{ord(char):04X}"
    return None


def require_clean(value: str, what: str, max_length: int) -> str:
    """Refuses text that is not storable (see module docstring); empty is allowed."""
    problem = text_problem(value, max_length)
    if problem is not None:
        raise reject(RejectionCode.INVALID_INPUT, f"{what} {problem}")
    return value


def require_text(value: str | None, what: str, max_length: int) -> str:
    """Clean, non-empty text; answers it stripped."""
    if value is None or not value.strip():
        raise reject(RejectionCode.INVALID_INPUT, f"{what} must not be empty")
    return require_clean(value, what, max_length).strip()


def stored_size(value: str | None) -> int:
    """Bytes a text takes in the workflow's JSON payloads (non-ASCII is escaped there)."""
    return len(json.dumps(value)) if value else 0
