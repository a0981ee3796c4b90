"""Who may raise what: checked by the API before an issue's workflow starts."""

from __future__ import annotations

from services.domain.errors import RejectionCode, reject
from services.domain.text import require_text
from services.domain.types import Actor, Role, Scope

TITLE_MAX = 200
PROPOSAL_MAX = 20_000
TOPICS_MAX = 20
TOPIC_MAX = 60


def check_raise(
    actor: Actor,
    scope: Scope,
    ministry: str | None,
    ministries_in_force: list[str],
    title: str,
    proposal: str,
    topics: list[str],
) -> str | None:
    """Returns the owning ministry (None for a government-wide issue of the CIO Rijk)."""
    require_text(title, "title", TITLE_MAX)
    require_text(proposal, "proposal", PROPOSAL_MAX)
    if len(topics) > TOPICS_MAX:
        raise reject(RejectionCode.INVALID_INPUT, f"topics: at most {TOPICS_MAX}")
    for topic in topics:
        require_text(topic, "topics", TOPIC_MAX)
    if ministry is not None and ministry not in ministries_in_force:
        raise reject(RejectionCode.INVALID_INPUT, f"ministry {ministry} is not in force")

    own = actor.ministries_as(Role.CIO)
    if scope == Scope.DEPARTMENTAL:
        if ministry is None:
            raise reject(RejectionCode.INVALID_INPUT, "a departmental issue needs its ministry")
        if ministry not in own:
            raise reject(
                RejectionCode.FORBIDDEN, "a CIO may raise an issue only for their own ministry"
            )
        return ministry

    if ministry is not None:
        if ministry not in own:
            raise reject(
                RejectionCode.FORBIDDEN, "a CIO may raise an issue only for their own ministry"
            )
        return ministry
    if actor.holds(Role.CIO_RIJK):
        return None
    own_in_force = [m for m in own if m in ministries_in_force]
    if len(own_in_force) == 1:
        return own_in_force[0]
    if len(own_in_force) > 1:
        raise reject(RejectionCode.INVALID_INPUT, "you are CIO of several ministries: say which")
    raise reject(
        RejectionCode.FORBIDDEN, "only a ministry's CIO or the CIO Rijk may raise an issue"
    )
