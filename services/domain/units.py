"""The register's units and its dated changes: what the secretariat may record, and when
a change takes effect.

The register of the default council lists the units (ministries and other organisations)
its seats are per. A rename keeps a unit (same code, same TOOI identity, a new dated name);
an end (absorption, merger) closes it, naming its successor. Every change is dated — the
moment it takes effect, now or later, never earlier: history is recorded, not rewritten —
and says on what legal basis it is made.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from services.domain.appointments import OIN
from services.domain.councils import CouncilRules
from services.domain.errors import RejectionCode, reject
from services.domain.text import require_clean, require_text
from services.domain.types import Actor

CODE = re.compile(r"[A-Za-z][A-Za-z0-9-]{1,19}")
TOOI = re.compile(r"https://identifier\.overheid\.nl/tooi/id/(ministerie/mnre|oorg/oorg)\d{4,5}")
# A clock a little behind the server's is no attempt to date a change in the past.
CLOCK_SKEW = timedelta(minutes=5)
# How far ahead a change may be dated: a cabinet's term.
HORIZON = timedelta(days=4 * 366)


def check_keeper(actor: Actor, default: CouncilRules) -> None:
    """The register's units are kept by the default council's secretariat."""
    if not actor.holds(default.secretariat.code, council=default.id):
        raise reject(RejectionCode.FORBIDDEN,
                     "only the secretariat keeps the register's units")


def effective(valid_from: datetime | None, now: datetime) -> datetime:
    """When a change takes effect: now, or a moment within the horizon; never earlier."""
    if valid_from is None:
        return now
    if valid_from < now - CLOCK_SKEW:
        raise reject(RejectionCode.INVALID_INPUT,
                     "validFrom lies in the past: the register records history, it does "
                     "not rewrite it")
    if valid_from > now + HORIZON:
        raise reject(RejectionCode.INVALID_INPUT,
                     f"validFrom lies more than {HORIZON.days} days ahead")
    return max(valid_from, now)


def legal_basis(text: str | None, required: bool) -> str | None:
    """The basis a change is made on (a decree, a decision of the council)."""
    if text is None or not text.strip():
        if required:
            raise reject(RejectionCode.INVALID_INPUT,
                         "legalBasis must say on what basis the change is made")
        return None
    return require_clean(text, "legalBasis", 2_000).strip()


def check_new_unit(code: str, name: str, abbreviation: str, tooi: str | None,
                   known_codes: set[str], known_tooi: set[str]) -> None:
    if not CODE.fullmatch(code):
        raise reject(RejectionCode.INVALID_INPUT,
                     "code: 2 to 20 letters, digits or hyphens, starting with a letter")
    if code.lower() in {c.lower() for c in known_codes}:
        raise reject(RejectionCode.DUPLICATE, f"a unit {code} exists already")
    check_name(name, abbreviation)
    if tooi is not None:
        if not TOOI.fullmatch(tooi):
            raise reject(RejectionCode.INVALID_INPUT,
                         "tooi: a TOOI URI of a ministry or organisation, "
                         "https://identifier.overheid.nl/tooi/id/ministerie/mnre…")
        if tooi in known_tooi:
            raise reject(RejectionCode.DUPLICATE, f"a unit with {tooi} exists already: a "
                         "renamed organisation keeps its unit (renameUnit)")


def check_oin(oin: str, code: str, taken: dict[str, str]) -> None:
    """`taken`: OIN -> the unit that has it."""
    if not OIN.fullmatch(oin):
        raise reject(RejectionCode.INVALID_INPUT, "oin: an organisation number of 20 digits")
    if taken.get(oin, code) != code:
        raise reject(RejectionCode.DUPLICATE, f"unit {taken[oin]} has this OIN already")


def check_name(name: str, abbreviation: str) -> None:
    require_text(name, "name", 200)
    require_text(abbreviation, "abbreviation", 20)


def check_rename(code: str, in_force: bool, current: tuple[str, str], last_from: datetime,
                 name: str, abbreviation: str, at: datetime) -> None:
    """`current`: the (name, abbreviation) the unit bears last; `last_from` since when."""
    if not in_force:
        raise reject(RejectionCode.PRECONDITION_FAILED, f"unit {code} is not in force then")
    check_name(name, abbreviation)
    if (name.strip(), abbreviation.strip()) == current:
        raise reject(RejectionCode.DUPLICATE, f"unit {code} bears this name already")
    if at <= last_from:
        raise reject(RejectionCode.INVALID_INPUT,
                     f"unit {code} was named on {last_from.date().isoformat()}: a rename "
                     "takes effect after that")


def check_end(code: str, in_force: bool, successor: str | None,
              successor_in_force: bool) -> None:
    if not in_force:
        raise reject(RejectionCode.PRECONDITION_FAILED, f"unit {code} is not in force then")
    if successor is not None:
        if successor == code:
            raise reject(RejectionCode.INVALID_INPUT, "a unit does not succeed itself")
        if not successor_in_force:
            raise reject(RejectionCode.INVALID_INPUT,
                         f"successor {successor} is not in force when {code} ends")
