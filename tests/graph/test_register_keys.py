"""Idempotency keys on the seats' changes: the secretariat's browser resends after a lost
answer (or a careless client twice at once), and the register changes once, the resend
answered as the first try was."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from services.store.database import Store
from tests.helpers import GraphQL

OFFICER = """__typename ... on Officer { id role validFrom person { id } ministry { code } }
  ... on Rejected { code message }"""
APPOINT = f"mutation($input: AppointInput!) {{ appoint(input: $input) {{ {OFFICER} }} }}"
END = ("mutation($input: EndAppointmentInput!) { endAppointment(input: $input) { "
       f"{OFFICER} }} }}")
DEPUTY = ("mutation($input: AppointDeputyInput!) { appointDeputy(input: $input) { "
          f"{OFFICER} }} }}")


async def change(gql: GraphQL, mutation: str, **fields) -> dict:
    return next(iter((await gql(mutation, {"input": fields}, as_="secretariaat")).values()))


async def events(store: Store, kind: str, **about: str) -> int:
    return await store.register.events.count_documents({"kind": kind, **about})


def later(days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


async def test_a_resent_appointment_and_its_end_happen_once(gql: GraphQL, store: Store):
    appoint = {"personId": "cio-szw-sleutel", "name": "Sanne Sleutel", "role": "CIO",
               "ministry": "SZW", "idempotencyKey": "benoem-1"}
    first = await change(gql, APPOINT, **appoint)
    assert first["__typename"] == "Officer", first
    again = await change(gql, APPOINT, **appoint)
    assert again == first  # the same appointment, not ended and made anew
    assert await events(store, "APPOINTED", person_id="cio-szw-sleutel") == 1
    assert await events(store, "APPOINTMENT_ENDED", person_id="cio-szw-sleutel") == 0

    end = {"role": "CIO", "ministry": "SZW", "idempotencyKey": "beeindig-1"}
    ended = await change(gql, END, **end)
    assert (ended["__typename"], ended["person"]["id"]) == ("Officer", "cio-szw-sleutel")
    assert await change(gql, END, **end) == ended  # not "nobody holds this seat"
    assert await events(store, "APPOINTMENT_ENDED", person_id="cio-szw-sleutel") == 1
    # A new key is a new request: the seat is empty now.
    assert (await change(gql, END, role="CIO", ministry="SZW", idempotencyKey="beeindig-2")
            )["code"] == "NOT_FOUND"
    # A key is the caller's: the same key sent before by the secretariat for another
    # change is answered with that change, whatever this request says.
    assert await change(gql, APPOINT, **{**appoint, "personId": "iemand-anders"}) == first


async def test_a_scheduled_appointment_resent_is_scheduled_once(gql: GraphQL, store: Store):
    appoint = {"personId": "cio-vws-later", "name": "Vera Later", "role": "CIO",
               "ministry": "VWS", "validFrom": later(30), "idempotencyKey": "later-1"}
    first = await change(gql, APPOINT, **appoint)
    assert first["__typename"] == "Officer" and first["validFrom"], first
    assert await change(gql, APPOINT, **appoint) == first
    assert await store.db["register_changes"].count_documents(
        {"person_id": "cio-vws-later"}) == 1
    assert await events(store, "APPOINTMENT_SCHEDULED", person_id="cio-vws-later") == 1


async def test_resends_at_once_change_the_register_once(gql: GraphQL, store: Store):
    appoint = {"personId": "cio-ocw-tegelijk", "name": "Olga Tegelijk", "role": "CIO",
               "ministry": "OCW", "idempotencyKey": "tegelijk-1"}
    answers = await asyncio.gather(*(change(gql, APPOINT, **appoint) for _ in range(5)))
    assert all(a == answers[0] for a in answers) and answers[0]["__typename"] == "Officer"
    assert await events(store, "APPOINTED", person_id="cio-ocw-tegelijk") == 1
    assert await store.register.holder("cio-beraad", "CIO", "OCW") == "cio-ocw-tegelijk"

    deputy = {"personId": "plv-ocw-tegelijk", "name": "Paul Tegelijk", "role": "CIO",
              "ministry": "OCW", "validFrom": later(1), "validTo": later(8),
              "idempotencyKey": "plv-1"}
    named = await asyncio.gather(*(change(gql, DEPUTY, **deputy) for _ in range(5)))
    assert all(n == named[0] for n in named) and named[0]["__typename"] == "Officer", named
    assert await events(store, "DEPUTY_NAMED", person_id="plv-ocw-tegelijk") == 1
    # Its period's start and end each scheduled once, by the try that named the deputy.
    assert await store.db["register_changes"].count_documents(
        {"person_id": "plv-ocw-tegelijk"}) == 2


async def test_a_key_nothing_can_keep_is_refused_and_changes_nothing(gql: GraphQL,
                                                                    store: Store):
    kept = await store.register.keyed.count_documents({})
    for key in ("", "\ud800", "a\x00b", "k" * 129, "k" * 60_000):
        answer = await change(gql, APPOINT, personId="cio-def-sleutel", name="Daan Sleutel",
                              role="CIO", ministry="DEF", idempotencyKey=key)
        assert (answer["__typename"], answer["code"]) == ("Rejected", "INVALID_INPUT"), key
    assert await events(store, "APPOINTED", person_id="cio-def-sleutel") == 0
    assert await store.register.keyed.count_documents({}) == kept
