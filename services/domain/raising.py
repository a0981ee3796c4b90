"""Who may raise what: checked by the API before an issue's workflow starts."""

from __future__ import annotations

from services.domain.councils import CouncilRules
from services.domain.errors import RejectionCode, reject
from services.domain.text import require_text
from services.domain.types import Actor, Scope

TITLE_MAX = 200
PROPOSAL_MAX = 20_000
TOPICS_MAX = 20
TOPIC_MAX = 60


def check_procedure_change(council: CouncilRules, proposed: CouncilRules, scope: Scope,
                           binding_framework: bool) -> None:
    """A council changes its own procedure through its own procedure: a council-wide issue
    whose proposal is the council's next version."""
    if proposed.id != council.id:
        raise reject(RejectionCode.INVALID_INPUT,
                     f"definition: proposes council {proposed.id}, the issue is {council.id}'s")
    if proposed.version == council.version:
        raise reject(RejectionCode.INVALID_INPUT,
                     f"definition: version {proposed.version} is in force; give a new version")
    if scope != Scope.GOVERNMENT_WIDE or binding_framework:
        raise reject(RejectionCode.INVALID_INPUT,
                     "a procedure change concerns the whole council and sets no framework")


def check_raise(
    actor: Actor,
    council: CouncilRules,
    scope: Scope,
    ministry: str | None,
    ministries_in_force: list[str],
    title: str,
    proposal: str,
    topics: list[str],
) -> str | None:
    """Returns the owning unit (None for a council-wide issue of the chair)."""
    require_text(title, "title", TITLE_MAX)
    require_text(proposal, "proposal", PROPOSAL_MAX)
    if len(topics) > TOPICS_MAX:
        raise reject(RejectionCode.INVALID_INPUT, f"topics: at most {TOPICS_MAX}")
    for topic in topics:
        require_text(topic, "topics", TOPIC_MAX)
    term = council.unit_term.english
    if ministry is not None and ministry not in ministries_in_force:
        raise reject(RejectionCode.INVALID_INPUT, f"{term} {ministry} is not in force")

    member, chair = council.member.code, council.chair
    own = actor.ministries_as(member, council.id)
    not_own = f"a {member} may raise an issue only for their own {term}"
    if scope == Scope.DEPARTMENTAL:
        if ministry is None:
            raise reject(RejectionCode.INVALID_INPUT, f"a departmental issue needs its {term}")
        if ministry not in own:
            raise reject(RejectionCode.FORBIDDEN, not_own)
        return ministry

    if ministry is not None:
        if ministry not in own:
            raise reject(RejectionCode.FORBIDDEN, not_own)
        return ministry
    if actor.holds(chair.code, council=council.id):
        return None
    own_in_force = [m for m in own if m in ministries_in_force]
    if len(own_in_force) == 1:
        return own_in_force[0]
    if len(own_in_force) > 1:
        raise reject(RejectionCode.INVALID_INPUT,
                     f"you are {member} of several units: say which")
    raise reject(
        RejectionCode.FORBIDDEN,
        f"only a {term}'s {member} or the {chair.name.nl} may raise an issue in {council.id}"
    )
