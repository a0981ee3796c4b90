"""What free text may hold (services.domain.text): the rule the API's edge and the update
validators share."""

from __future__ import annotations

import pytest

from services.domain.errors import Rejection, RejectionCode
from services.domain.text import field_max, require_clean, require_text, text_problem


@pytest.mark.parametrize("text", [
    "Cloudbeleid", "Eén regel\nen nog één\tmet tab", "🇳🇱 emoji 🙂", "ĳsbeer — Æ ß 中文", "",
])
def test_text_people_write_is_accepted(text: str):
    assert text_problem(text, 100) is None


@pytest.mark.parametrize(("text", "why"), [
    ("x\ud800", "lone surrogate"),  # a JavaScript client cut an emoji in half
    ("\udfff", "lone surrogate"),
    ("a\x00b", "U+0000"),
    ("regel\r\nregel", "U+000D"),
    ("bel\x07", "U+0007"),
    ("esc\x1b[31m", "U+001B"),
    ("c1\x85", "U+0085"),
    ("del\x7f", "U+007F"),
])
def test_text_no_store_or_reader_can_take_is_refused(text: str, why: str):
    problem = text_problem(text, 100)
    assert problem is not None and why in problem


def test_length_is_bounded_per_field():
    assert text_problem("x" * 200, 200) is None
    assert "longer than 200" in text_problem("x" * 201, 200)
    assert field_max("title") == 200
    assert field_max("issueId", is_id=True) == 100
    assert field_max("somethingNew") == 1_000
    one_megabyte = "x" * 1_000_000
    assert "longer than" in text_problem(one_megabyte, field_max("proposal"))


def test_refusals_name_the_field_and_say_why():
    with pytest.raises(Rejection) as refused:
        require_text("x\ud800", "text", 100)
    assert refused.value.code == RejectionCode.INVALID_INPUT
    assert refused.value.message.startswith("text ")
    with pytest.raises(Rejection, match="must not be empty"):
        require_text(" \n ", "motivation", 100)
    assert require_text("  Besluit \n", "motivation", 100) == "Besluit"
    assert require_clean("", "reason", 10) == ""
