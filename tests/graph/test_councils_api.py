"""Several councils in one deployment, over HTTP: each preset runs a whole cycle, an issue
keeps the version it was raised under, and the secretariat publishes new versions."""

from __future__ import annotations

from services.councils.definitions import presets
from tests.graph.operations import ADVISE, CLOSE, RAISE, VOTE, ok, refused
from tests.helpers import GraphQL, eventually

COUNCIL = """query($id: ID!) { council(id: $id) { id version name unitTerm
  roles { code kind name perUnit privacy } units { code name }
  procedure { voteRule quorum deliberationWindowSeconds }
  officers { role ministry { code } person { id } } versions { version source } } }"""
DEFINE = """mutation($input: DefineCouncilInput!) { defineCouncil(input: $input) {
  __typename ... on Council { id version } ... on Rejected { code message } } }"""
PINNED = "query($id: ID!) { issue(id: $id) { councilVersion council { id version } } }"
GEMEENTE = "gemeente-voorbeeld"
UNITS = ["VS-BSD", "VS-RO", "VS-SD", "VS-BV", "VS-FIN"]
WINDOWS = {"adviceWindowSeconds": 3600, "voteWindowSeconds": 3600,
           "mandateWindowSeconds": 3600}


def seat(council: str, role: str, unit: str | None = None) -> str:
    """The demo person in a seat (services.store.demo.demo_people)."""
    return f"{council}-{role}" .lower() + (f"-{unit.lower()}" if unit else "")


def issue_of(council: str, **overrides) -> dict:
    return {"title": "Eén zaaksysteem", "proposal": "Alle directies op één zaaksysteem.",
            "scope": "GOVERNMENT_WIDE", "touchesPersonalData": True, "council": council,
            **overrides}


async def vote_all(gql: GraphQL, issue_id: str, council: str, member: str,
                   choices: list[tuple[str, str]]) -> dict:
    issue = {}
    for unit, choice in choices:
        reason = {"reason": "Te duur"} if choice == "OBJECT" else {}
        issue = await ok(gql, VOTE, {"input": {"issueId": issue_id, "choice": choice, **reason}},
                         seat(council, member, unit))
    return issue


async def test_every_preset_is_a_council_with_its_roles_units_and_people(gql: GraphQL):
    councils = (await gql("{ councils { id version } }"))["councils"]
    assert {c["id"] for c in councils} == set(presets())
    gemeente = (await gql(COUNCIL, {"id": GEMEENTE}))["council"]
    assert gemeente["unitTerm"] == "directie"
    assert [u["code"] for u in gemeente["units"]] == UNITS
    assert {(r["code"], r["kind"], r["perUnit"]) for r in gemeente["roles"]} >= {
        ("IM", "MEMBER", True), ("FG", "ADVISOR", False), ("GS", "CHAIR", False)}
    assert gemeente["procedure"] == {"voteRule": "MAJORITY", "quorum": 0.5,
                                     "deliberationWindowSeconds": 0}
    assert len(gemeente["officers"]) == 5 + 5  # an IM per directorate, five council seats
    assert gemeente["versions"] == [{"version": "2026-01-01", "source": "preset"}]


async def gemeente_to_the_vote(gql: GraphQL, by: str = seat(GEMEENTE, "GS"),
                               **overrides) -> str:
    issue = await ok(gql, RAISE, {"input": issue_of(GEMEENTE, **{"procedure": WINDOWS,
                                                                  **overrides})}, by)
    issue_id = issue["id"]
    assert issue["phase"] == "ADVICE" and len(issue["timeline"]) == 1
    # The council-wide FG's advice is the privacy precondition.
    no_fg = await refused(gql, CLOSE, {"id": issue_id}, seat(GEMEENTE, "GS"))
    assert no_fg["code"] == "PRECONDITION_FAILED"
    issue = await ok(gql, ADVISE, {"input": {"issueId": issue_id, "stance": "SUPPORT",
                                             "text": "DPIA gedaan"}}, seat(GEMEENTE, "FG"))
    assert issue["advice"][0]["role"] == "FG"
    issue = await ok(gql, CLOSE, {"id": issue_id}, seat(GEMEENTE, "GS"))
    assert issue["phase"] == "VOTING"  # no deliberation in this council
    assert issue["tally"]["eligible"] == 5
    return issue_id


async def test_the_municipality_adopts_three_to_two_by_majority(gql: GraphQL):
    issue_id = await gemeente_to_the_vote(gql)
    choices = list(zip(UNITS, ["AGREE"] * 3 + ["OBJECT"] * 2, strict=True))
    issue = await vote_all(gql, issue_id, GEMEENTE, "IM", choices)
    assert issue["phase"] == "DECIDED"
    assert (issue["decision"]["route"], issue["decision"]["outcome"]) == ("MAJORITY", "ADOPTED")
    assert issue["decision"]["decidedBy"] is None


async def test_lists_and_the_register_report_keep_each_council_apart(gql: GraphQL, api: str):
    issue_id = await gemeente_to_the_vote(gql)
    await vote_all(gql, issue_id, GEMEENTE, "IM", [(u, "AGREE") for u in UNITS])
    listed = """query($council: ID) { issues(first: 100, filter: {council: $council}) {
      totalCount edges { node { id council { id } } } } }"""
    mine = (await gql(listed, {"council": GEMEENTE}))["issues"]
    assert issue_id in {e["node"]["id"] for e in mine["edges"]}
    assert {e["node"]["council"]["id"] for e in mine["edges"]} == {GEMEENTE}
    assert mine["totalCount"] == len(mine["edges"])
    cio = (await gql(listed, {"council": "cio-beraad"}))["issues"]
    assert issue_id not in {e["node"]["id"] for e in cio["edges"]}

    def report(fmt: str, **params):
        return gql.http.get(f"{api}/reports/register.{fmt}", params=params)

    own = (await report("json", council=GEMEENTE)).json()
    assert issue_id in {d["issue_id"] for d in own["decisions"]}
    assert {d["council"] for d in own["decisions"]} == {GEMEENTE}
    other = (await report("json", council="cio-beraad")).json()
    assert issue_id not in {d["issue_id"] for d in other["decisions"]}
    every = (await report("md")).text
    assert "### Informatieberaad Gemeente Voorbeeldstad" in every
    assert "Besluitenregister en naleving van bindende kaders: Informatieberaad Gemeente " \
        "Voorbeeldstad" in (await report("md", council=GEMEENTE)).text
    unknown = await report("json", council="nergens")
    assert unknown.status_code == 404 and "no council nergens" in unknown.text


async def test_the_company_board_decides_by_a_qualified_majority(gql: GraphQL):
    board = "architectuurboard"
    units = ["NZL-HAV", "NZL-TRA", "NZL-WHS", "NZL-COM", "NZL-FIN", "NZL-HR"]
    issue = await ok(gql, RAISE, {"input": issue_of(board, touchesPersonalData=False)},
                     seat(board, "CTO"))
    issue_id = issue["id"]
    await ok(gql, CLOSE, {"id": issue_id}, seat(board, "CTO"))
    issue = await ok(gql, CLOSE, {"id": issue_id}, seat(board, "CTO"))
    assert issue["phase"] == "VOTING"
    choices = list(zip(units, ["AGREE"] * 3 + ["OBJECT"] * 3, strict=True))
    issue = await vote_all(gql, issue_id, board, "DA", choices)
    assert (issue["decision"]["route"], issue["decision"]["outcome"]) == ("MAJORITY", "REJECTED")


async def test_a_running_issue_keeps_its_version_and_a_new_one_follows_the_new(gql: GraphQL):
    running = await gemeente_to_the_vote(gql)
    consensus = presets()[GEMEENTE].replace('version: "2026-01-01"', 'version: "2026-06-01"') \
        .replace("rule: MAJORITY", "rule: CONSENSUS")
    by_member = (await gql(DEFINE, {"input": {"definition": consensus}},
                           as_=seat(GEMEENTE, "IM", "VS-RO")))["defineCouncil"]
    assert by_member["code"] == "FORBIDDEN"
    published = (await gql(DEFINE, {"input": {"definition": consensus}},
                           as_=seat(GEMEENTE, "SEC")))["defineCouncil"]
    assert published == {"__typename": "Council", "id": GEMEENTE, "version": "2026-06-01"}

    choices = list(zip(UNITS, ["AGREE"] * 3 + ["OBJECT"] * 2, strict=True))
    kept = await vote_all(gql, running, GEMEENTE, "IM", choices)
    assert (kept["decision"]["route"], kept["decision"]["outcome"]) == ("MAJORITY", "ADOPTED")
    assert (await gql(PINNED, {"id": running}))["issue"]["councilVersion"] == "2026-01-01"

    after = await gemeente_to_the_vote(gql)
    assert (await gql(PINNED, {"id": after}))["issue"] == {
        "councilVersion": "2026-06-01", "council": {"id": GEMEENTE, "version": "2026-06-01"}}
    issue = await vote_all(gql, after, GEMEENTE, "IM", choices)
    # Under consensus an objection keeps the vote open (it may be withdrawn) until it closes.
    assert issue["phase"] == "VOTING"
    issue = await ok(gql, CLOSE, {"id": after}, seat(GEMEENTE, "GS"))
    assert issue["phase"] == "MANDATE"


async def test_a_definition_is_refused_with_its_path_and_changes_nothing(gql: GraphQL):
    broken = presets()[GEMEENTE].replace("rule: MAJORITY", "rule: UNANIMOUS")
    answer = (await gql(DEFINE, {"input": {"definition": broken}},
                        as_=seat(GEMEENTE, "SEC")))["defineCouncil"]
    assert answer == {"__typename": "Rejected", "code": "INVALID_INPUT", "message":
                      "procedure.vote.rule: 'UNANIMOUS' is not one of CONSENSUS, MAJORITY, "
                      "QUALIFIED_MAJORITY"}
    same_version = presets()[GEMEENTE].replace("quorum: \"1/2\"", "quorum: \"3/5\"")
    answer = (await gql(DEFINE, {"input": {"definition": same_version}},
                        as_=seat(GEMEENTE, "SEC")))["defineCouncil"]
    assert answer["code"] == "DUPLICATE"
    versions = (await gql(COUNCIL, {"id": GEMEENTE}))["council"]["versions"]
    assert "2026-01-01" in [v["version"] for v in versions]


async def test_a_new_council_is_published_by_the_default_councils_secretariat(gql: GraphQL):
    new = presets()[GEMEENTE].replace("id: gemeente-voorbeeld", "id: gemeente-nieuw") \
        .replace("VS-", "NW-")
    refused_new = (await gql(DEFINE, {"input": {"definition": new}},
                             as_=seat(GEMEENTE, "SEC")))["defineCouncil"]
    assert refused_new["code"] == "FORBIDDEN"
    taken = presets()[GEMEENTE].replace("id: gemeente-voorbeeld", "id: gemeente-dubbel")
    clash = (await gql(DEFINE, {"input": {"definition": taken}},
                       as_="secretariaat"))["defineCouncil"]
    assert clash["code"] == "INVALID_INPUT" and "VS-BSD" in clash["message"]
    made = (await gql(DEFINE, {"input": {"definition": new}}, as_="secretariaat"))
    assert made["defineCouncil"]["id"] == "gemeente-nieuw"
    council = (await gql(COUNCIL, {"id": "gemeente-nieuw"}))["council"]
    assert council["versions"][0]["source"].startswith("published by ")


async def test_a_publication_is_on_the_registers_timeline_once_however_often_sent(
        gql: GraphQL):
    """The register event is what every replica hears (and drops its cached councils for);
    a resend of the same version is answered as the first and told once."""
    text = presets()[GEMEENTE].replace('version: "2026-01-01"', 'version: "2026-09-01"')
    before = await publications(gql)
    for _ in range(2):
        answer = (await gql(DEFINE, {"input": {"definition": text}},
                            as_=seat(GEMEENTE, "SEC")))["defineCouncil"]
        assert answer == {"__typename": "Council", "id": GEMEENTE, "version": "2026-09-01"}
    after = await publications(gql)
    assert after[:len(after) - len(before)] == [
        {"kind": "COUNCIL_PUBLISHED", "role": "SEC", "person": {"id": seat(GEMEENTE, "SEC")}}]


async def publications(gql: GraphQL) -> list[dict]:
    events = (await gql("{ registerEvents(first: 100) { kind role person { id } } }",
                        as_=seat(GEMEENTE, "SEC")))["registerEvents"]
    return [e for e in events if e["kind"] == "COUNCIL_PUBLISHED"]


async def test_a_procedure_change_adopted_by_the_council_applies_from_the_decision(
        gql: GraphQL):
    proposed = presets()[GEMEENTE].replace('version: "2026-01-01"', 'version: "2027-01-01"') \
        .replace('quorum: "1/2"', 'quorum: "4/5"')
    change = {"kind": "PROCEDURE_CHANGE"}
    member = seat(GEMEENTE, "IM", "VS-BSD")
    for definition, code, message in [
        (proposed.replace("rule: MAJORITY", "rule: UNANIMOUS"), "INVALID_INPUT",
         "definition: procedure.vote.rule: 'UNANIMOUS' is not one of"),
        (presets()["architectuurboard"], "INVALID_INPUT", "definition: proposes council"),
        (None, "INVALID_INPUT", "definition: a PROCEDURE_CHANGE proposes"),
    ]:
        answer = await refused(gql, RAISE, {"input": issue_of(
            GEMEENTE, **change, **({"definition": definition} if definition else {}))}, member)
        assert (answer["code"], answer["message"][:len(message)]) == (code, message)
    plain = await refused(gql, RAISE, {"input": issue_of(GEMEENTE, definition=proposed)}, member)
    assert plain["message"] == "definition: only with PROCEDURE_CHANGE"

    # The council decides its own procedure by its own rule: a majority of the directorates.
    # Raised by a directorate's IM, with the council's own windows.
    issue_id = await gemeente_to_the_vote(gql, member, kind="PROCEDURE_CHANGE",
                                          definition=proposed, procedure=None)
    read = "query($id: ID!) { issue(id: $id) { kind definition } }"
    assert (await gql(read, {"id": issue_id}))["issue"] == {
        "kind": "PROCEDURE_CHANGE", "definition": proposed}
    choices = list(zip(UNITS, ["AGREE"] * 3 + ["OBJECT"] * 2, strict=True))
    decided = await vote_all(gql, issue_id, GEMEENTE, "IM", choices)
    assert (decided["decision"]["route"], decided["decision"]["outcome"]) == (
        "MAJORITY", "ADOPTED")

    council = await eventually(lambda: gql(COUNCIL, {"id": GEMEENTE}),
                               lambda data: data["council"]["version"] == "2027-01-01")
    assert council["council"]["procedure"]["quorum"] == 0.8
    assert council["council"]["versions"][-1] == {"version": "2027-01-01",
                                                  "source": f"decision {issue_id}"}
    after = await gemeente_to_the_vote(gql)
    assert (await gql(PINNED, {"id": after}))["issue"]["councilVersion"] == "2027-01-01"
