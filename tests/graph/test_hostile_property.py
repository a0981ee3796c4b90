"""The poison-pill invariant, generated: whatever any caller sends in any string input of
any mutation (lone surrogates, controls, right-to-left marks, megabyte strings), every
request is answered within seconds with a typed result, and afterwards the CIO Rijk can
still close each phase and decide, on timelines without gaps.

STELSEL_HOSTILE_EXAMPLES sets the number of generated requests (default 60, `make test`);
`make chaos` runs 600.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from temporalio.client import Client

from services.settings import Settings
from tests.helpers import GraphQL, eventually, isolated_api, timeline_gaps

EXAMPLES = int(os.environ.get("STELSEL_HOSTILE_EXAMPLES", "60"))
ANSWER_WITHIN = 10.0  # seconds: a request that hangs is a wedged issue

TEXTS = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=30),
    st.sampled_from(["x\ud800", "\udfff", "\ud83d", "a\x00b", "a\r\nb", "\x1b[2J", "\x85",
                     "\u202eright-to-left", "🙂" * 50, " ", ""]),
    st.integers(1, 8).map(lambda n: "x" * (n * 5_000)),  # past every field's maximum
    st.just("y" * 1_000_000),  # past the body cap
)

ISSUE_RESULT = "__typename ... on Rejected { code message } ... on Issue { id phase }"
# Each mutation with the string inputs it takes, the caller and the phase of its target.
# Callers are chosen so that valid text exercises the rules (refused or applied), while
# nothing a generated request does can end an issue before the chair's turn at the end.
MUTATIONS = {
    "submitAdvice": ("SubmitAdviceInput", "cpo-fin", "ADVICE",
                     {"stance": "SUPPORT"}, ["text", "idempotencyKey", "issueId"]),
    "contribute": ("ContributeInput", "cio-fin", "DELIBERATION", {},
                   ["text", "idempotencyKey"]),
    "amendProposal": ("AmendProposalInput", "cio-rijk", "DELIBERATION", {},
                      ["proposal", "idempotencyKey"]),
    "castVote": ("CastVoteInput", "cio-bzk", "VOTING", {"choice": "OBJECT"},
                 ["reason", "idempotencyKey", "issueId"]),
    "decide": ("DecideInput", "cio-fin", "MANDATE", {"outcome": "ADOPTED"},
               ["motivation", "idempotencyKey"]),
    "reclassify": ("ReclassifyInput", "cio-fin", "DELIBERATION", {"scope": "DEPARTMENTAL"},
                   ["reason", "ministry", "idempotencyKey"]),
    "withdrawIssue": ("WithdrawInput", "cio-fin", "VOTING", {}, ["reason", "idempotencyKey"]),
}
RAISE_FIELDS = ["title", "proposal", "ministry", "idempotencyKey", "topics"]


def send(http: httpx.Client, url: str, token: str, document: str, variables: dict) -> dict:
    """Posts as a browser does (JSON.stringify escapes a lone surrogate) and checks the
    answer: in time, no 5xx, JSON with typed results."""
    started = time.monotonic()
    response = http.post(url, content=json.dumps({"query": document, "variables": variables}),
                         headers={"content-type": "application/json",
                                  "Authorization": f"Bearer {token}"})
    assert time.monotonic() - started < ANSWER_WITHIN
    if response.status_code == 413:  # past the body cap, refused before anything runs
        assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        return {}
    assert response.status_code == 200, response.text
    body = response.json()
    for error in body.get("errors") or []:
        assert error.get("extensions", {}).get("code"), body  # typed, never internal
    return body


def hostile(url: str, tokens: dict[str, str], issues: dict[str, str]) -> int:
    http = httpx.Client(timeout=ANSWER_WITHIN + 5)
    sent = 0

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from([*MUTATIONS, "raiseIssue", "closePhase"]),
           pick=st.integers(0, 10), text=TEXTS)
    def run(name: str, pick: int, text: str) -> None:
        nonlocal sent
        if name == "raiseIssue":
            field = RAISE_FIELDS[pick % len(RAISE_FIELDS)]
            value = [text] if field == "topics" else text
            variables = {"input": {"title": "Vijandig", "proposal": "p",
                                   "scope": "GOVERNMENT_WIDE", "touchesPersonalData": False,
                                   field: value}}
            document = f"mutation($input: RaiseIssueInput!) {{ raiseIssue(input: $input) {{ {ISSUE_RESULT} }} }}"
            body = send(http, url, tokens["cio-bzk"], document, variables)
        elif name == "closePhase":
            # The chair's own button, with a hostile key or issue id; a wrong caller.
            variables = {"id": text if pick % 2 else issues["ADVICE"], "key": text}
            document = (f"mutation($id: ID!, $key: String) {{ closePhase(issueId: $id, "
                        f"idempotencyKey: $key, phase: VOTING) {{ {ISSUE_RESULT} }} }}")
            body = send(http, url, tokens["cio-fin"], document, variables)
        else:
            input_type, person, phase, fixed, fields = MUTATIONS[name]
            field = fields[pick % len(fields)]
            variables = {"input": {"issueId": issues[phase], **fixed, field: text}}
            if field not in ("text", "proposal", "reason", "motivation"):
                variables["input"].setdefault(
                    {"submitAdvice": "text", "contribute": "text", "amendProposal": "proposal",
                     "castVote": "reason", "decide": "motivation", "reclassify": "reason",
                     "withdrawIssue": "reason"}[name], "Geldige tekst")
            document = (f"mutation($input: {input_type}!) {{ {name}(input: $input) "
                        f"{{ {ISSUE_RESULT} }} }}")
            body = send(http, url, tokens[person], document, variables)
        if body:
            result = next(iter((body.get("data") or {}).values()), None)
            assert result is None or result["__typename"] in ("Issue", "Rejected"), body
        sent += 1

    run()
    http.close()
    return sent


async def test_whatever_anyone_sends_the_chair_still_closes_and_decides(
    api_settings: Settings, gql: GraphQL, temporal_client: Client
):
    # A database and worker of its own: what is accepted here stays here.
    people = ["cio-rijk", "cio-bzk", "cio-fin", "cpo-fin"]
    tokens = {person: gql.token(person) for person in people}
    async with isolated_api(api_settings, temporal_client, "hostile") as (url, store, own):
        chair = GraphQL(url, own)
        close = "mutation($id: ID!) { closePhase(issueId: $id) { " + ISSUE_RESULT + " } }"
        issues: dict[str, str] = {}
        for phase, closes in (("ADVICE", 0), ("DELIBERATION", 1), ("VOTING", 2),
                              ("MANDATE", 3)):
            raised = await chair("mutation($input: RaiseIssueInput!) { raiseIssue(input: "
                                 "$input) { " + ISSUE_RESULT + " } }", {"input": {
                                     "title": f"Doelwit {phase}", "proposal": "p",
                                     "scope": "GOVERNMENT_WIDE",
                                     "touchesPersonalData": False}}, as_="cio-rijk")
            issues[phase] = raised["raiseIssue"]["id"]
            for _ in range(closes):
                await chair(close, {"id": issues[phase]}, as_="cio-rijk")

        sent = await asyncio.to_thread(hostile, f"{url}/graphql", tokens, issues)
        assert sent == EXAMPLES

        # The invariant: each issue still moves on at the chair's word, within seconds.
        decide = ("mutation($input: DecideInput!) { decide(input: $input) { "
                  + ISSUE_RESULT + " } }")
        for issue_id in issues.values():
            for _ in range(4):
                started = time.monotonic()
                state = (await chair("query($id: ID!) { issue(id: $id) { phase } }",
                                     {"id": issue_id}, as_="cio-rijk"))["issue"]["phase"]
                if state != "ADVICE" and state not in ("DELIBERATION", "VOTING"):
                    break
                await chair(close, {"id": issue_id}, as_="cio-rijk")
                assert time.monotonic() - started < ANSWER_WITHIN
            assert state == "MANDATE", state  # no generated request could end it sooner
            started = time.monotonic()
            done = await chair(decide, {"input": {
                "issueId": issue_id, "outcome": "REJECTED",
                "motivation": "Besloten door de voorzitter"}}, as_="cio-rijk")
            assert time.monotonic() - started < ANSWER_WITHIN
            assert done["decide"]["phase"] == "DECIDED", done
        await chair.http.aclose()

        await eventually(lambda: timeline_gaps(store), lambda found: found == [], timeout=30)
