"""The demo register is what its sources give: the vendored TOOI lists and the dated events
in register_sources.yaml (`stelsel register generate` writes it)."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from services.store.register_data import generate, generated, tooi_names


def test_the_committed_register_is_generated_from_its_sources():
    committed = resources.files("services.store").joinpath("demo_register.json").read_text()
    assert committed == generated(), "run `stelsel register generate`"


def test_the_tooi_lists_give_identity_and_name():
    names = tooi_names()
    assert names["https://identifier.overheid.nl/tooi/id/ministerie/mnre1045"] == \
        "ministerie van Economische Zaken"
    assert names["https://identifier.overheid.nl/tooi/id/oorg/oorg10117"] == "Logius"


def test_an_event_for_an_unknown_unit_or_identity_is_refused():
    names = tooi_names()
    base = {"since": date(2024, 7, 2), "list": "TOOI",
            "units": [{"code": "X", "tooi": "mnre9999", "abbreviation": "X"}], "events": []}
    with pytest.raises(ValueError, match="not in the TOOI lists"):
        generate(base, names)
    base["units"] = [{"code": "AZ", "tooi": "mnre1010", "abbreviation": "AZ"}]
    base["events"] = [{"date": base["since"], "kind": "ABSORBED", "unit": "AZ", "into": "Q",
                       "source": "s"}]
    with pytest.raises(ValueError, match="unknown Q"):
        generate(base, names)
