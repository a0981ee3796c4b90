"""Identity: bearer tokens say who calls; the register says what they may do."""

from __future__ import annotations

import time

import jwt
import pytest

from tests.helpers import JWT_SECRET, GraphQL

ME = "{ me { id name officers { role ministry { code } } } }"
APPOINT = """mutation($input: AppointInput!) { appoint(input: $input) {
  __typename ... on Officer { id role person { id name } ministry { code } }
  ... on Rejected { code message } } }"""
CLOSE = "mutation { closePhase(issueId: \"x\") { __typename } }"


def forged(claims: dict, key: str = JWT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def claims(**overrides) -> dict:
    return {"sub": "cio-rijk", "aud": "stelsel", "exp": int(time.time()) + 600, **overrides}


def unsigned(payload: dict) -> str:
    import base64
    import json

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


async def test_me_is_the_caller(gql: GraphQL):
    me = (await gql(ME, as_="cpo-bzk"))["me"]
    assert me["id"] == "cpo-bzk"
    assert me["officers"] == [{"role": "CPO", "ministry": {"code": "BZK"}}]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer " + unsigned(claims()),
        "Bearer " + forged(claims(), key="another-secret-that-is-long-enough-0123456789"),
        "Bearer " + forged(claims(exp=int(time.time()) - 10)),
        "Bearer " + forged(claims(aud="someone-else")),
        "Bearer " + forged({"sub": "cio-rijk", "aud": "stelsel"}),  # no exp
        "Basic Y2lvLXJpams6",
    ],
    ids=["missing", "alg-none", "wrong-signature", "expired", "wrong-audience", "no-exp",
         "not-bearer"],
)
async def test_without_a_valid_token_mutations_and_me_are_unauthenticated(
    gql: GraphQL, authorization: str | None
):
    headers = {"Authorization": authorization} if authorization else {}
    for document in (ME, CLOSE):
        body = await gql.raw(document, headers=headers)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
    # Public reads still work for the same caller.
    body = await gql.raw("{ ministries { code } }", headers=headers)
    assert "errors" not in body and len(body["data"]["ministries"]) == 13


async def test_only_the_secretariat_appoints_and_a_new_appointment_ends_the_old(gql: GraphQL):
    appointment = {"personId": "cto-lvvn-2", "name": "Eline Hoekstra", "role": "CTO",
                   "ministry": "LVVN"}
    refused = (await gql(APPOINT, {"input": appointment}, as_="cio-rijk"))["appoint"]
    assert refused == {"__typename": "Rejected", "code": "FORBIDDEN",
                       "message": "only the secretariat appoints"}
    officer = (await gql(APPOINT, {"input": appointment}, as_="secretariaat"))["appoint"]
    assert officer["__typename"] == "Officer"
    assert officer["person"] == {"id": "cto-lvvn-2", "name": "Eline Hoekstra"}
    ctos = (await gql("{ officers(role: \"CTO\") { person { id } ministry { code } } }"))["officers"]
    lvvn = [o["person"]["id"] for o in ctos if o["ministry"]["code"] == "LVVN"]
    assert lvvn == ["cto-lvvn-2"]
    assert (await gql(ME, as_="cto-lvvn"))["me"]["officers"] == []

    invalid = dict(appointment, ministry="KGG")  # absorbed into EZK on 23 February 2026
    refused = (await gql(APPOINT, {"input": invalid}, as_="secretariaat"))["appoint"]
    assert refused["code"] == "INVALID_INPUT"
