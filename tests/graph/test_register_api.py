"""Register management over HTTP: the secretariat creates, renames and ends units and
dates appointments, each with its legal basis on the register's timeline; history answers
by date; a change dated ahead takes effect at its date."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.helpers import GraphQL, eventually

UNIT = "__typename ... on Ministry { code name abbreviation tooi observer names { name " \
       "abbreviation validFrom validTo } successor { code } } " \
       "... on Rejected { refused: code message }"
CREATE = f"mutation($input: CreateUnitInput!) {{ createUnit(input: $input) {{ {UNIT} }} }}"
RENAME = f"mutation($input: RenameUnitInput!) {{ renameUnit(input: $input) {{ {UNIT} }} }}"
END = f"mutation($input: EndUnitInput!) {{ endUnit(input: $input) {{ {UNIT} }} }}"
APPOINT = """mutation($input: AppointInput!) { appoint(input: $input) {
  __typename ... on Officer { id role validFrom person { id } ministry { code } }
  ... on Rejected { code message } } }"""
EVENTS = """{ registerEvents(first: 30) { kind at recordedAt basis detail role
  ministry { code } person { id } actor { id } } }"""
RVO = "https://identifier.overheid.nl/tooi/id/oorg/oorg10005"
BASIS = "Besluit van de secretaris-generaal van BZK, 2026/123"


def later(**delta: float) -> str:
    """A moment as the register keeps it (MongoDB holds milliseconds)."""
    moment = datetime.now(timezone.utc) + timedelta(**delta)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000).isoformat()


async def change(gql: GraphQL, mutation: str, as_: str = "secretariaat", **fields) -> dict:
    return next(iter((await gql(mutation, {"input": fields}, as_=as_)).values()))


async def events(gql: GraphQL) -> list[dict]:
    return (await gql(EVENTS, as_="secretariaat"))["registerEvents"]


async def test_a_unit_is_created_renamed_and_ended_on_the_record(gql: GraphQL, api: str):
    made = await change(gql, CREATE, code="RVO", name="Rijksdienst voor Ondernemend Nederland",
                        abbreviation="RVO", tooi=RVO, legalBasis=BASIS)
    assert made["__typename"] == "Ministry", made
    assert (made["tooi"], made["observer"]) == (RVO, False)
    before = datetime.now(timezone.utc).isoformat()
    renamed = await change(gql, RENAME, code="RVO", name="Rijksdienst voor Ondernemers",
                           abbreviation="RVO", legalBasis=BASIS)
    assert [n["name"] for n in renamed["names"]] == [
        "Rijksdienst voor Ondernemend Nederland", "Rijksdienst voor Ondernemers"]
    assert renamed["tooi"] == RVO  # the same organisation
    then = (await gql("query($at: DateTime) { ministries(at: $at) { code name } }",
                      {"at": before}))["ministries"]
    assert {"code": "RVO", "name": "Rijksdienst voor Ondernemend Nederland"} in then

    ended = await change(gql, END, code="RVO", successor="EZK", legalBasis=BASIS)
    assert ended["successor"] == {"code": "EZK"}
    now = [m["code"] for m in (await gql("{ ministries { code } }"))["ministries"]]
    assert "RVO" not in now
    kinds = [(e["kind"], e["ministry"]["code"] if e["ministry"] else None, e["basis"])
             for e in await events(gql)]
    for kind in ("UNIT_CREATED", "UNIT_RENAMED", "UNIT_ENDED"):
        assert (kind, "RVO", BASIS) in kinds
    # The register report for parliament says the same.
    report = (await gql.http.get(f"{api}/reports/register.json")).json()
    rows = [(r["kind"], r["unit"], r["basis"], r["by"]) for r in report["register"]]
    for kind in ("UNIT_CREATED", "UNIT_RENAMED", "UNIT_ENDED"):
        assert (kind, "RVO", BASIS, "Maarten de Wit") in rows
    markdown = (await gql.http.get(f"{api}/reports/register.md")).text
    assert "## Register" in markdown and "heet voortaan Rijksdienst voor Ondernemers" in markdown


async def test_unit_changes_are_refused_with_reasons(gql: GraphQL):
    cases = [
        (CREATE, "cio-bzk", {"code": "X1", "name": "X", "abbreviation": "X",
                             "legalBasis": BASIS}, "FORBIDDEN"),
        (CREATE, "secretariaat", {"code": "FIN", "name": "X", "abbreviation": "X",
                                  "legalBasis": BASIS}, "DUPLICATE"),
        (CREATE, "secretariaat", {"code": "X2", "name": "Financiën bis", "abbreviation": "F",
                                  "legalBasis": BASIS,
                                  "tooi": "https://identifier.overheid.nl/tooi/id/ministerie/"
                                          "mnre1090"}, "DUPLICATE"),
        (CREATE, "secretariaat", {"code": "X3", "name": "X", "abbreviation": "X",
                                  "legalBasis": BASIS, "tooi": "https://example.org/x"},
         "INVALID_INPUT"),
        (CREATE, "secretariaat", {"code": "X4", "name": "X", "abbreviation": "X",
                                  "legalBasis": " "}, "INVALID_INPUT"),
        (CREATE, "secretariaat", {"code": "X5", "name": "X", "abbreviation": "X",
                                  "legalBasis": BASIS, "validFrom": later(days=-2)},
         "INVALID_INPUT"),
        (RENAME, "secretariaat", {"code": "KGG", "name": "Klimaat", "abbreviation": "K",
                                  "legalBasis": BASIS}, "PRECONDITION_FAILED"),  # ended
        (RENAME, "secretariaat", {"code": "FIN", "name": "Financiën", "abbreviation": "FIN",
                                  "legalBasis": BASIS}, "DUPLICATE"),
        (RENAME, "secretariaat", {"code": "NOPE", "name": "X", "abbreviation": "X",
                                  "legalBasis": BASIS}, "NOT_FOUND"),
        (END, "secretariaat", {"code": "FIN", "successor": "FIN", "legalBasis": BASIS},
         "INVALID_INPUT"),
        (END, "secretariaat", {"code": "FIN", "successor": "KGG", "legalBasis": BASIS},
         "INVALID_INPUT"),  # a successor that is gone itself
        (END, "secretariaat", {"code": "FIN", "successor": "VS-FIN", "legalBasis": BASIS},
         "NOT_FOUND"),  # a council's own unit is no successor in the register
    ]
    for mutation, who, fields, code in cases:
        answer = await change(gql, mutation, who, **fields)
        assert answer.get("refused") == code, (fields, answer)
    assert "FIN" in [m["code"] for m in (await gql("{ ministries { code } }"))["ministries"]]


async def test_an_appointment_dated_ahead_takes_effect_at_its_date(gql: GraphQL):
    start = later(seconds=2)
    made = await change(gql, APPOINT, personId="cio-szw-2", name="Sara Nieuw", role="CIO",
                        ministry="SZW", validFrom=start, legalBasis=BASIS)
    assert made["__typename"] == "Officer" and made["validFrom"] == start, made
    holders = "{ ministry(code: \"SZW\") { officers { role person { id } } } }"

    def cio(data: dict) -> list[str]:
        return [o["person"]["id"] for o in data["ministry"]["officers"] if o["role"] == "CIO"]

    assert cio(await gql(holders)) == ["cio-szw"]  # not yet
    scheduled = [e for e in await events(gql) if e["kind"] == "APPOINTMENT_SCHEDULED"]
    assert scheduled[0]["person"] == {"id": "cio-szw-2"} and scheduled[0]["at"] == start
    await eventually(lambda: gql(holders), lambda d: cio(d) == ["cio-szw-2"], timeout=30)
    appointed = [e for e in await events(gql) if e["kind"] == "APPOINTED"
                 and e["person"] == {"id": "cio-szw-2"}]
    assert appointed[0]["at"] == start and appointed[0]["basis"] == BASIS

    # History by date: who was CIO of SZW just before the change, and just after.
    at = """query($at: DateTime) { officers(role: "CIO", at: $at) {
      person { id } ministry { code } } }"""
    before = (await gql(at, {"at": (datetime.fromisoformat(start)
                                    - timedelta(seconds=1)).isoformat()}))["officers"]
    after = (await gql(at, {"at": start}))["officers"]
    szw = [o["person"]["id"] for o in before if o["ministry"]["code"] == "SZW"]
    assert szw == ["cio-szw"]
    assert [o["person"]["id"] for o in after if o["ministry"]["code"] == "SZW"] == ["cio-szw-2"]


async def test_an_observer_contributes_but_does_not_vote(gql: GraphQL):
    """Logius sits at the table as an observer: its CIO contributes to the deliberation,
    but it is no voting member and does not count for the quorum."""
    from tests.graph.operations import CLOSE, CONTRIBUTE, RAISE, VOTE, government_wide, ok

    issue_id = (await ok(gql, RAISE, {"input": government_wide(touchesPersonalData=False)},
                         "cio-rijk"))["id"]
    await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")
    said = await ok(gql, CONTRIBUTE, {"input": {"issueId": issue_id,
                                                "text": "Logius kan dit aanbieden"}},
                    "cio-logius")
    assert said["contributions"][-1]["ministry"] == {"code": "Logius"}
    voting = await ok(gql, CLOSE, {"id": issue_id}, "cio-rijk")
    assert voting["tally"]["eligible"] == 12
    refused = (await gql(VOTE, {"input": {"issueId": issue_id, "choice": "AGREE"}},
                         as_="cio-logius"))["castVote"]
    assert refused["code"] == "FORBIDDEN"
