"""Identity as government single sign-on presents it, against the fake issuer: a configured
claim names the person, and with organisation checks on the token's OIN must be the unit's
of the seat the person acts in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client

from services.settings import Settings
from services.store.database import Store
from services.workflows.worker import build_worker
from tests.fake_issuer import AUDIENCE, FakeIssuer
from tests.helpers import GraphQL, running_api

OIN_FIN = "00000001003214345000"  # made up for the test; real OINs come from the secretariat
OIN_OTHER = "00000001999999999000"
ME = "{ me { id officers { role ministry { code } } } }"
RAISE = """mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  __typename ... on Rejected { code message } } }"""
DEPARTMENTAL = {"title": "Eigen zaak", "proposal": "Iets voor FIN alleen.",
                "scope": "DEPARTMENTAL", "ministry": "FIN", "touchesPersonalData": False}
RECORD = """mutation($input: RecordUnitOinInput!) { recordUnitOin(input: $input) {
  __typename ... on Ministry { oin } ... on Rejected { code message } } }"""


@pytest.fixture(scope="module")
async def sso(api_settings: Settings, issuer: FakeIssuer, store: Store,
              temporal_client: Client) -> AsyncIterator[GraphQL]:
    settings = api_settings.model_copy(update={
        "mode": "production", "jwt_secret": None, "oidc_issuer": issuer.url,
        "oidc_audience": AUDIENCE, "jwks_min_refresh_seconds": 0,
        "identity_claim": "employee_id", "oin_claim": "oin"})
    async with build_worker(temporal_client, store, settings.task_queue):
        async with running_api(settings) as url:
            client = GraphQL(url, settings)
            yield client
            await client.http.aclose()


async def call(client: GraphQL, issuer: FakeIssuer, document: str, variables: dict | None = None,
               **claims) -> dict:
    token = issuer.token(sub="some-uuid", **claims)
    return await client.raw(document, variables, {"Authorization": f"Bearer {token}"})


async def test_the_configured_claim_names_the_person(sso: GraphQL, issuer: FakeIssuer):
    body = await call(sso, issuer, ME, employee_id="cio-fin", oin=OIN_FIN)
    assert body["data"]["me"]["id"] == "cio-fin"
    missing = await call(sso, issuer, ME, oin=OIN_FIN)  # sub alone names nobody here
    assert missing["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "employee_id" in missing["errors"][0]["message"]
    no_oin = await call(sso, issuer, ME, employee_id="cio-fin")
    assert "organisation number" in no_oin["errors"][0]["message"]


async def test_a_seat_acts_only_for_its_own_organisation(sso: GraphQL, issuer: FakeIssuer):
    # Before FIN's OIN is recorded, no token acts in FIN's seat.
    before = await call(sso, issuer, RAISE, {"input": DEPARTMENTAL}, employee_id="cio-fin",
                        oin=OIN_FIN)
    assert before["data"]["raiseIssue"]["code"] == "FORBIDDEN"
    # The secretariat's seat is the council's own: any organisation's token acts in it.
    recorded = await call(sso, issuer, RECORD, {"input": {
        "code": "FIN", "oin": OIN_FIN, "legalBasis": "Register OIN (Logius)"}},
        employee_id="secretariaat", oin=OIN_OTHER)
    assert recorded["data"]["recordUnitOin"] == {"__typename": "Ministry", "oin": OIN_FIN}

    own = await call(sso, issuer, RAISE, {"input": DEPARTMENTAL}, employee_id="cio-fin",
                     oin=OIN_FIN)
    assert own["data"]["raiseIssue"]["__typename"] == "Issue", own
    other = await call(sso, issuer, RAISE, {"input": DEPARTMENTAL}, employee_id="cio-fin",
                       oin=OIN_OTHER)
    assert other["data"]["raiseIssue"]["code"] == "FORBIDDEN"
    seats = await call(sso, issuer, ME, employee_id="cio-fin", oin=OIN_OTHER)
    assert seats["data"]["me"]["officers"]  # the register still says who holds the seat

    taken = await call(sso, issuer, RECORD, {"input": {
        "code": "BZK", "oin": OIN_FIN, "legalBasis": "x"}}, employee_id="secretariaat",
        oin=OIN_OTHER)
    assert taken["data"]["recordUnitOin"]["code"] == "DUPLICATE"
    bad = await call(sso, issuer, RECORD, {"input": {
        "code": "BZK", "oin": "12ab", "legalBasis": "x"}}, employee_id="secretariaat",
        oin=OIN_OTHER)
    assert bad["data"]["recordUnitOin"]["code"] == "INVALID_INPUT"
