"""Deputies (plaatsvervangers) over HTTP: named by the holder or the secretariat for a
period, they vote and advise on behalf of the holder; the holder's own vote replaces the
deputy's, one vote per seat; out of period a deputy is nobody."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.graph.operations import ADVISE, CLOSE, RAISE, VOTE, government_wide, ok, refused
from tests.helpers import GraphQL

DEPUTY = """mutation($input: AppointDeputyInput!) { appointDeputy(input: $input) {
  __typename ... on Officer { role deputy validFrom validTo ministry { code } person { id } }
  ... on Rejected { code message } } }"""
VOTES = """query($id: ID!) { issue(id: $id) {
  votes { ministry { code } voter { id } onBehalfOf { id } choice }
  advice { role onBehalfOf { id } officer { person { id } } }
  timeline { kind summary } } }"""


def period(hours_from: float, hours_to: float) -> dict:
    now = datetime.now(timezone.utc)
    return {"validFrom": (now + timedelta(hours=hours_from)).isoformat(),
            "validTo": (now + timedelta(hours=hours_to)).isoformat()}


async def name(gql: GraphQL, as_: str, **fields) -> dict:
    return (await gql(DEPUTY, {"input": fields}, as_=as_))["appointDeputy"]


async def voting(gql: GraphQL) -> str:
    issue_id = (await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                         "cio-rijk"))["id"]
    for _ in range(2):
        await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")
    return issue_id


async def test_a_deputy_votes_for_the_holder_and_the_holders_vote_replaces_it(gql: GraphQL):
    named = await name(gql, "secretariaat", personId="plv-cio-fin", name="Pieter Plaats",
                       role="CIO", ministry="FIN", **period(0, 24))
    assert named["__typename"] == "Officer", named
    assert (named["deputy"], named["person"]["id"], named["ministry"]["code"]) == (
        True, "plv-cio-fin", "FIN")
    issue_id = await voting(gql)

    await ok(gql, VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}}, "plv-cio-fin")
    seen = (await gql(VOTES, {"id": issue_id}, as_="cio-rijk"))["issue"]
    assert seen["votes"] == [{"ministry": {"code": "FIN"}, "voter": {"id": "plv-cio-fin"},
                              "onBehalfOf": {"id": "cio-fin"}, "choice": "AGREE"}]
    assert "plaatsvervanger van" in seen["timeline"][-1]["summary"]

    await ok(gql, VOTE, {"input": {"issueId": issue_id, "choice": "OBJECT", "reason": "Nee"}},
             "cio-fin")
    seen = (await gql(VOTES, {"id": issue_id}, as_="cio-rijk"))["issue"]
    assert seen["votes"] == [{"ministry": {"code": "FIN"}, "voter": {"id": "cio-fin"},
                              "onBehalfOf": None, "choice": "OBJECT"}]  # one vote per seat
    overruled = await refused(gql, VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}},
                              "plv-cio-fin")
    assert overruled["code"] == "FORBIDDEN" and "in person" in overruled["message"]

    events = (await gql("{ registerEvents(first: 5) { kind person { id } actor { id } } }",
                        as_="secretariaat"))["registerEvents"]
    assert {"kind": "DEPUTY_NAMED", "person": {"id": "plv-cio-fin"},
            "actor": {"id": "secretariaat"}} in events


async def test_a_deputy_out_of_period_is_nobody(gql: GraphQL):
    later = await name(gql, "cio-ocw", personId="plv-cio-ocw", name="Olga Later",
                       role="CIO", ministry="OCW", **period(2, 24))  # the holder names
    assert later["__typename"] == "Officer", later
    issue_id = await voting(gql)
    early = await refused(gql, VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}},
                          "plv-cio-ocw")
    assert early["code"] == "FORBIDDEN"


async def test_an_advisors_deputy_advises_on_behalf(gql: GraphQL):
    await name(gql, "cpo-bzk", personId="plv-cpo-bzk", name="Bas Vervanger", role="CPO",
               ministry="BZK", **period(0, 1))
    issue_id = (await ok(gql, RAISE, {"input": government_wide()}, "cio-rijk"))["id"]
    advice = await ok(gql, ADVISE, {"input": {"issueId": issue_id, "stance": "SUPPORT",
                                              "text": "Akkoord"}}, "plv-cpo-bzk")
    assert advice["advice"][0]["role"] == "CPO"
    seen = (await gql(VOTES, {"id": issue_id}, as_="cio-rijk"))["issue"]
    assert seen["advice"] == [{"role": "CPO", "onBehalfOf": {"id": "cpo-bzk"},
                               "officer": {"person": {"id": "plv-cpo-bzk"}}}]


async def test_who_may_name_which_deputy(gql: GraphQL):
    other = await name(gql, "cio-bzk", personId="plv-x", name="X", role="CIO", ministry="FIN",
                       **period(0, 1))
    assert other["code"] == "FORBIDDEN"  # a CIO names only their own seat's deputy
    chair = await name(gql, "secretariaat", personId="plv-rijk", name="Y", role="CIO_RIJK",
                       **period(0, 1))
    assert chair["code"] == "INVALID_INPUT" and "member or advisory" in chair["message"]
    twice = await name(gql, "secretariaat", personId="cio-bzk", name="Z", role="CIO",
                       ministry="AZ", **period(0, 1))
    assert twice["code"] == "INVALID_INPUT" and "one seat of a role" in twice["message"]
    backwards = await name(gql, "secretariaat", personId="plv-y", name="Y", role="CIO",
                           ministry="AZ", **period(2, 1))
    assert backwards["code"] == "INVALID_INPUT"
    naive = await name(gql, "secretariaat", personId="plv-y", name="Y", role="CIO",
                       ministry="AZ", validTo="2099-01-01T00:00:00")  # taken as UTC
    assert naive["code"] == "INVALID_INPUT" and "days at most" in naive["message"]
