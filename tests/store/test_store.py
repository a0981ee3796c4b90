"""The store against a real MongoDB-protocol server: a record kept by changes equals the
record written whole, the register's rules hold in the database, keyed raises expire."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from services.domain.appointments import ChangeKind, in_force
from services.domain.commands import (
    AmendProposalInput,
    CastVoteInput,
    ClosePhaseInput,
    ContributeInput,
    ReclassifyInput,
    SubmitAdviceInput,
)
from services.domain.cycle import undo_point
from services.domain.record import change_between
from services.domain.types import AdviceStance, Scope, VoteChoice
from services.store.database import Store
from services.store.documents import issue_document
from services.store.issues import IssueSelection
from tests.unit.builders import MINISTRIES, REGISTER, RIJK, Role, at, cio, officer, raised

STEPS = [
    lambda c, t: c.submit_advice(SubmitAdviceInput(officer(Role.CPO, "BZK"),
                                                   AdviceStance.SUPPORT, "Goed"), t),
    lambda c, t: c.submit_advice(SubmitAdviceInput(officer(Role.CDO, "FIN"),
                                                   AdviceStance.CONDITIONAL, "Mits"), t),
    lambda c, t: c.close_phase(ClosePhaseInput(RIJK), t, REGISTER),
    lambda c, t: c.contribute(ContributeInput(cio("BZK"), "Eerste bijdrage"), t),
    lambda c, t: c.amend_proposal(AmendProposalInput(RIJK, "Gebruik de cloud, met DPIA"), t),
    lambda c, t: c.contribute(ContributeInput(cio("FIN"), "Tweede bijdrage"), t),
    lambda c, t: c.close_phase(ClosePhaseInput(RIJK), t, REGISTER),
    lambda c, t: c.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.OBJECT, "Te duur"), t),
    lambda c, t: c.cast_vote(CastVoteInput(cio("BZK"), VoteChoice.ABSTAIN), t),
    lambda c, t: c.reclassify(ReclassifyInput(RIJK, Scope.DEPARTMENTAL, "Eigen zaak", "FIN"),
                              t, REGISTER),
]


async def test_a_record_kept_by_changes_equals_the_record_written_whole(store: Store):
    cycle = raised(privacy=True)
    cycle.state.issue_id = "kept-by-changes"
    issues = store.issues
    events = [e for e in (await _start_events(cycle))]
    await issues.record(events, cycle.state, at(0))
    for n, step in enumerate(STEPS, start=1):
        before = undo_point(cycle.state)
        events = step(cycle, at(n))
        change = change_between(before, cycle.state)
        assert change is not None
        assert await issues.apply(change, events, at(n))
        assert await issues.apply(change, events, at(n)), "a retry is answered, not refused"
        stored = await issues.issues.find_one({"_id": cycle.state.issue_id})
        assert stored == issue_document(cycle.state, at(n)), f"after step {n}"
    timeline = (await issues.timelines([cycle.state.issue_id]))[cycle.state.issue_id]
    assert [e.seq for e in timeline] == list(range(1, cycle.state.seq + 1))


async def test_a_change_to_a_record_that_is_not_where_it_starts_writes_nothing(store: Store):
    cycle = raised()
    cycle.state.issue_id = "behind"
    await store.issues.record(await _start_events(cycle), cycle.state, at(0))
    before = undo_point(cycle.state)
    first = cycle.close_phase(ClosePhaseInput(RIJK), at(1), REGISTER)
    lost = change_between(before, cycle.state)  # never stored: the record stays behind
    before = undo_point(cycle.state)
    second = cycle.contribute(ContributeInput(cio("BZK"), "Bijdrage"), at(2))
    change = change_between(before, cycle.state)
    assert lost is not None and change is not None
    assert not await store.issues.apply(change, second, at(2))
    stored = await store.issues.get(cycle.state.issue_id)
    assert stored is not None and stored.last_seq == 1 and stored.contributions == []
    await store.issues.record(first + second, cycle.state, at(2))  # what the workflow does
    assert (await store.issues.get(cycle.state.issue_id)).contributions[0].text == "Bijdrage"


async def _start_events(cycle):
    # raised() has already started the cycle; its RAISED event is seq 1.
    from services.domain.types import EventKind, IssueEvent
    s = cycle.state
    return [IssueEvent(s.issue_id, 1, EventKind.RAISED, s.phase, s.raised_at, RIJK.person_id,
                       "raised", "raised")]


async def test_the_store_asks_in_force_as_the_domain_says_it(store: Store):
    now = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
    day = timedelta(days=1)
    dated = {"OPEN": (None, None), "SINCE": (now - day, None), "LATER": (now + day, None),
             "ENDED": (None, now), "ENDS": (now - day, now + day), "EXACT": (now, now + day),
             "GONE": (now - 2 * day, now - day)}
    await store.register.ministries.insert_many([
        {"_id": f"T-{code}", "name": code, "valid_from": start, "valid_to": end}
        for code, (start, end) in dated.items()])
    try:
        found = {m.code for m in await store.register.ministries_in_force(now)
                 if m.code.startswith("T-")}
        expected = {f"T-{code}" for code, (start, end) in dated.items()
                    if in_force(start, end, now)}
        assert found == expected == {"T-OPEN", "T-SINCE", "T-ENDS", "T-EXACT"}
    finally:
        await store.register.ministries.delete_many({"_id": {"$in": [
            f"T-{code}" for code in dated]}})


async def test_a_seat_never_has_two_active_holders_in_the_database(store: Store):
    seat = {"role": "CTO", "ministry": MINISTRIES[0], "active": True}
    appointments = store.register.appointments
    await appointments.delete_many(seat)
    await appointments.insert_one({"_id": "first", "person_id": "a", **seat})
    with pytest.raises(DuplicateKeyError):
        await appointments.insert_one({"_id": "second", "person_id": "b", **seat})
    await appointments.insert_one({"_id": "ended", "person_id": "c", **seat, "active": False})


async def test_keyed_raises_expire(store: Store):
    indexes = await store.db["keyed_raises"].index_information()
    ttl = [spec for spec in indexes.values() if "expireAfterSeconds" in spec]
    assert ttl and ttl[0]["key"] == [("at", 1)] and ttl[0]["expireAfterSeconds"] == 7 * 86_400


async def test_the_newest_first_list_reaches_back_through_every_window(store: Store):
    """Issues raised a day, months, years ago: pages come newest first and in order, as
    one sort of the whole collection would give them."""
    now = datetime.now(timezone.utc)
    ages = [1, 2, 40, 200, 900, 4000, 4001]  # days: one or two per window, and beyond
    ids = [str(ObjectId(ObjectId.from_datetime(now - timedelta(days=a)).binary[:4]
                        + bytes(range(8)))) for a in ages]
    template = issue_document(raised().state, now)
    # Written as before `raised_day` and councils existed: start-up fills both in.
    await store.issues.issues.insert_many([{**template, "_id": i} for i in ids])
    for doc in await store.issues.issues.find({"_id": {"$in": ids}}).to_list():
        for name in ("raised_day", "council_id", "council_version", "council_hash"):
            del doc[name]
        await store.issues.issues.replace_one({"_id": doc["_id"]}, doc)
    assert await store.issues.backfill("cio-beraad") == len(ids)
    assert await store.issues.backfill("cio-beraad") == 0
    try:
        legacy, _ = await store.issues.page(IssueSelection(council="cio-beraad"), 100, None)
        assert set(ids) <= {v.id for v in legacy}, "a record from before councils got lost"
        assert all(v.council_version is None for v in legacy if v.id in ids)
        other, _ = await store.issues.page(IssueSelection(council="architectuurboard"), 100,
                                           None)
        assert not set(ids) & {v.id for v in other}
        seen, after = [], None
        while True:
            page, more = await store.issues.page(IssueSelection(), 3, after)
            seen += [v.id for v in page]
            if not more:
                break
            after = page[-1].id
        newest_first = [i for i in seen if i in ids]
        assert newest_first == ids, "a window skipped or reordered issues"
    finally:
        await store.issues.issues.delete_many({"_id": {"$in": ids}})


async def test_an_end_dated_ahead_ends_only_the_appointment_it_was_recorded_for(store: Store):
    """Recorded: "end X's seat on 1 March". If someone else holds the seat by then, the
    newcomer keeps it."""
    now = datetime.now(timezone.utc)
    council, seat = "cio-beraad", {"role": "CIO", "ministry": "DEF"}
    before = [o.person_id for o in await store.register.officers("CIO", council, ministry="DEF")]
    change_id = store.scheduled.new_id()
    await store.scheduled.schedule(change_id, ChangeKind.END_APPOINTMENT, now, "secretariaat",
                                   "KB", {"person_id": before[0], "council": council, **seat})
    await store.register.appoint("cio-def-nieuw", "Nieuw", "CIO", "DEF", now,
                                 council=council)
    try:
        assert await store.scheduled.apply(change_id) is True
        held = await store.register.officers("CIO", council, ministry="DEF")
        assert [o.person_id for o in held] == ["cio-def-nieuw"]
    finally:
        await store.register.appoint(before[0], "Koen Dijkstra", "CIO", "DEF",
                                     datetime.now(timezone.utc), council=council)


async def test_open_records_from_before_waiting_was_kept_get_it_at_start_up(store: Store):
    now = datetime.now(timezone.utc)
    state = raised().state
    ids = [str(ObjectId()) for _ in range(2)]
    for n, issue_id in enumerate(ids):
        doc = {**issue_document(state, now), "_id": issue_id}
        del doc["waiting"]
        doc["last_seq"] = 1 + n
        await store.issues.issues.insert_one(doc)
    try:
        # A change recorded meanwhile wrote its own: the start-up leaves it be.
        await store.issues.issues.update_one({"_id": ids[1]}, {"$set": {"waiting": ["x"]}})
        assert await store.backfill_waiting() >= 1
        docs = {d["_id"]: d for d in await store.issues.issues.find(
            {"_id": {"$in": ids}}).to_list()}
        advisors = [f"cio-beraad/{Role(s.role).value}/{s.ministry}" for s in state.advisory_seats]
        assert docs[ids[0]]["waiting"] == advisors and advisors
        assert docs[ids[1]]["waiting"] == ["x"]
        page, _ = await store.issues.page(IssueSelection(waiting=[advisors[0]]), 100, None)
        assert ids[0] in {v.id for v in page}
    finally:
        await store.issues.issues.delete_many({"_id": {"$in": ids}})
