"""What Temporal carries (workflow inputs, update inputs and answers, activity inputs and
results, the continue-as-new snapshot) must decode in workflows already running: a field
added later needs a default. The table freezes the fields each carried type had without
one; a new field without a default, or a new carried type not listed, fails here."""

from __future__ import annotations

import dataclasses
import typing

from services.domain import commands, councils, frameworks, notifications, record, types
from services.workflows.converter import DATA_CONVERTER

# The roots: every type a workflow, update, query or activity of ours takes or answers.
CARRIED = [
    commands.RaiseIssueInput, commands.SubmitAdviceInput, commands.ContributeInput,
    commands.AmendProposalInput, commands.CastVoteInput, commands.ClosePhaseInput,
    commands.DecideInput, commands.ReclassifyInput, commands.WithdrawInput,
    commands.UpdateResult, commands.LoadRegisterInput, commands.RecordEventsInput,
    commands.RecordOutcome, types.Register, frameworks.CreateFrameworkInput,
    frameworks.ReportAdoptionInput, frameworks.ReviseFrameworkInput,
    frameworks.WithdrawFrameworkInput, frameworks.FrameworkState,
    frameworks.RecordFrameworkEventsInput, notifications.DeliverNotificationInput,
    commands.PublishProcedureInput, commands.RecuseInput,
]

# Fields without a default, as each type first ran. Never add to a set: give the new field
# a default instead. A new carried type is listed here once, with the fields it has then.
WITHOUT_DEFAULT: dict[type, set[str]] = {
    commands.RaiseIssueInput: {"issue_id", "ministry", "proposal", "actor", "scope",
                               "procedure", "title", "touches_personal_data"},
    types.Actor: {"person_id", "name"},
    types.Appointment: {"role"},
    types.Holder: {"person_id", "name"},
    types.Procedure: {"advice_window_seconds", "deliberation_window_seconds", "quorum",
                      "vote_window_seconds", "mandate_window_seconds"},
    types.CycleState: {"raised_at", "issue_id", "ministry", "proposal", "touches_personal_data",
                       "scope", "procedure", "binding_framework", "raised_by", "title",
                       "topics"},
    types.Seat: {"ministry", "role"},
    types.Advice: {"person_id", "stance", "ministry", "submitted_at", "role", "text",
                   "proposal_version"},
    types.Contribution: {"ministry", "person_id", "text", "posted_at"},
    types.Vote: {"choice", "person_id", "ministry", "reason", "cast_at"},
    types.Decision: {"outcome", "decided_by", "binding", "decided_at", "motivation", "route"},
    types.Register: {"ministries", "advisory_seats"},
    commands.SubmitAdviceInput: {"stance", "actor", "text"},
    commands.ContributeInput: {"text", "actor"},
    commands.AmendProposalInput: {"proposal", "actor"},
    commands.CastVoteInput: {"choice", "actor"},
    commands.ClosePhaseInput: {"actor"},
    commands.DecideInput: {"outcome", "actor", "motivation"},
    commands.ReclassifyInput: {"scope", "reason", "actor"},
    commands.WithdrawInput: {"reason", "actor"},
    commands.RecuseInput: {"reason", "actor"},
    types.Recusal: {"ministry", "role", "person_id", "reason", "at"},
    commands.UpdateResult: {"seq"},
    commands.LoadRegisterInput: {"at"},
    commands.RecordEventsInput: {"events"},
    types.IssueEvent: {"at", "issue_id", "phase", "kind", "summary", "public_summary", "seq",
                       "actor_id"},
    record.IssueChange: {"seq", "status", "issue_id", "after_seq"},
    record.IssueStatus: {"advice_extended", "phase", "ministry", "phase_deadline", "scope",
                         "overdue", "proposal_version"},
    commands.RecordOutcome: set(),
    frameworks.CreateFrameworkInput: {"framework_id", "reminder_interval_seconds", "issue_id",
                                      "decided_at", "adoption_window_seconds", "title", "text"},
    frameworks.FrameworkState: {"framework_id", "reminder_interval_seconds", "issue_id",
                                "adopt_by", "decided_at", "adoption_window_seconds", "title",
                                "text"},
    frameworks.Adoption: {"ministry"},
    frameworks.ReportAdoptionInput: {"status", "actor"},
    frameworks.ReviseFrameworkInput: {"text", "actor"},
    frameworks.WithdrawFrameworkInput: {"reason", "actor"},
    frameworks.RecordFrameworkEventsInput: {"events", "state"},
    frameworks.FrameworkEvent: {"at", "framework_id", "kind", "ministry", "summary", "seq",
                                "actor_id"},
    notifications.DeliverNotificationInput: {"notification_id"},
    commands.PublishProcedureInput: {"definition", "in_force_from", "source", "person_id",
                                     "role"},
    councils.CouncilRules: {"id", "version", "hash", "name", "unit_term", "roles"},
    councils.CouncilRole: {"code", "kind", "seats", "name"},
    councils.Label: {"nl"},
}


def carried_types() -> dict[type, set[str]]:
    """Every dataclass reachable from the roots, with its fields that have no default."""
    found: dict[type, set[str]] = {}

    def walk(hint: object) -> None:
        if typing.get_origin(hint) is not None:
            for arg in typing.get_args(hint):
                walk(arg)
            return
        if not (dataclasses.is_dataclass(hint) and isinstance(hint, type)) or hint in found:
            return
        hints = typing.get_type_hints(hint)
        found[hint] = {f.name for f in dataclasses.fields(hint)
                       if f.default is dataclasses.MISSING
                       and f.default_factory is dataclasses.MISSING}
        for f in dataclasses.fields(hint):
            walk(hints[f.name])

    for root in CARRIED:
        walk(root)
    return found


def test_every_carried_type_is_listed():
    unlisted = sorted(t.__qualname__ for t in carried_types() if t not in WITHOUT_DEFAULT)
    assert unlisted == [], "a new carried type: list its fields in WITHOUT_DEFAULT"


def test_a_field_added_to_a_carried_type_has_a_default():
    added = {t.__qualname__: sorted(required - WITHOUT_DEFAULT[t])
             for t, required in carried_types().items()
             if t in WITHOUT_DEFAULT and required - WITHOUT_DEFAULT[t]}
    assert added == {}, "give these fields a default: running workflows lack them"


def test_a_snapshot_without_the_newer_fields_still_decodes():
    """A payload from a workflow started before fields with defaults were added: only the
    fields that have no default."""
    payload = {"issue_id": "i1", "title": "t", "proposal": "p", "scope": "GOVERNMENT_WIDE",
               "ministry": None, "raised_by": "rijk", "raised_at": "2026-03-02T09:00:00+00:00",
               "topics": [], "touches_personal_data": False, "binding_framework": False,
               "procedure": {"advice_window_seconds": 1, "deliberation_window_seconds": 2,
                             "vote_window_seconds": 3, "mandate_window_seconds": 4,
                             "quorum": 0.5}}
    (encoded,) = DATA_CONVERTER.payload_converter.to_payloads([payload])
    (state,) = DATA_CONVERTER.payload_converter.from_payloads([encoded], [types.CycleState])
    assert state.phase == types.Phase.ADVICE and state.requests == {} and state.seq == 0
    assert state.procedure.reminder_lead_seconds == 0
