"""Binding frameworks through the API: creation by a binding decision, comply or explain,
revision, withdrawal, the compliance matrix and the register report."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone

from services.embedded import tool_path
from services.settings import Settings
from tests.helpers import MINISTRIES, GraphQL, eventually

RESULT = "__typename ... on Rejected { code message }"
FRAMEWORK = """id title text version withdrawn adoptBy decidedAt compliance
  issue { id decision { route binding } }
  adoptions { ministry { code } status explanation overdue reportedBy { id } }"""
REPORT = f"""mutation($input: ReportAdoptionInput!) {{ reportAdoption(input: $input) {{
  {RESULT} ... on Framework {{ compliance adoptions {{ ministry {{ code }} status }} }} }} }}"""


async def binding_decision(gql: GraphQL, title: str) -> str:
    raised = await gql("""mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
        ... on Issue { id } } }""", {"input": {
        "title": title, "proposal": f"Kader: {title}", "scope": "GOVERNMENT_WIDE",
        "touchesPersonalData": False, "bindingFramework": True,
        "procedure": {"adoptionWindowSeconds": 3600}}}, as_="cio-rijk")
    issue_id = raised["raiseIssue"]["id"]
    close = f"mutation($id: ID!) {{ closePhase(issueId: $id) {{ {RESULT} }} }}"
    for _ in range(2):
        await gql(close, {"id": issue_id}, as_="cio-rijk")
    await gql(f"""mutation($id: ID!) {{ castVote(input: {{issueId: $id, choice: OBJECT,
        reason: "Nee"}}) {{ {RESULT} }} }}""", {"id": issue_id}, as_="cio-fin")
    await gql(close, {"id": issue_id}, as_="cio-rijk")
    decided = await gql(f"""mutation($id: ID!) {{ decide(input: {{issueId: $id,
        outcome: ADOPTED, motivation: "Rijksbreed nodig"}}) {{ {RESULT} }} }}""",
                        {"id": issue_id}, as_="cio-rijk")
    assert decided["decide"]["__typename"] == "Issue"
    return issue_id


async def framework_of(gql: GraphQL, issue_id: str) -> dict:
    data = await eventually(
        lambda: gql(f"query($id: ID!) {{ issue(id: $id) {{ framework {{ {FRAMEWORK} }} }} }}",
                    {"id": issue_id}),
        lambda d: d["issue"]["framework"] is not None)
    return data["issue"]["framework"]


async def report(gql: GraphQL, framework_id: str, person: str, status: str,
                 explanation: str | None = None) -> dict:
    data = await gql(REPORT, {"input": {"frameworkId": framework_id, "status": status,
                                        "explanation": explanation}}, as_=person)
    return data["reportAdoption"]


async def test_comply_or_explain(gql: GraphQL):
    issue_id = await binding_decision(gql, "Cloudkader")
    framework = await framework_of(gql, issue_id)
    assert framework["issue"]["decision"] == {"route": "MANDATE", "binding": True}
    assert [a["ministry"]["code"] for a in framework["adoptions"]] == MINISTRIES
    assert {a["status"] for a in framework["adoptions"]} == {"PENDING"}
    assert framework["compliance"] == 0

    refused = await report(gql, issue_id, "cio-az", "EXCEPTION")
    assert refused["code"] == "INVALID_INPUT"
    refused = await report(gql, issue_id, "cpo-az", "IMPLEMENTED")
    assert refused["code"] == "FORBIDDEN"
    assert (await report(gql, issue_id, "cio-az", "IMPLEMENTED"))["__typename"] == "Framework"
    result = await report(gql, issue_id, "cio-bz", "EXCEPTION", "Eigen datacentrum")
    assert result["compliance"] == 2 / 12
    assert (await report(gql, issue_id, "cio-az", "PLANNED"))["code"] == "WRONG_PHASE"

    matrix = (await gql("""{ complianceMatrix { frameworks { id }
        rows { ministry { code } cells { framework { id } status overdue } } } }"""))
    rows = {r["ministry"]["code"]: r["cells"] for r in matrix["complianceMatrix"]["rows"]}
    column = [f["id"] for f in matrix["complianceMatrix"]["frameworks"]].index(issue_id)
    assert rows["AZ"][column]["status"] == "IMPLEMENTED"
    assert rows["BZ"][column]["status"] == "EXCEPTION"
    assert rows["FIN"][column]["status"] == "PENDING"


async def test_revise_resets_and_withdraw_ends(gql: GraphQL):
    issue_id = await binding_decision(gql, "AI-kader")
    await framework_of(gql, issue_id)
    await report(gql, issue_id, "cio-ocw", "IMPLEMENTED")
    revise = f"""mutation($id: ID!, $text: String!) {{ reviseFramework(frameworkId: $id,
        text: $text) {{ {RESULT} ... on Framework {{ version text adoptions {{ status }} }} }} }}"""
    refused = (await gql(revise, {"id": issue_id, "text": "Nieuw"}, as_="cio-ocw"))
    assert refused["reviseFramework"]["code"] == "FORBIDDEN"
    revised = (await gql(revise, {"id": issue_id, "text": "Kader, versie 2"}, as_="cio-rijk"))
    assert revised["reviseFramework"]["version"] == 2
    assert {a["status"] for a in revised["reviseFramework"]["adoptions"]} == {"PENDING"}

    withdraw = f"""mutation($id: ID!) {{ withdrawFramework(frameworkId: $id,
        reason: "Achterhaald") {{ {RESULT} ... on Framework {{ withdrawn }} }} }}"""
    assert (await gql(withdraw, {"id": issue_id}, as_="cio-rijk"))["withdrawFramework"] == {
        "__typename": "Framework", "withdrawn": True}
    assert (await report(gql, issue_id, "cio-ocw", "PLANNED"))["code"] == "WRONG_PHASE"
    listed = await gql("{ frameworks { id } all: frameworks(includeWithdrawn: true) { id } }")
    assert issue_id not in [f["id"] for f in listed["frameworks"]]
    assert issue_id in [f["id"] for f in listed["all"]]


async def test_the_register_report_matches_the_data(gql: GraphQL, api: str,
                                                    api_settings: Settings):
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    issue_id = await binding_decision(gql, "Rapportagekader")
    await framework_of(gql, issue_id)
    await report(gql, issue_id, "cio-szw", "IMPLEMENTED")
    await report(gql, issue_id, "cio-bz", "EXCEPTION", "Eigen datacentrum")
    end = datetime.now(timezone.utc) + timedelta(seconds=1)
    period = {"from": start.isoformat(), "to": end.isoformat()}

    as_json = (await gql.http.get(f"{api}/reports/register.json", params=period)).json()
    decisions = {d["issue_id"]: d for d in as_json["decisions"]}
    assert decisions[issue_id]["route"] == "MANDATE"
    assert decisions[issue_id]["motivation"] == "Rijksbreed nodig"
    assert decisions[issue_id]["decided_by"]  # the CIO Rijk's name
    row = next(f for f in as_json["frameworks"] if f["framework_id"] == issue_id)
    assert (row["implemented"], row["exceptions"], row["pending"], row["compliance"]) == (
        1, 1, 10, round(2 / 12, 4))
    assert {"framework_id": issue_id, "framework": "Rapportagekader", "unit": "BZ",
            "explanation": "Eigen datacentrum"}.items() <= next(
        e for e in as_json["exceptions"] if e["framework_id"] == issue_id).items()
    before = (await gql.http.get(f"{api}/reports/register.json",
                                 params={"to": start.isoformat()})).json()
    assert issue_id not in [d["issue_id"] for d in before["decisions"]]

    # One table per CSV, as Dutch spreadsheets open it (`;`, a byte order mark).
    as_csv = (await gql.http.get(f"{api}/reports/register.csv",
                                 params={**period, "tabel": "besluiten"})).text
    assert as_csv.startswith("\ufeff")
    decision_rows = list(csv.DictReader(io.StringIO(as_csv.removeprefix("\ufeff")),
                                        delimiter=";"))
    assert {r["zaak"] for r in decision_rows} == set(decisions)
    assert {r["route"] for r in decision_rows if r["zaak"] == issue_id} == {"mandaat"}
    frameworks = (await gql.http.get(f"{api}/reports/register.csv",
                                     params={**period, "tabel": "kaders"})).text
    assert "Rapportagekader" in frameworks and "invoeren vóór" in frameworks
    as_md = (await gql.http.get(f"{api}/reports/register.md", params=period)).text
    assert "| Rapportagekader | 1 |" in as_md and "17%" in as_md
    assert "| Rapportagekader | BZ | Eigen datacentrum |" in as_md  # comply or explain
    assert "## Bindende kaders" in as_md
    bundle = await gql.http.get(f"{api}/reports/register.zip", params=period)
    assert bundle.headers["content-type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()) == 4

    env = {**os.environ, "STELSEL_MODE": "development",
           "MONGODB_URI": api_settings.mongodb_uri,
           "STELSEL_MONGODB_DATABASE": api_settings.mongodb_database}
    cli = subprocess.run([tool_path("stelsel"), "report", "--format", "json",
                          "--from", period["from"], "--to", period["to"]],
                         env=env, capture_output=True, text=True, check=True)
    assert json.loads(cli.stdout) == as_json
    unknown = subprocess.run([tool_path("stelsel"), "report", "--council", "nergens"],
                             env=env, capture_output=True, text=True)
    assert unknown.returncode == 1 and "no council nergens" in unknown.stderr
