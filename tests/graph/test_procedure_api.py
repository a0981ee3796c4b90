"""The procedure through the public API: every scenario over HTTP, with tokens per role."""

from __future__ import annotations

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from tests.graph.operations import (
    ADVISE,
    AMEND,
    CLOSE,
    CONTRIBUTE,
    DECIDE,
    RAISE,
    READ,
    RECLASSIFY,
    VOTE,
    WITHDRAW,
    government_wide,
    ok,
    refused,
    timeline_of,
)
from tests.helpers import MINISTRIES, GraphQL, eventually


async def test_a_government_wide_issue_from_raise_to_a_binding_mandate_decision(gql: GraphQL):
    issue = await ok(gql, RAISE, {"input": government_wide()}, "cio-rijk")
    issue_id = issue["id"]
    assert (issue["phase"], issue["ministry"], issue["raisedBy"]["id"]) == (
        "ADVICE", None, "cio-rijk")
    assert issue["workflowId"] == f"issue-{issue_id}"
    assert issue["phaseDeadline"].endswith("+00:00")

    issue = await ok(gql, ADVISE, {"input": {"issueId": issue_id, "stance": "CONDITIONAL",
                                             "text": "Alleen met DPIA"}}, "cpo-bzk")
    assert issue["advice"][0]["officer"]["ministry"]["code"] == "BZK"
    issue = await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")
    assert issue["phase"] == "DELIBERATION"

    issue = await ok(gql, CONTRIBUTE, {"input": {"issueId": issue_id, "text": "Kosten?"}},
                     "cio-fin")
    assert issue["contributions"][0]["ministry"]["code"] == "FIN"
    issue = await ok(gql, AMEND, {"input": {"issueId": issue_id,
                                            "proposal": "Kaders, met kostenplafond."}}, "cio-rijk")
    assert issue["proposalVersion"] == 2

    issue = await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")
    assert issue["phase"] == "VOTING"
    assert issue["tally"]["eligible"] == 12
    for ministry in MINISTRIES[:10]:
        await ok(gql, VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}},
                 f"cio-{ministry.lower()}")
    issue = await ok(gql, VOTE, {"input": {"issueId": issue_id, "choice": "OBJECT",
                                           "reason": "Te vroeg"}}, "cio-vws")
    assert issue["tally"] == {"agree": 10, "abstain": 0, "object": 1, "notVoted": 1,
                              "eligible": 12}
    issue = await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")
    assert issue["phase"] == "MANDATE"

    issue = await ok(gql, DECIDE, {"input": {"issueId": issue_id, "outcome": "ADOPTED",
                                             "motivation": "Noodzakelijk voor veiligheid"}},
                     "cio-rijk")
    assert issue["phase"] == "DECIDED"
    assert issue["phaseDeadline"] is None
    assert issue["decision"] == {"route": "MANDATE", "outcome": "ADOPTED",
                                 "motivation": "Noodzakelijk voor veiligheid",
                                 "decidedBy": {"id": "cio-rijk"}, "binding": True}
    kinds = [e["kind"] for e in issue["timeline"]]
    assert kinds == ["RAISED", "ADVICE_SUBMITTED", "PHASE_CHANGED", "CONTRIBUTION_POSTED",
                     "PROPOSAL_AMENDED", "PHASE_CHANGED"] + ["VOTE_CAST"] * 11 + [
                     "NO_CONSENSUS", "DECIDED"]
    assert [e["seq"] for e in issue["timeline"]] == list(range(1, len(kinds) + 1))


async def test_consensus_adopts_the_latest_proposal(gql: GraphQL):
    issue = await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                     "cio-rijk")
    for _ in range(2):
        await ok(gql, CLOSE, {"id": issue["id"]}, "cio-rijk")
    for ministry in MINISTRIES:
        issue = await ok(gql, VOTE, {"input": {"issueId": issue["id"], "choice": "AGREE"}},
                         f"cio-{ministry.lower()}")
    assert issue["phase"] == "DECIDED"
    assert issue["decision"]["route"] == "CONSENSUS"
    assert issue["decision"]["decidedBy"] is None
    assert [e["kind"] for e in issue["timeline"]][-2:] == ["CONSENSUS_REACHED", "DECIDED"]


async def test_second_long_windows_move_the_issue_on_their_own(gql: GraphQL):
    windows = {"adviceWindowSeconds": 1, "deliberationWindowSeconds": 1,
               "voteWindowSeconds": 1, "mandateWindowSeconds": 1}
    issue = await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False,
                                                           procedure=windows)}, "cio-rijk")
    read = await eventually(lambda: gql(READ, {"id": issue["id"]}, as_="cio-rijk"),
                            lambda d: "NO_CONSENSUS" in [e["kind"] for e in d["issue"]["timeline"]])
    assert read["issue"]["phase"] == "MANDATE"


async def test_a_departmental_issue_is_decided_by_its_own_cio(gql: GraphQL):
    raise_input = {"title": "Nieuwe werkplek", "proposal": "Laptops vervangen",
                   "scope": "DEPARTMENTAL", "ministry": "OCW", "touchesPersonalData": False}
    issue = await ok(gql, RAISE, {"input": raise_input}, "cio-ocw")
    assert issue["ministry"]["code"] == "OCW"
    issue = await ok(gql, CLOSE, {"id": issue["id"]}, "cio-ocw")
    assert issue["phase"] == "DEPARTMENTAL_DECISION"
    rejected = await refused(gql, DECIDE, {"input": {"issueId": issue["id"], "outcome":
                                                     "ADOPTED", "motivation": "x"}}, "cio-rijk")
    assert rejected["code"] == "FORBIDDEN"
    issue = await ok(gql, DECIDE, {"input": {"issueId": issue["id"], "outcome": "REJECTED",
                                             "motivation": "Te duur"}}, "cio-ocw")
    assert issue["decision"]["route"] == "DEPARTMENTAL"


async def test_reclassify_and_withdraw(gql: GraphQL):
    raise_input = {"title": "Datastrategie", "proposal": "Eén datastrategie",
                   "scope": "DEPARTMENTAL", "ministry": "SZW", "touchesPersonalData": False}
    issue = await ok(gql, RAISE, {"input": raise_input}, "cio-szw")
    await ok(gql, CLOSE, {"id": issue["id"]}, "cio-szw")
    issue = await ok(gql, RECLASSIFY, {"input": {"issueId": issue["id"],
                                                 "scope": "GOVERNMENT_WIDE",
                                                 "reason": "Raakt alle ministeries"}},
                     "cio-rijk")
    assert (issue["scope"], issue["phase"]) == ("GOVERNMENT_WIDE", "DELIBERATION")
    rejected = await refused(gql, WITHDRAW, {"input": {"issueId": issue["id"],
                                                       "reason": "Niet meer nodig"}}, "cio-fin")
    assert rejected["code"] == "FORBIDDEN"
    issue = await ok(gql, WITHDRAW, {"input": {"issueId": issue["id"],
                                               "reason": "Niet meer nodig"}}, "cio-szw")
    assert issue["phase"] == "WITHDRAWN"
    assert issue["phaseDeadline"] is None
    rejected = await refused(gql, CLOSE, {"id": issue["id"]}, "cio-rijk")
    assert rejected["code"] == "WRONG_PHASE"


async def test_reclassifying_to_a_ministry_not_in_force_never_reaches_history(
        gql: GraphQL, temporal_client: Client):
    issue = await ok(gql, RAISE, {"input": government_wide()}, "cio-rijk")
    rejected = await refused(gql, RECLASSIFY, {"input": {
        "issueId": issue["id"], "scope": "DEPARTMENTAL", "reason": "Eigen zaak",
        "ministry": "KGG"}}, "cio-rijk")  # absorbed into EZK: no longer in force
    assert (rejected["code"], rejected["message"]) == ("INVALID_INPUT",
                                                       "ministry KGG is not in force")
    history = await temporal_client.get_workflow_handle(issue["workflowId"]).fetch_history()
    updates = [e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
               for e in history.events
               if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED]
    assert updates == ["opened"]


@pytest.mark.parametrize(
    "case, code",
    [
        ("advisor raises", "FORBIDDEN"),
        ("unknown issue", "NOT_FOUND"),
        ("vote during advice", "WRONG_PHASE"),
        ("second advice", "DUPLICATE"),
        ("empty title", "INVALID_INPUT"),
        ("window below the bounds", "INVALID_INPUT"),
        ("close advice without privacy advice", "PRECONDITION_FAILED"),
    ],
)
async def test_each_refusal_has_its_code_and_changes_nothing(gql: GraphQL, case: str, code: str):
    issue = await ok(gql, RAISE, {"input": government_wide()}, "cio-rijk")
    issue_id = issue["id"]
    await ok(gql, ADVISE, {"input": {"issueId": issue_id, "stance": "SUPPORT",
                                     "text": "Prima"}}, "cdo-bzk")
    before = await timeline_of(gql, issue_id)
    attempts = {
        "advisor raises": (RAISE, {"input": government_wide()}, "cpo-bzk"),
        "unknown issue": (VOTE, {"input": {"issueId": "000000000000000000000000",
                                           "choice": "AGREE"}}, "cio-bzk"),
        "vote during advice": (VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}},
                               "cio-bzk"),
        "second advice": (ADVISE, {"input": {"issueId": issue_id, "stance": "OBJECT",
                                             "text": "Toch niet"}}, "cdo-bzk"),
        "empty title": (RAISE, {"input": government_wide(title="  ")}, "cio-rijk"),
        "window below the bounds": (RAISE, {"input": government_wide(
            procedure={"voteWindowSeconds": 0})}, "cio-rijk"),
        "close advice without privacy advice": (CLOSE, {"id": issue_id}, "cio-rijk"),
    }
    mutation, variables, person = attempts[case]
    rejected = await refused(gql, mutation, variables, person)
    assert rejected["code"] == code
    assert rejected["message"]
    assert await timeline_of(gql, issue_id) == before


async def test_an_objection_needs_a_reason(gql: GraphQL):
    issue = await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                     "cio-rijk")
    for _ in range(2):
        await ok(gql, CLOSE, {"id": issue["id"]}, "cio-rijk")
    rejected = await refused(gql, VOTE, {"input": {"issueId": issue["id"], "choice": "OBJECT"}},
                             "cio-bzk")
    assert rejected["code"] == "INVALID_INPUT"
    assert [e["kind"] for e in await timeline_of(gql, issue["id"])][-1] == "PHASE_CHANGED"


async def test_the_public_sees_the_course_but_not_the_deliberation(gql: GraphQL):
    issue = await ok(gql, RAISE, {"input": government_wide()}, "cio-rijk")
    await ok(gql, ADVISE, {"input": {"issueId": issue["id"], "stance": "OBJECT",
                                     "text": "Geen grondslag"}}, "cpo-bzk")
    public = (await gql(READ, {"id": issue["id"]}))["issue"]
    assert public["title"] == issue["title"]
    assert public["advice"] == [] and public["votes"] == [] and public["contributions"] == []
    assert [e["actor"] for e in public["timeline"]] == [None, None]
    assert all("Mulder" not in e["summary"] for e in public["timeline"])
    # The seat that raised it, not the person (the register says who holds it).
    assert public["raisedBy"] == {"id": "CIO_RIJK", "name": "CIO Rijk"}
    inside = (await gql(READ, {"id": issue["id"]}, as_="cto-fin"))["issue"]
    assert inside["raisedBy"]["id"] == "cio-rijk"
    assert inside["advice"][0]["text"] == "Geen grondslag"
    assert inside["timeline"][1]["actor"] == {"id": "cpo-bzk"}
