"""The binding framework's rules, without any server: comply or explain, the deadline, the
reminders, successions, revision, withdrawal and when a framework is settled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.domain.errors import Rejection, RejectionCode
from services.domain.frameworks import (
    AdoptionStatus,
    CreateFrameworkInput,
    FrameworkCycle,
    FrameworkEventKind,
    ReportAdoptionInput,
    ReviseFrameworkInput,
    WithdrawFrameworkInput,
    closed_reason,
    compliance,
)
from services.domain.types import Register
from tests.unit.builders import CIO_BERAAD, MINISTRIES, RIJK, T0, cio

DAY = 86_400


def created(ministries: list[str] = MINISTRIES) -> FrameworkCycle:
    cycle = FrameworkCycle.created(CreateFrameworkInput(
        "f1", "i1", "Cloudkader", "Gebruik de cloud", T0, adoption_window_seconds=30 * DAY,
        reminder_interval_seconds=7 * DAY, council=CIO_BERAAD))
    events = cycle.start(T0, Register(ministries, []))
    assert [e.kind for e in events] == [FrameworkEventKind.FRAMEWORK_CREATED]
    return cycle


def refused(code: RejectionCode, action, *args) -> str:
    with pytest.raises(Rejection) as err:
        action(*args)
    assert err.value.code == code, err.value.message
    return err.value.message


def report(cycle: FrameworkCycle, ministry: str, status: AdoptionStatus,
           explanation: str | None = None):
    return cycle.report(ReportAdoptionInput(cio(ministry), status, explanation), T0)


def test_every_ministry_in_force_adopts_and_the_deadline_is_the_window():
    cycle = created()
    assert [a.ministry for a in cycle.state.adoptions] == MINISTRIES
    assert cycle.state.adopt_by == T0 + timedelta(days=30)
    assert cycle.state.next_check_at == T0 + timedelta(days=7)
    # Dutch, the deadline on Amsterdam's clock (summer time by then: UTC+2).
    fresh = FrameworkCycle.created(CreateFrameworkInput(
        "f2", "i2", "Cloudkader", "Gebruik de cloud", T0, adoption_window_seconds=30 * DAY,
        reminder_interval_seconds=7 * DAY, council=CIO_BERAAD))
    (event,) = fresh.start(T0, Register(MINISTRIES, []))
    assert event.summary == (
        "Bindend kader vastgesteld; 3 leden voeren het in vóór 1 april 2026 11:00")


def test_comply_or_explain():
    cycle = created()
    refused(RejectionCode.INVALID_INPUT, report, cycle, "BZK", AdoptionStatus.EXCEPTION)
    refused(RejectionCode.INVALID_INPUT, report, cycle, "BZK", AdoptionStatus.PENDING)
    (explained,) = report(cycle, "BZK", AdoptionStatus.EXCEPTION, "Eigen datacenter")
    assert explained.summary == ("BZK meldt: uitzondering (pas toe of leg uit) "
                                 "(Eigen datacenter)")
    report(cycle, "FIN", AdoptionStatus.PLANNED)
    assert compliance(cycle.state.adoptions) == pytest.approx(1 / 3)
    refused(RejectionCode.DUPLICATE, report, cycle, "FIN", AdoptionStatus.PLANNED)
    refused(RejectionCode.FORBIDDEN, report, cycle, "XYZ", AdoptionStatus.PLANNED)
    report(cycle, "FIN", AdoptionStatus.IMPLEMENTED)
    refused(RejectionCode.WRONG_PHASE, report, cycle, "FIN", AdoptionStatus.PLANNED)
    # The implementation reported again (a resend): already so, not too late.
    refused(RejectionCode.DUPLICATE, report, cycle, "FIN", AdoptionStatus.IMPLEMENTED)


def test_the_deadline_marks_the_unresolved_overdue_and_reminds_them_each_interval():
    cycle = created()
    report(cycle, "BZK", AdoptionStatus.IMPLEMENTED)
    register = Register(MINISTRIES, [])
    events = cycle.on_timer(T0 + timedelta(days=30), register)
    assert [(e.kind, e.ministry) for e in events] == [
        (FrameworkEventKind.ADOPTION_OVERDUE, "FIN"), (FrameworkEventKind.ADOPTION_OVERDUE, "OCW"),
        (FrameworkEventKind.REMINDER_SENT, "FIN"), (FrameworkEventKind.REMINDER_SENT, "OCW")]
    assert [e.summary for e in events[::2]] == [
        "FIN heeft het kader niet op tijd ingevoerd", "Herinnering gestuurd aan de CIO van FIN"]
    report(cycle, "FIN", AdoptionStatus.EXCEPTION, "Te duur")
    later = cycle.on_timer(T0 + timedelta(days=37), register)
    assert [(e.kind, e.ministry) for e in later] == [(FrameworkEventKind.REMINDER_SENT, "OCW")]
    assert cycle.state.next_check_at == T0 + timedelta(days=44)


def test_a_successor_takes_over_an_open_adoption_but_not_a_resolved_one():
    cycle = created()
    report(cycle, "BZK", AdoptionStatus.IMPLEMENTED)
    events = cycle.on_timer(T0 + timedelta(days=7), Register(
        ["FIN", "NEW"], [], successors={"OCW": "NEW", "BZK": "NEW"}))
    assert [e.kind for e in events] == [FrameworkEventKind.ADOPTION_TRANSFERRED]
    assert [a.ministry for a in cycle.state.adoptions] == ["BZK", "FIN", "NEW"]


def test_a_revision_starts_every_adoption_anew_and_only_the_cio_rijk_revises():
    cycle = created()
    report(cycle, "BZK", AdoptionStatus.IMPLEMENTED)
    refused(RejectionCode.FORBIDDEN, cycle.revise, ReviseFrameworkInput(cio("BZK"), "Nieuw"),
            T0, Register(MINISTRIES, []))
    refused(RejectionCode.INVALID_INPUT, cycle.check_revise,
            ReviseFrameworkInput(RIJK, "Gebruik de cloud"))
    cycle.revise(ReviseFrameworkInput(RIJK, "Versie twee"), T0 + timedelta(days=1),
                 Register(MINISTRIES, []))
    assert cycle.state.version == 2
    assert {a.status for a in cycle.state.adoptions} == {AdoptionStatus.PENDING}
    assert cycle.state.adopt_by == T0 + timedelta(days=31)


def test_settled_when_every_ministry_complied_or_explained():
    cycle = created()
    report(cycle, "BZK", AdoptionStatus.IMPLEMENTED)
    report(cycle, "FIN", AdoptionStatus.EXCEPTION, "Eigen systeem")
    report(cycle, "OCW", AdoptionStatus.PLANNED)
    assert not cycle.settled()  # a plan is not yet compliance
    report(cycle, "OCW", AdoptionStatus.IMPLEMENTED)
    assert cycle.settled()
    assert "a new version is a new decision" in closed_reason(False, cycle.state.adoptions)
    assert not created([]).settled()  # nobody to adopt: nothing settled


def test_a_withdrawn_framework_takes_nothing_more():
    cycle = created()
    refused(RejectionCode.FORBIDDEN, cycle.withdraw, WithdrawFrameworkInput(cio("BZK"), "x"),
            T0)
    cycle.withdraw(WithdrawFrameworkInput(RIJK, "Achterhaald"), T0)
    assert cycle.state.withdrawn and cycle.state.next_check_at is None
    refused(RejectionCode.WRONG_PHASE, report, cycle, "FIN", AdoptionStatus.PLANNED)
    refused(RejectionCode.WRONG_PHASE, cycle.check_withdraw, WithdrawFrameworkInput(RIJK, "y"))
    assert closed_reason(True, cycle.state.adoptions) == "the framework has been withdrawn"
