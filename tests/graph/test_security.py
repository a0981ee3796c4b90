"""Production identity against a fake OpenID Connect issuer on loopback, and the abuse
limits of the OWASP GraphQL Cheat Sheet, each against a running API."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import jwt
import pytest
import strawberry.schema.schema as strawberry_schema
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.graph import validation
from services.graph.trusted import document_id
from services.settings import Settings
from services.store.database import Store
from tests.fake_issuer import AUDIENCE, FakeIssuer
from tests.helpers import GraphQL, running_api

ME = "{ me { id } }"


@pytest.fixture(scope="module")
async def production(
    api_settings: Settings, issuer: FakeIssuer, store: Store
) -> AsyncIterator[GraphQL]:
    settings = api_settings.model_copy(update={
        "mode": "production", "jwt_secret": None, "oidc_issuer": issuer.url,
        "oidc_audience": AUDIENCE, "jwks_min_refresh_seconds": 0,
        "mutations_per_minute": 3,
    })
    async with running_api(settings) as url:
        client = GraphQL(url, settings)
        yield client
        await client.http.aclose()


async def as_bearer(client: GraphQL, document: str, token: str) -> dict:
    return await client.raw(document, headers={"Authorization": f"Bearer {token}"})


def code(body: dict) -> str | None:
    return body["errors"][0]["extensions"].get("code") if body.get("errors") else None


async def test_tokens_of_the_issuer_are_accepted(production: GraphQL, issuer: FakeIssuer):
    body = await as_bearer(production, ME, issuer.token())
    assert body["data"]["me"] == {"id": "cio-bzk"}
    body = await as_bearer(production, ME, issuer.token(kid="ec-1", algorithm="ES256"))
    assert body["data"]["me"] == {"id": "cio-bzk"}


def confused(issuer: FakeIssuer) -> str:
    """HS256 signed with the issuer's public key as the secret: algorithm confusion."""
    pem = issuer.rsa.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode()
    claims = json.dumps({"sub": "cio-rijk", "iss": issuer.url, "aud": AUDIENCE,
                         "exp": int(time.time()) + 300}).encode()
    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = b64(header) + b"." + b64(claims)
    signature = hmac.new(pem, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + b64(signature)).decode()


def unsigned(issuer: FakeIssuer) -> str:
    return jwt.encode({"sub": "cio-rijk", "iss": issuer.url, "aud": AUDIENCE,
                       "exp": int(time.time()) + 300}, None, algorithm="none")


@pytest.mark.parametrize("case", [
    "wrong issuer", "wrong audience", "expired", "not yet valid", "alg none",
    "HS256 with the public key", "unknown kid", "dev HS256 token", "signed by another key",
])
async def test_bad_tokens_are_refused(production: GraphQL, issuer: FakeIssuer, case: str):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tokens = {
        "wrong issuer": lambda: issuer.token(iss="https://evil.example"),
        "wrong audience": lambda: issuer.token(aud="someone-else"),
        "expired": lambda: issuer.token(exp=int(time.time()) - 5),
        "not yet valid": lambda: issuer.token(nbf=int(time.time()) + 600),
        "alg none": lambda: unsigned(issuer),
        "HS256 with the public key": lambda: confused(issuer),
        "unknown kid": lambda: issuer.token(kid="rsa-unknown", key=stranger),
        "dev HS256 token": lambda: jwt.encode(
            {"sub": "cio-rijk", "aud": "stelsel", "exp": int(time.time()) + 300},
            "tests-only-secret-0123456789abcdef0123456789", algorithm="HS256"),
        "signed by another key": lambda: issuer.token(key=stranger),
    }
    body = await as_bearer(production, ME, tokens[case]())
    assert code(body) == "UNAUTHENTICATED", body
    assert body["data"] is None or body["data"].get("me") is None


async def test_a_new_key_of_the_issuer_is_fetched_on_its_unknown_kid(
    production: GraphQL, issuer: FakeIssuer
):
    assert (await as_bearer(production, ME, issuer.token()))["data"]["me"]
    fetched = issuer.jwks_fetches
    rotated = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer.published["rsa-2"] = rotated.public_key()
    body = await as_bearer(production, ME, issuer.token(kid="rsa-2", key=rotated))
    assert body["data"]["me"] == {"id": "cio-bzk"}
    assert issuer.jwks_fetches == fetched + 1
    # A known kid is served from the cache.
    await as_bearer(production, ME, issuer.token(kid="rsa-2", key=rotated))
    assert issuer.jwks_fetches == fetched + 1


async def test_production_hides_the_schema_and_internal_errors(
    production: GraphQL, gql: GraphQL, store: Store
):
    body = await production.raw("{ __schema { types { name } } }")
    assert body.get("data") is None and "introspection" in body["errors"][0]["message"].lower()
    # A broken document makes a resolver fail: development says why, production does not.
    await store.issues.issues.insert_one({
        "_id": "broken-issue", "title": "t", "proposal": "p", "proposal_version": 1,
        "scope": "NOT_A_SCOPE", "topics": [], "touches_personal_data": False,
        "binding_framework": False, "phase": "ADVICE", "last_seq": 1})
    query = '{ issue(id: "broken-issue") { id scope } }'
    development = await gql.raw(query)
    assert "NOT_A_SCOPE" in development["errors"][0]["message"]
    masked = await production.raw(query)
    assert masked["errors"][0]["message"] == "Unexpected error."
    assert "NOT_A_SCOPE" not in json.dumps(masked) and "Traceback" not in json.dumps(masked)
    await store.issues.issues.delete_one({"_id": "broken-issue"})


async def test_mutations_are_rate_limited_per_identity(production: GraphQL, issuer: FakeIssuer):
    mutation = 'mutation { closePhase(issueId: "000000000000000000000000") { __typename } }'
    bodies = [await as_bearer(production, mutation, issuer.token(sub="cio-fin"))
              for _ in range(4)]
    assert [code(b) for b in bodies[:3]] == [None, None, None]
    assert code(bodies[3]) == "RATE_LIMITED"
    assert bodies[3]["errors"][0]["extensions"]["retryAfter"] >= 1
    # Another identity has its own budget.
    other = await as_bearer(production, mutation, issuer.token(sub="cio-ocw"))
    assert code(other) is None


# -- limits on the size and shape of requests ---------------------------------------------


def nested(depth: int) -> str:
    query = "code"
    for _ in range(depth):
        query = f"successor {{ {query} }}"
    return f'{{ ministry(code: "KGG") {{ {query} }} }}'


async def test_query_depth_is_limited(gql: GraphQL):
    assert "errors" not in await gql.raw(nested(8))
    body = await gql.raw(nested(12))
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_aliases_are_limited_also_inside_fragments(gql: GraphQL):
    aliases = " ".join(f"a{i}: code" for i in range(16))
    body = await gql.raw(f"{{ ministries {{ {aliases} }} }}")
    assert "aliases" in body["errors"][0]["message"].lower()
    fragment = "fragment F on Ministry { " + " ".join(f"b{i}: name" for i in range(9)) + " }"
    body = await gql.raw(f"{{ ministries {{ ...F {' '.join(f'c{i}: code' for i in range(8))} }} }} "
                         + fragment)
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_a_document_is_validated_once_and_its_refusal_kept(gql: GraphQL, monkeypatch):
    calls = []
    real = validation.validate_document
    monkeypatch.setattr(validation, "validate_document",
                        lambda *args: calls.append(args[1]) or real(*args))
    valid = "{ ministries { code } once: ministries { name } }"
    for _ in range(3):
        assert "errors" not in await gql.raw(valid)
    assert len(calls) == 1
    # A refused document is refused the same each time, from what was kept.
    for _ in range(2):
        body = await gql.raw(nested(12) + " ")
        assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert len(calls) == 2
    # The operation budget still comes first: a refused operation is never validated.
    costly = ("{ issues(first: 100) { edges { node { ministry { issues(first: 100) { "
              "edges { node { timeline { seq } } } } } } } } }")
    assert code(await gql.raw(costly)) == "QUERY_TOO_COSTLY"
    assert len(calls) == 2


async def test_a_document_is_parsed_once_and_bad_syntax_still_answered(
    api_settings: Settings, monkeypatch
):
    calls = []
    real = validation.parse

    def counted(text, **options):
        calls.append(text)
        return real(text, **options)

    # Ours, and Strawberry's own (what parses a document no cache holds).
    monkeypatch.setattr(validation, "parse", counted)
    monkeypatch.setattr(strawberry_schema, "parse", counted)
    text = f"{{ m{uuid.uuid4().hex}: ministries {{ code }} }}"
    # No read cache: each request is parsed or found parsed, not answered from a result.
    async with running_api(api_settings.model_copy(update={"read_cache": False})) as url:
        async with httpx.AsyncClient() as http:
            for _ in range(3):
                body = (await http.post(f"{url}/graphql", json={"query": text})).json()
                assert "errors" not in body
            assert calls.count(text) == 1
            body = (await http.post(f"{url}/graphql",
                                    json={"query": "{ ministries { code "})).json()
    assert body["errors"][0]["message"].startswith("Syntax Error")


async def test_tokens_are_limited(gql: GraphQL):
    body = await gql.raw("{ ministries { " + "code " * 2100 + "} }")
    assert "token" in body["errors"][0]["message"].lower()


async def test_page_sizes_are_limited(gql: GraphQL):
    body = await gql.raw("{ issues(first: 101) { totalCount } }")
    assert code(body) == "BAD_USER_INPUT"


async def test_large_bodies_and_batches_are_refused(api: str):
    async with httpx.AsyncClient() as http:
        big = await http.post(f"{api}/graphql", json={"query": "{ ministries { code } }",
                                                      "variables": {"pad": "x" * 70_000}})
        assert big.status_code == 413
        assert big.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        batch = await http.post(f"{api}/graphql", json=[{"query": "{ ministries { code } }"}])
        assert batch.status_code == 400


async def test_trusted_documents_only(api_settings: Settings, tmp_path: Path):
    known = "query Board { ministries { code } }"
    path = tmp_path / "trusted.json"
    path.write_text(json.dumps({document_id(known): known}))
    settings = api_settings.model_copy(update={"trusted_documents": path,
                                               "trusted_documents_only": True})
    async with running_api(settings) as url, httpx.AsyncClient() as http:
        by_id = await http.post(f"{url}/graphql", json={"extensions": {"persistedQuery": {
            "version": 1, "sha256Hash": document_id(known)}}})
        assert len(by_id.json()["data"]["ministries"]) == 13
        by_text = await http.post(f"{url}/graphql", json={"query": known})
        assert by_text.status_code == 200
        other = await http.post(f"{url}/graphql", json={"query": "{ ministries { name } }"})
        assert other.status_code == 400 and "trusted" in other.text


# -- what a hostile caller tried beyond the limits above -----------------------------------


async def test_unknown_key_ids_at_once_fetch_the_key_set_once(
    production: GraphQL, issuer: FakeIssuer
):
    assert (await as_bearer(production, ME, issuer.token()))["data"]["me"]
    fetched = issuer.jwks_fetches
    tokens = [issuer.token(kid=f"unknown-{i}") for i in range(40)]
    bodies = await asyncio.gather(*(as_bearer(production, ME, t) for t in tokens))
    assert all(code(b) == "UNAUTHENTICATED" for b in bodies)
    # Callers that waited while another fetched use that fetch (this fixture allows a
    # refresh at any time; in production at most one per JWKS_MIN_REFRESH_SECONDS).
    assert issuer.jwks_fetches - fetched < 10


async def test_a_token_without_a_subject_is_refused(production: GraphQL, issuer: FakeIssuer):
    for subject in ("", "   "):
        body = await as_bearer(production, ME, issuer.token(sub=subject))
        assert code(body) == "UNAUTHENTICATED"
        assert "subject" in body["errors"][0]["message"]


async def test_production_suggests_nothing_and_logs_client_errors_quietly(
    production: GraphQL, gql: GraphQL, caplog: pytest.LogCaptureFixture
):
    query = '{ issue(id: "x") { advise } }'
    assert "Did you mean" in (await gql.raw(query))["errors"][0]["message"]
    with caplog.at_level(logging.INFO):
        body = await production.raw(query)
    assert "Did you mean" not in body["errors"][0]["message"]
    # Nor for arguments, input fields, enum values, or variables.
    for document, variables in (
        ("{ issues(fist: 2) { totalCount } }", None),
        ("{ issues(filter: {phse: ADVICE}) { totalCount } }", None),
        ("{ issues(filter: {phase: ADVISE}) { totalCount } }", None),
        ("query($p: Phase) { issues(filter: {phase: $p}) { totalCount } }", {"p": "ADVISE"}),
    ):
        assert "Did you mean" in json.dumps(await gql.raw(document, variables)), document
        refused = await production.raw(document, variables)
        assert refused["errors"] and "Did you mean" not in json.dumps(refused), document
    refused = [r for r in caplog.records if "advise" in r.getMessage()]
    assert refused and all(r.levelno == logging.INFO and r.exc_info is None for r in refused)


async def test_metrics_keep_a_bounded_set_of_operation_names(api: str):
    async with httpx.AsyncClient() as http:
        for i in range(120):
            await http.post(f"{api}/graphql",
                            json={"query": f"query Op{i}x{'y' * 200} {{ __typename }}"})
        await http.post(f"{api}/graphql", json={"query": "query Board { __typename }"})
        metrics = (await http.get(f"{api}/metrics")).text
    names = {line.split('operation="')[1].split('"')[0] for line in metrics.splitlines()
             if line.startswith("stelsel_graphql_operations_total{")}
    assert len(names) <= 52
    assert "other" in names and not any("yyyy" in n for n in names)
    assert len(metrics) < 200_000
