"""The procedure of DESIGN.md as a state machine over CycleState.

Every `check_*` only reads and raises a Rejection: workflow update validators call them, so a
refused request never reaches history. Every action calls its check again, changes the
state and returns the timeline events it caused. `now` always comes from the caller (the
workflow's clock), never from here.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from services.domain.awaiting import (
    council_of,
    has_recused,
    recused_members,
    waiting_seats,
)
from services.domain.commands import (
    AmendProposalInput,
    CastVoteInput,
    ClosePhaseInput,
    ContributeInput,
    DecideInput,
    RaiseIssueInput,
    ReclassifyInput,
    RecuseInput,
    SubmitAdviceInput,
    WithdrawInput,
)
from services.domain.councils import CouncilRules
from services.domain.errors import RejectionCode, reject
from services.domain.text import require_text, stored_size
from services.domain.types import (
    CLOSED_PHASES,
    Actor,
    Advice,
    AdviceStance,
    Contribution,
    CycleState,
    Decision,
    DecisionOutcome,
    DecisionRoute,
    EventKind,
    Holder,
    IssueEvent,
    Phase,
    Recusal,
    Register,
    Scope,
    Seat,
    Tally,
    Vote,
    VoteChoice,
    VoteRule,
)

TEXT_MAX = 10_000
PROPOSAL_MAX = 20_000
# What the cycle's free text may add up to, as stored in Temporal's JSON payloads: the state
# travels in update results and continue-as-new, which Temporal caps at 2 MB a payload.
RECORD_BUDGET = 1_000_000
# Float shares such as 8/12 against a quorum of 2/3 must count as met.
QUORUM_EPSILON = 1e-9


def undo_point(state: CycleState) -> CycleState:
    """A copy of the state to put back when a change cannot be stored. The cycle never
    changes an item of its lists in place (it appends, or replaces a list or a field), so
    new containers make the copy independent: cheap enough for every change."""
    return dataclasses.replace(
        state, topics=list(state.topics), advisory_seats=list(state.advisory_seats),
        members=list(state.members), advice=list(state.advice),
        contributions=list(state.contributions), votes=list(state.votes),
        requests=dict(state.requests), recusals=list(state.recusals))


def count_votes(members: list[str], votes: list[tuple[str, VoteChoice]]) -> Tally:
    """The tally of the last vote of each member ministry, as (ministry, choice) pairs."""
    choices = [choice for ministry, choice in votes if ministry in members]
    agree = choices.count(VoteChoice.AGREE)
    abstain = choices.count(VoteChoice.ABSTAIN)
    objected = choices.count(VoteChoice.OBJECT)
    return Tally(agree, abstain, objected, len(members) - len(choices), len(members))


def tally(state: CycleState) -> Tally:
    return tally_of(state.members, state.votes, state.recusals)


def tally_of(members: list[str], votes: list[Vote], recusals: list[Recusal]) -> Tally:
    """The vote of the members that did not recuse: a recused seat leaves the quorum base."""
    recused = {r.ministry for r in recusals if r.member}
    counted = count_votes([m for m in members if m not in recused],
                          [(v.ministry, v.choice) for v in votes])
    return dataclasses.replace(counted, recused=sum(m in recused for m in members))


def vote_result(state: CycleState, at_deadline: bool
                ) -> tuple[DecisionRoute, DecisionOutcome] | None:
    """What the vote decides by the council's rule, or None when it goes on (early) or goes
    to the mandate (at the close). Every rule decides early once every member has voted;
    at the close only when the quorum of members has voted."""
    t, procedure = tally(state), state.procedure
    if not t.eligible:
        return None
    everyone = t.not_voted == 0
    if not (everyone if not at_deadline else
            everyone or t.voted / t.eligible + QUORUM_EPSILON >= procedure.quorum):
        return None
    if procedure.vote_rule == VoteRule.CONSENSUS:
        # Nobody objects and at least one agrees; anything else is for the mandate.
        agreed = not t.object and t.agree > 0
        return (DecisionRoute.CONSENSUS, DecisionOutcome.ADOPTED) if agreed else None
    if procedure.vote_rule == VoteRule.MAJORITY:
        adopted = t.agree > t.object
    else:
        cast = t.agree + t.object
        adopted = cast > 0 and t.agree / cast + QUORUM_EPSILON >= procedure.threshold
    return DecisionRoute.MAJORITY, (DecisionOutcome.ADOPTED if adopted
                                    else DecisionOutcome.REJECTED)


def extensions_used(state: CycleState) -> int:
    """How often the advice window was extended; issues from before the count was kept
    know only whether it was."""
    return max(state.advice_extensions, int(state.advice_extended))


def waiting_on(state: CycleState) -> list[str]:
    """Who still has to act in the current phase."""
    council = council_of(state)
    chair = council.chair
    words = {Phase.DELIBERATION: f"{chair.name.nl} (sluit het beraad)",
             Phase.MANDATE: f"{chair.name.nl} (besluit met mandaat)"}
    if state.phase == Phase.DEPARTMENTAL_DECISION:
        return [f"{council.member.code} {state.ministry} (besluit)"]
    return [words.get(state.phase) or _seat_words(seat) for seat in waiting_seats(state)]


def privacy_advice_missing(state: CycleState) -> bool:
    """The issue touches personal data and the council's privacy advisor has not advised
    yet (a council without one has no such precondition)."""
    privacy = council_of(state).privacy
    return (state.touches_personal_data and privacy is not None
            and not any(a.role == privacy.code for a in state.advice))


def advisory_seats(scope: Scope, ministry: str | None, register: Register) -> list[Seat]:
    """A departmental issue asks its unit's advisors, a council-wide one every unit's; the
    council's own advisors (a seat without a unit) are asked on every issue."""
    if scope == Scope.DEPARTMENTAL:
        return [s for s in register.advisory_seats if s.ministry in (ministry, None)]
    return [s for s in register.advisory_seats
            if s.ministry is None or s.ministry in register.ministries]


class Cycle:
    def __init__(self, state: CycleState) -> None:
        self.state = state
        self.council = council_of(state)

    @classmethod
    def raised(cls, cmd: RaiseIssueInput, now: datetime) -> Cycle:
        return cls(
            CycleState(
                issue_id=cmd.issue_id,
                title=cmd.title.strip(),
                proposal=cmd.proposal.strip(),
                scope=cmd.scope,
                ministry=cmd.ministry,
                raised_by=cmd.actor.person_id,
                raised_at=now,
                topics=[t.strip() for t in cmd.topics],
                touches_personal_data=cmd.touches_personal_data,
                binding_framework=cmd.binding_framework,
                procedure=cmd.procedure,
                council=cmd.council,
                kind=cmd.kind,
                definition=cmd.definition,
            )
        )

    # -- reading --------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.state.phase in CLOSED_PHASES

    def privacy_advice_missing(self) -> bool:
        return privacy_advice_missing(self.state)

    def _scope_words(self, scope: Scope) -> str:
        return self.council.scopes[scope.value].nl

    def _route_words(self, route: DecisionRoute) -> str:
        return {DecisionRoute.CONSENSUS: "consensus", DecisionRoute.MAJORITY: "stemming",
                DecisionRoute.MANDATE: f"mandaat {self.council.chair.name.nl}",
                DecisionRoute.DEPARTMENTAL: self._scope_words(Scope.DEPARTMENTAL)}[route]

    def _is_chair(self, actor: Actor) -> bool:
        return actor.holds(self.council.chair.code, council=self.council.id)

    def _advised(self, seat: Seat) -> bool:
        return any(a.ministry == seat.ministry and a.role == seat.role for a in self.state.advice)

    def _advice_done(self) -> bool:
        """Every advisory seat has advised or recused, and the privacy advice is in."""
        return all(self._advised(seat) or has_recused(self.state, seat)
                   for seat in self.state.advisory_seats) and not self.privacy_advice_missing()

    def record_size(self) -> int:
        s = self.state
        return (stored_size(s.proposal) + stored_size(s.definition)
                + sum(stored_size(a.text) for a in s.advice)
                + sum(stored_size(c.text) for c in s.contributions)
                + sum(stored_size(v.reason) for v in s.votes)
                + sum(stored_size(r.reason) for r in s.recusals))

    def _require_room(self, added: int) -> None:
        """Text that would grow the record past its budget is refused before it is taken:
        a record Temporal cannot carry would stop the issue."""
        if added > 0 and self.record_size() + added > RECORD_BUDGET:
            raise reject(RejectionCode.PRECONDITION_FAILED,
                         f"the issue's record is full ({RECORD_BUDGET:,} bytes of text); "
                         "the chair can still close the phase and decide")

    def _require_phase(self, *phases: Phase) -> None:
        if self.state.phase not in phases:
            names = " or ".join(p.value for p in phases)
            raise reject(
                RejectionCode.WRONG_PHASE,
                f"the issue is in {self.state.phase.value}; this needs {names}",
            )

    def _require_open(self) -> None:
        if self.closed:
            raise reject(RejectionCode.WRONG_PHASE, f"the issue is {self.state.phase.value}")

    # -- raise ----------------------------------------------------------------------------

    def start(self, actor: Actor, now: datetime, register: Register) -> list[IssueEvent]:
        s = self.state
        where = f"{self._scope_words(s.scope)}{', ' + s.ministry if s.ministry else ''}"
        if not s.procedure.advice_window_seconds:
            # The council skips advice: the issue goes on as if advice had closed.
            raised = self._event(EventKind.RAISED, now, actor,
                                 f"{actor.name} diende een zaak in ({where})",
                                 f"Zaak ingediend ({where})")
            return [raised, *self._end_advice(now, "deze raad vraagt geen advies", None,
                                              register)]
        s.advisory_seats = advisory_seats(s.scope, s.ministry, register)
        self._enter(Phase.ADVICE, now, s.procedure.advice_window_seconds)
        return [
            self._event(
                EventKind.RAISED,
                now,
                actor,
                f"{actor.name} diende een zaak in ({where}); "
                f"{len(s.advisory_seats)} adviseurs gevraagd om advies",
                f"Zaak ingediend ({where})",
            )
        ]

    # -- advice ---------------------------------------------------------------------------

    def check_submit_advice(self, cmd: SubmitAdviceInput) -> Seat:
        self._require_phase(Phase.ADVICE)
        advisors = [r.code for r in self.council.advisors]
        if cmd.role is not None and cmd.role not in advisors:
            raise reject(RejectionCode.INVALID_INPUT,
                         "role must be one of " + ", ".join(advisors))
        held = [
            seat
            for seat in self.state.advisory_seats
            if cmd.actor.holds(seat.role, seat.ministry, self.council.id)
            and cmd.role in (None, seat.role)
        ]
        if not held:
            raise reject(RejectionCode.FORBIDDEN, "you hold no advisory seat for this issue")
        if cmd.role is None and len({seat.role for seat in held}) > 1:
            raise reject(
                RejectionCode.INVALID_INPUT, "you hold several advisory roles: give the role"
            )
        text = require_text(cmd.text, "text", TEXT_MAX)
        self._require_room(stored_size(text))
        open_seats = [seat for seat in held if not self._advised(seat)]
        if not open_seats:
            raise reject(RejectionCode.DUPLICATE, "this seat has already advised")
        taking_part = [seat for seat in open_seats if not has_recused(self.state, seat)]
        if not taking_part:
            raise reject(RejectionCode.FORBIDDEN, "this seat recused on this issue")
        return taking_part[0]

    def submit_advice(self, cmd: SubmitAdviceInput, now: datetime,
                      register: Register | None = None) -> list[IssueEvent]:
        seat = self.check_submit_advice(cmd)
        s = self.state
        holder = cmd.actor.deputising(seat.role, seat.ministry, self.council.id)
        s.advice.append(
            Advice(
                seat.ministry,
                seat.role,
                cmd.actor.person_id,
                cmd.stance,
                cmd.text.strip(),
                now,
                s.proposal_version,
                holder and holder.person_id,
            )
        )
        events = [
            self._event(
                EventKind.ADVICE_SUBMITTED,
                now,
                cmd.actor,
                f"{cmd.actor.name}{_standing_in(holder)} ({_seat_words(seat)}) adviseerde: "
                f"{STANCE_WORDS[cmd.stance]}",
                f"Advies {seat.role} uitgebracht",
            )
        ]
        if self._advice_done():
            events += self._end_advice(now, "alle adviseurs hebben geadviseerd", None,
                                       register)
        return events

    def needs_register(self) -> bool:
        """Whether ending the current phase may open the vote, which fixes its members from
        the register: the deliberation, or the advice of a council that skips deliberation."""
        s = self.state
        return s.phase == Phase.DELIBERATION or (
            s.phase == Phase.ADVICE and not s.procedure.deliberation_window_seconds)

    def _end_advice(self, now: datetime, why: str, actor: Actor | None,
                    register: Register | None) -> list[IssueEvent]:
        s = self.state
        if s.scope != Scope.GOVERNMENT_WIDE:
            self._enter(Phase.DEPARTMENTAL_DECISION, now, self._decision_window())
        elif s.procedure.deliberation_window_seconds:
            self._enter(Phase.DELIBERATION, now, s.procedure.deliberation_window_seconds)
        else:
            if register is None:
                raise ValueError("the vote opens after advice: the register is needed")
            return self._open_vote(now, register, actor, why)
        return [self._phase_changed(now, actor, why)]

    def _decision_window(self) -> int:
        procedure = self.state.procedure
        return procedure.departmental_decision_window_seconds or procedure.mandate_window_seconds

    # -- deliberation ---------------------------------------------------------------------

    def check_contribute(self, cmd: ContributeInput) -> None:
        self._require_phase(Phase.DELIBERATION)
        council = self.council
        if not (cmd.actor.holds(council.member.code, council=council.id)
                or cmd.actor.holds(council.chair.code, council=council.id)):
            raise reject(RejectionCode.FORBIDDEN,
                         f"only the {council.member.code}s and the {council.chair.name.nl} "
                         "contribute")
        own = cmd.actor.ministries_as(council.member.code, council.id)
        if own and not self._is_chair(cmd.actor) and set(own) <= recused_members(self.state):
            raise reject(RejectionCode.FORBIDDEN, "your seat recused on this issue")
        self._require_room(stored_size(require_text(cmd.text, "text", TEXT_MAX)))

    def contribute(self, cmd: ContributeInput, now: datetime) -> list[IssueEvent]:
        self.check_contribute(cmd)
        council = self.council
        own = cmd.actor.ministries_as(council.member.code, council.id)
        ministry = own[0] if own else None
        holder = (None if ministry is None or self._is_chair(cmd.actor)
                  else cmd.actor.deputising(council.member.code, ministry, council.id))
        self.state.contributions.append(
            Contribution(cmd.actor.person_id, ministry, cmd.text.strip(), now,
                         holder and holder.person_id)
        )
        return [
            self._event(
                EventKind.CONTRIBUTION_POSTED,
                now,
                cmd.actor,
                f"{cmd.actor.name}{_standing_in(holder)} droeg bij aan het beraad",
                "Er is een bijdrage geplaatst",
            )
        ]

    def check_amend_proposal(self, cmd: AmendProposalInput) -> None:
        self._require_phase(Phase.DELIBERATION)
        if cmd.actor.person_id != self.state.raised_by:
            raise reject(RejectionCode.FORBIDDEN, "only the raiser may amend the proposal")
        text = require_text(cmd.proposal, "proposal", PROPOSAL_MAX)
        if text == self.state.proposal:
            raise reject(RejectionCode.INVALID_INPUT, "the proposal is unchanged")
        self._require_room(stored_size(text) - stored_size(self.state.proposal))

    def amend_proposal(self, cmd: AmendProposalInput, now: datetime) -> list[IssueEvent]:
        self.check_amend_proposal(cmd)
        s = self.state
        s.proposal = cmd.proposal.strip()
        s.proposal_version += 1
        return [
            self._event(
                EventKind.PROPOSAL_AMENDED,
                now,
                cmd.actor,
                f"{cmd.actor.name} wijzigde het voorstel (versie {s.proposal_version})",
                f"Het voorstel is gewijzigd (versie {s.proposal_version})",
            )
        ]

    # -- recusal -------------------------------------------------------------------------

    def check_recuse(self, cmd: RecuseInput) -> Seat:
        """A seat taking part now steps aside: an advisory seat while advice runs, a member
        seat of a government-wide issue until the vote closes."""
        s = self.state
        self._require_phase(Phase.ADVICE, Phase.DELIBERATION, Phase.VOTING)
        council = self.council
        seats = [seat for seat in s.advisory_seats
                 if s.phase == Phase.ADVICE
                 and cmd.actor.holds(seat.role, seat.ministry, council.id)]
        if s.scope == Scope.GOVERNMENT_WIDE:
            member = council.member.code
            units = (s.members if s.phase == Phase.VOTING
                     else cmd.actor.ministries_as(member, council.id))
            seats += [Seat(u, member) for u in units if cmd.actor.holds(member, u, council.id)]
        seats = [seat for seat in seats if cmd.role in (None, seat.role)]
        if not seats:
            raise reject(RejectionCode.FORBIDDEN,
                         "you hold no seat that takes part in this issue now")
        taking_part = [seat for seat in seats if not has_recused(s, seat)]
        if not taking_part:
            raise reject(RejectionCode.DUPLICATE, "this seat has already recused")
        if len({seat.role for seat in taking_part}) > 1:
            raise reject(RejectionCode.INVALID_INPUT,
                         "you hold several seats on this issue: give the role")
        self._require_room(stored_size(require_text(cmd.reason, "reason", TEXT_MAX)))
        return taking_part[0]

    def recuse(self, cmd: RecuseInput, now: datetime, register: Register | None = None
               ) -> list[IssueEvent]:
        seat = self.check_recuse(cmd)
        s = self.state
        reason = cmd.reason.strip()
        member = seat.role == self.council.member.code
        s.recusals.append(Recusal(seat.ministry, seat.role, cmd.actor.person_id, reason, now,
                                  member))
        withdrawn = member and self._vote_of(seat.ministry or "")
        if withdrawn:
            s.votes = [v for v in s.votes if v.ministry != seat.ministry]
        events = [self._event(
            EventKind.RECUSED, now, cmd.actor,
            f"{cmd.actor.name} ({_seat_words(seat)}) verschoonde zich: {reason}"
            + ("; de uitgebrachte stem vervalt" if withdrawn else ""),
            "Een zetel verschoonde zich wegens belangenverstrengeling")]
        if s.phase == Phase.VOTING:
            result = vote_result(s, at_deadline=False)
            if result is not None:
                events += self._vote_decides(now, result, "alle leden hebben gestemd")
        elif seat in s.advisory_seats and self._advice_done():
            events += self._end_advice(
                now, "alle adviseurs hebben geadviseerd of zich verschoond", None, register)
        return events

    # -- voting ---------------------------------------------------------------------------

    def check_cast_vote(self, cmd: CastVoteInput) -> str:
        self._require_phase(Phase.VOTING)
        code = self.council.member.code
        member = [m for m in self.state.members if cmd.actor.holds(code, m, self.council.id)]
        if not member:
            raise reject(RejectionCode.FORBIDDEN,
                         f"only the {code} of a member {self.council.unit_term.english} votes")
        recused = recused_members(self.state)
        member = [m for m in member if m not in recused]
        if not member:
            raise reject(RejectionCode.FORBIDDEN, "your seat recused on this issue")
        reason = (cmd.reason or "").strip() or None
        if cmd.choice == VoteChoice.OBJECT and reason is None:
            raise reject(RejectionCode.INVALID_INPUT, "an objection needs a reason")
        if reason is not None:
            require_text(reason, "reason", TEXT_MAX)
        previous = self._vote_of(member[0])
        self._require_room(stored_size(reason) - stored_size(previous and previous.reason))
        if previous and previous.choice == cmd.choice and previous.reason == reason:
            raise reject(RejectionCode.DUPLICATE, "this vote has already been cast")
        deputy = cmd.actor.deputising(code, member[0], self.council.id)
        if deputy and previous and previous.on_behalf_of is None:
            raise reject(RejectionCode.FORBIDDEN,
                         f"{deputy.name} voted in person: a deputy does not change that vote")
        return member[0]

    def _vote_of(self, ministry: str) -> Vote | None:
        return next((v for v in self.state.votes if v.ministry == ministry), None)

    def cast_vote(self, cmd: CastVoteInput, now: datetime) -> list[IssueEvent]:
        ministry = self.check_cast_vote(cmd)
        s = self.state
        reason = (cmd.reason or "").strip() or None
        changed = self._vote_of(ministry) is not None
        holder = cmd.actor.deputising(self.council.member.code, ministry, self.council.id)
        s.votes = [v for v in s.votes if v.ministry != ministry]
        s.votes.append(Vote(ministry, cmd.actor.person_id, cmd.choice, reason, now,
                            holder and holder.person_id))
        verb = "wijzigde de stem van" if changed else "stemde namens"
        events = [
            self._event(
                EventKind.VOTE_CAST,
                now,
                cmd.actor,
                f"{cmd.actor.name}{_standing_in(holder)} {verb} {ministry}: "
                f"{CHOICE_WORDS[cmd.choice]}" + (f" ({reason})" if reason else ""),
                "Een stem is gewijzigd" if changed else "Er is gestemd",
            )
        ]
        result = vote_result(s, at_deadline=False)
        if result is not None:
            events += self._vote_decides(now, result, "alle leden hebben gestemd")
        return events

    def _open_vote(self, now: datetime, register: Register, actor: Actor | None = None,
                   why: str | None = None) -> list[IssueEvent]:
        s = self.state
        s.members = register.members
        s.votes = []
        self._enter(Phase.VOTING, now, s.procedure.vote_window_seconds)
        opens = f"de stemming opent voor {len(s.members)} leden"
        return [self._phase_changed(now, actor, f"{why}; {opens}" if why else opens)]

    def _close_vote(self, now: datetime, actor: Actor | None) -> list[IssueEvent]:
        s = self.state
        result = vote_result(s, at_deadline=True)
        if result is not None:
            return self._vote_decides(now, result, "het quorum heeft gestemd")
        t = tally(s)
        consensus = s.procedure.vote_rule == VoteRule.CONSENSUS
        below = f"{t.voted} van {t.eligible} leden stemden, onder het quorum"
        why = (below if not consensus
               else f"{t.object} maal bezwaar" if t.object
               else "niemand stemde eens" if not t.agree
               else below)
        decides = f"de {self.council.chair.name.nl} besluit"
        self._enter(Phase.MANDATE, now, s.procedure.mandate_window_seconds)
        text = (f"Geen consensus: {why}; {decides}" if consensus
                else f"De stemming beslist niet: {why}; {decides}")
        return [self._event(EventKind.NO_CONSENSUS, now, actor, text, text)]

    def _vote_decides(self, now: datetime, result: tuple[DecisionRoute, DecisionOutcome],
                      why: str) -> list[IssueEvent]:
        route, outcome = result
        t = tally(self.state)
        # The decision of record: in Dutch, as the council's own words.
        council = self.council.name.nl
        if route == DecisionRoute.CONSENSUS:
            motivation = (f"{council}: consensus ({why}, niemand maakt bezwaar): "
                          f"{t.agree} eens, {t.abstain} onthouding")
            self._settle(route, outcome, motivation, None, now)
            reached = self._event(EventKind.CONSENSUS_REACHED, now, None, motivation,
                                  motivation)
            return [reached, self._decided_event(now, None)]
        rule = ("gekwalificeerde meerderheid"
                if self.state.procedure.vote_rule == VoteRule.QUALIFIED_MAJORITY
                else "meerderheid")
        verdict = "aangenomen" if outcome == DecisionOutcome.ADOPTED else "verworpen"
        motivation = (f"{council}: {verdict} bij {rule} ({why}): "
                      f"{t.agree} eens, {t.object} bezwaar, {t.abstain} onthouding")
        self._settle(route, outcome, motivation, None, now)
        return [self._decided_event(now, None)]

    # -- closing a phase ------------------------------------------------------------------

    def check_close_phase(self, cmd: ClosePhaseInput) -> None:
        s = self.state
        if cmd.phase is not None and cmd.phase != s.phase:
            # A double-click, or someone else closed it first: never close the next phase.
            raise reject(RejectionCode.WRONG_PHASE,
                         f"the issue is no longer in {cmd.phase.value}: it is in {s.phase.value}")
        self._require_phase(Phase.ADVICE, Phase.DELIBERATION, Phase.VOTING)
        council = self.council
        chair = self._is_chair(cmd.actor)
        owner = (
            s.phase == Phase.ADVICE
            and s.scope == Scope.DEPARTMENTAL
            and cmd.actor.holds(council.member.code, s.ministry, council.id)
        )
        if not (chair or owner):
            raise reject(RejectionCode.FORBIDDEN,
                         f"only the {council.chair.name.nl} may close this phase")
        if s.phase == Phase.ADVICE and self.privacy_advice_missing():
            privacy = council.privacy.code if council.privacy else ""
            raise reject(
                RejectionCode.PRECONDITION_FAILED,
                f"the issue touches personal data and has no privacy advice ({privacy}) yet",
            )

    def close_phase(
        self, cmd: ClosePhaseInput, now: datetime, register: Register
    ) -> list[IssueEvent]:
        self.check_close_phase(cmd)
        if self.state.phase == Phase.ADVICE:
            return self._end_advice(now, f"vervroegd gesloten door {cmd.actor.name}", cmd.actor,
                                    register)
        if self.state.phase == Phase.DELIBERATION:
            return self._open_vote(now, register, cmd.actor)
        return self._close_vote(now, cmd.actor)

    # -- the durable timer ----------------------------------------------------------------

    def on_deadline(self, now: datetime, register: Register | None) -> list[IssueEvent]:
        """The register is needed only when the deadline opens the vote (needs_register)."""
        s = self.state
        if s.phase == Phase.ADVICE:
            if not self.privacy_advice_missing():
                return self._end_advice(now, "de adviestermijn is verstreken", None, register)
            if self._extensions_used() < s.procedure.privacy_extensions:
                return self._extend_advice(now)
            if s.scope == Scope.GOVERNMENT_WIDE:
                self._enter(Phase.MANDATE, now, s.procedure.mandate_window_seconds)
            else:
                self._enter(Phase.DEPARTMENTAL_DECISION, now, self._decision_window())
            return [
                self._phase_changed(
                    now, None, "het privacyadvies ontbreekt ook na de verlenging"
                )
            ]
        if s.phase == Phase.DELIBERATION:
            if register is None:
                raise ValueError("the vote opens: the register is needed")
            return self._open_vote(now, register)
        if s.phase == Phase.VOTING:
            return self._close_vote(now, None)
        if s.phase in (Phase.MANDATE, Phase.DEPARTMENTAL_DECISION):
            return self._overdue(now)
        return []

    def _extensions_used(self) -> int:
        return extensions_used(self.state)

    def _extend_advice(self, now: datetime) -> list[IssueEvent]:
        s = self.state
        s.advice_extended = True
        s.advice_extensions = self._extensions_used() + 1
        self._enter(Phase.ADVICE, now, s.procedure.advice_window_seconds)
        privacy = self.council.privacy
        code = privacy.code if privacy else ""
        waiting = [
            _seat_words(seat)
            for seat in s.advisory_seats
            if seat.role == code and not self._advised(seat)
        ]
        return [
            self._event(
                EventKind.ADVICE_WINDOW_EXTENDED,
                now,
                None,
                "Het privacyadvies ontbreekt: de adviestermijn is verlengd",
                "Het privacyadvies ontbreekt: de adviestermijn is verlengd",
            ),
            self._event(
                EventKind.REMINDER_SENT,
                now,
                None,
                "Herinnering gestuurd aan " + (", ".join(waiting)
                                               or f"de {code}'s (geen {code}-zetel bezet)"),
                f"Herinnering gestuurd aan de {code}'s",
            ),
        ]

    def _overdue(self, now: datetime) -> list[IssueEvent]:
        s = self.state
        s.timer_at = None
        s.overdue = True
        s.epoch += 1
        if s.phase == Phase.MANDATE:
            kind, who = EventKind.MANDATE_OVERDUE, f"de {self.council.chair.name.nl}"
        else:
            kind, who = (EventKind.DECISION_OVERDUE,
                         f"de {self.council.member.code} van {s.ministry}")
        return [
            self._event(kind, now, None, f"Besluit te laat: {who} besloot nog niet", ""),
            self._event(EventKind.REMINDER_SENT, now, None, f"Herinnering gestuurd aan {who}",
                        ""),
        ]

    # -- deciding -------------------------------------------------------------------------

    def check_decide(self, cmd: DecideInput) -> DecisionRoute:
        s = self.state
        self._require_phase(Phase.MANDATE, Phase.DEPARTMENTAL_DECISION)
        council = self.council
        if s.phase == Phase.MANDATE and not self._is_chair(cmd.actor):
            raise reject(RejectionCode.FORBIDDEN,
                         f"only the {council.chair.name.nl} decides by mandate")
        if s.phase == Phase.DEPARTMENTAL_DECISION and not cmd.actor.holds(
                council.member.code, s.ministry, council.id):
            raise reject(
                RejectionCode.FORBIDDEN,
                f"only the {council.member.code} of {s.ministry} decides this issue"
            )
        require_text(cmd.motivation, "motivation", TEXT_MAX)
        return DecisionRoute.MANDATE if s.phase == Phase.MANDATE else DecisionRoute.DEPARTMENTAL

    def decide(self, cmd: DecideInput, now: datetime) -> list[IssueEvent]:
        route = self.check_decide(cmd)
        self._settle(route, cmd.outcome, cmd.motivation.strip(), cmd.actor.person_id, now)
        return [self._decided_event(now, cmd.actor)]

    def _settle(
        self,
        route: DecisionRoute,
        outcome: DecisionOutcome,
        motivation: str,
        decided_by: str | None,
        now: datetime,
    ) -> None:
        s = self.state
        binding = s.binding_framework and outcome == DecisionOutcome.ADOPTED
        s.decision = Decision(route, outcome, motivation, decided_by, now, binding)
        self._enter(Phase.DECIDED, now, None)

    def _decided_event(self, now: datetime, actor: Actor | None) -> IssueEvent:
        d = self.state.decision
        assert d is not None
        text = (f"Besloten ({self._route_words(d.route)}): {OUTCOME_WORDS[d.outcome]}"
                + (", bindend kader" if d.binding else ""))
        by = f" door {actor.name}" if actor else ""
        return self._event(EventKind.DECIDED, now, actor, text + by, text)

    # -- at any time before the decision --------------------------------------------------

    def check_reclassify(self, cmd: ReclassifyInput, register: Register | None = None) -> str:
        """Returns the ministry the issue will have."""
        s = self.state
        self._require_open()
        if not self._is_chair(cmd.actor):
            raise reject(RejectionCode.FORBIDDEN,
                         f"only the {self.council.chair.name.nl} reclassifies")
        require_text(cmd.reason, "reason", TEXT_MAX)
        if cmd.scope == s.scope:
            raise reject(RejectionCode.INVALID_INPUT, f"the issue is already {_words(s.scope)}")
        ministry = cmd.ministry or s.ministry
        if cmd.scope == Scope.DEPARTMENTAL and ministry is None:
            raise reject(
                RejectionCode.INVALID_INPUT,
                f"say which {self.council.unit_term.english} the departmental issue is for"
            )
        if register is not None and ministry is not None and ministry not in register.ministries:
            raise reject(RejectionCode.INVALID_INPUT,
                         f"{self.council.unit_term.english} {ministry} is not in force")
        return ministry

    def reclassify(
        self, cmd: ReclassifyInput, now: datetime, register: Register
    ) -> list[IssueEvent]:
        ministry = self.check_reclassify(cmd, register)
        s = self.state
        before = s.scope
        s.scope, s.ministry = cmd.scope, ministry
        events = [
            self._event(
                EventKind.RECLASSIFIED,
                now,
                cmd.actor,
                f"{cmd.actor.name} deelde de zaak opnieuw in, van {self._scope_words(before)} "
                f"naar {self._scope_words(cmd.scope)}: {cmd.reason.strip()}",
                f"Opnieuw ingedeeld, van {self._scope_words(before)} naar "
                f"{self._scope_words(cmd.scope)}: {cmd.reason.strip()}",
            )
        ]
        why = "opnieuw ingedeeld als " + self._scope_words(cmd.scope)
        if s.phase == Phase.ADVICE:
            s.advisory_seats = advisory_seats(s.scope, s.ministry, register)
            if all(self._advised(seat) for seat in s.advisory_seats) and not (
                self.privacy_advice_missing()
            ):
                events += self._end_advice(now, why, None, register)
        elif s.scope == Scope.DEPARTMENTAL:
            self._enter(Phase.DEPARTMENTAL_DECISION, now, self._decision_window())
            events.append(self._phase_changed(now, cmd.actor, why))
        elif s.procedure.deliberation_window_seconds:
            self._enter(Phase.DELIBERATION, now, s.procedure.deliberation_window_seconds)
            events.append(self._phase_changed(now, cmd.actor, why))
        else:
            events += self._open_vote(now, register, cmd.actor, why)
        return events

    def check_withdraw(self, cmd: WithdrawInput) -> None:
        self._require_open()
        if not (
            cmd.actor.person_id == self.state.raised_by or self._is_chair(cmd.actor)
        ):
            raise reject(RejectionCode.FORBIDDEN,
                         f"only the raiser or the {self.council.chair.name.nl} withdraws")
        require_text(cmd.reason, "reason", TEXT_MAX)

    def withdraw(self, cmd: WithdrawInput, now: datetime) -> list[IssueEvent]:
        self.check_withdraw(cmd)
        self._enter(Phase.WITHDRAWN, now, None)
        return [
            self._event(
                EventKind.WITHDRAWN,
                now,
                cmd.actor,
                f"{cmd.actor.name} trok de zaak in: {cmd.reason.strip()}",
                f"De zaak is ingetrokken: {cmd.reason.strip()}",
            )
        ]

    # -- state and events -----------------------------------------------------------------

    def _enter(self, phase: Phase, now: datetime, window_seconds: int | None) -> None:
        s = self.state
        s.phase = phase
        s.overdue = False
        s.phase_deadline = now + timedelta(seconds=window_seconds) if window_seconds else None
        s.timer_at = s.phase_deadline
        lead = s.procedure.reminder_lead_seconds
        s.reminder_at = (s.phase_deadline - timedelta(seconds=lead)
                         if s.phase_deadline and 0 < lead < window_seconds else None)
        s.epoch += 1

    def next_wake(self) -> datetime | None:
        """When the workflow's timer must fire next: a reminder before the deadline, or the
        deadline itself."""
        s = self.state
        return s.reminder_at or s.timer_at

    def on_wake(self, now: datetime, register: Register | None) -> list[IssueEvent]:
        s = self.state
        if s.reminder_at is not None and now >= s.reminder_at and (
            s.timer_at is None or now < s.timer_at
        ):
            s.reminder_at = None
            s.epoch += 1
            waiting = waiting_on(s)
            if not waiting:
                return []
            return [self._event(EventKind.REMINDER_SENT, now, None,
                                "Herinnering vóór de termijn gestuurd aan "
                                + ", ".join(waiting),
                                "Herinnering vóór de termijn verstuurd")]
        s.reminder_at = None
        return self.on_deadline(now, register)

    def _phase_changed(self, now: datetime, actor: Actor | None, why: str) -> IssueEvent:
        phase = phase_words(self.council, self.state.phase)
        text = f"Fase {phase}: {why}"
        public = text if actor is None else f"Fase {phase}"
        return self._event(EventKind.PHASE_CHANGED, now, actor, text, public)

    def _event(
        self,
        kind: EventKind,
        now: datetime,
        actor: Actor | None,
        summary: str,
        public_summary: str,
    ) -> IssueEvent:
        s = self.state
        s.seq += 1
        return IssueEvent(
            issue_id=s.issue_id,
            seq=s.seq,
            kind=kind,
            phase=s.phase,
            at=now,
            actor_id=actor.person_id if actor else None,
            summary=summary,
            public_summary=public_summary or summary,
        )


def _words(value: Scope | Phase | DecisionRoute) -> str:
    return value.value.lower().replace("_", "-" if isinstance(value, Scope) else " ")


def _standing_in(holder: Holder | None) -> str:
    return f" (plaatsvervanger van {holder.name})" if holder else ""


# The timeline speaks Dutch, in the council's words (DESIGN.md: Dutch first).
STANCE_WORDS = {AdviceStance.SUPPORT: "steun", AdviceStance.CONDITIONAL: "voorwaardelijk",
                AdviceStance.OBJECT: "bezwaar"}
CHOICE_WORDS = {VoteChoice.AGREE: "eens", VoteChoice.ABSTAIN: "onthouding",
                VoteChoice.OBJECT: "bezwaar"}
OUTCOME_WORDS = {DecisionOutcome.ADOPTED: "aangenomen", DecisionOutcome.REJECTED: "verworpen"}
PHASE_WORDS = {Phase.ADVICE: "advies", Phase.DELIBERATION: "beraad", Phase.VOTING: "stemming",
               Phase.MANDATE: "mandaat", Phase.DECIDED: "besloten",
               Phase.WITHDRAWN: "ingetrokken"}


def phase_words(council: CouncilRules, phase: Phase) -> str:
    """"stemming", "departementaal besluit" ("directie besluit"): a phase in Dutch."""
    return PHASE_WORDS.get(phase) or f"{council.scopes[Scope.DEPARTMENTAL.value].nl} besluit"


def _seat_words(seat: Seat) -> str:
    return f"{seat.role} {seat.ministry}" if seat.ministry else seat.role
