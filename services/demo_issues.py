"""Demo issues in every phase, raised and moved on through the API as its users would
(`stelsel dev`, on a fresh data folder): what a newcomer, a screenshot and a tryout see.
Every window is weeks long, so nothing moves on by itself while one looks."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from services.graph.auth import issue_token
from services.settings import Settings

log = logging.getLogger("stelsel.demo")

WEEKS = {"adviceWindowSeconds": 14 * 86_400, "deliberationWindowSeconds": 14 * 86_400,
         "voteWindowSeconds": 14 * 86_400, "mandateWindowSeconds": 21 * 86_400}
RESULT = "__typename ... on Rejected { code message }"
RAISE = f"""mutation($input: RaiseIssueInput!) {{ raiseIssue(input: $input) {{
  {RESULT} ... on Issue {{ id }} }} }}"""
ADVISE = f"""mutation($input: SubmitAdviceInput!) {{ submitAdvice(input: $input) {{ {RESULT} }} }}"""
CONTRIBUTE = f"""mutation($input: ContributeInput!) {{ contribute(input: $input) {{ {RESULT} }} }}"""
CLOSE = f"""mutation($id: ID!) {{ closePhase(issueId: $id) {{ {RESULT} }} }}"""
VOTE = f"""mutation($input: CastVoteInput!) {{ castVote(input: $input) {{ {RESULT} }} }}"""
DECIDE = f"""mutation($input: DecideInput!) {{ decide(input: $input) {{ {RESULT} }} }}"""
WITHDRAW = f"""mutation($input: WithdrawInput!) {{ withdrawIssue(input: $input) {{ {RESULT} }} }}"""
REPORT = f"""mutation($input: ReportAdoptionInput!) {{ reportAdoption(input: $input) {{
  {RESULT} }} }}"""
MEMBERS = """{ officers(role: "CIO") { person { id } ministry { code observer } } }"""
FRAMEWORK = "query($id: ID!) { issue(id: $id) { framework { id } } }"


class DemoFailed(RuntimeError):
    pass


@dataclass
class Demo:
    http: httpx.AsyncClient
    settings: Settings
    raised: int = 0

    async def ask(self, query: str, variables: dict | None = None, as_: str = "cio-rijk"
                  ) -> dict[str, Any]:
        token = issue_token(self.settings, as_, 600)
        response = await self.http.post("/graphql", json={"query": query, "variables": variables},
                                        headers={"Authorization": f"Bearer {token}"})
        body = response.json()
        if body.get("errors"):
            raise DemoFailed(f"{as_}: {body['errors'][0]['message']}")
        result = next(iter(body["data"].values()))
        if isinstance(result, dict) and result.get("__typename") == "Rejected":
            raise DemoFailed(f"{as_}: {result['code']} {result['message']}")
        return result

    async def raise_issue(self, title: str, proposal: str, as_: str = "cio-rijk",
                          **extra: Any) -> str:
        fields = {"scope": "GOVERNMENT_WIDE", "touchesPersonalData": False, **extra}
        if as_ == "cio-rijk":
            fields["procedure"] = WEEKS  # only the chair sets windows
        issue = await self.ask(RAISE, {"input": {"title": title, "proposal": proposal,
                                                 **fields}}, as_)
        self.raised += 1
        return issue["id"]

    async def close(self, issue_id: str, times: int = 1, as_: str = "cio-rijk") -> None:
        for _ in range(times):
            await self.ask(CLOSE, {"id": issue_id}, as_)

    async def framework_of(self, issue_id: str) -> str:
        """The framework a binding decision sets: its workflow starts just after it."""
        for _ in range(100):
            found = (await self.ask(FRAMEWORK, {"id": issue_id}))["framework"]
            if found:
                return found["id"]
            await asyncio.sleep(0.1)
        raise DemoFailed(f"no framework for {issue_id}")

    async def vote(self, issue_id: str, person: str, choice: str, reason: str | None = None
                   ) -> None:
        await self.ask(VOTE, {"input": {"issueId": issue_id, "choice": choice,
                                        "reason": reason}}, person)


async def seed_issues(api: str, settings: Settings) -> int:
    """Raises the demo issues; returns how many. Each step is the API's own."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request is noise here
    async with httpx.AsyncClient(base_url=api, timeout=30) as http:
        demo = Demo(http, settings)
        members = [o["person"]["id"] for o in await demo.ask(MEMBERS)
                   if o["ministry"] and not o["ministry"]["observer"]]

        # Advice: one advisor has spoken.
        ai = await demo.raise_issue(
            "Rijksbrede inzet van generatieve AI",
            "Het Rijk stelt kaders voor het gebruik van generatieve AI door medewerkers: "
            "welke diensten, met welke gegevens, onder welk toezicht.",
            touchesPersonalData=True, topics=["ai", "privacy"])
        await demo.ask(ADVISE, {"input": {"issueId": ai, "stance": "CONDITIONAL",
                                          "text": "Alleen met een DPIA per toepassing."}},
                       "cpo-bzk")
        await demo.raise_issue(
            "Eén betaalplatform voor de Belastingdienst",
            "FIN vervangt de drie betaalsystemen van de Belastingdienst door één platform.",
            "cio-fin", scope="DEPARTMENTAL", ministry="FIN")

        # Deliberation, with a contribution.
        cloud = await demo.raise_issue(
            "Cloudbeleid Rijksoverheid 2027",
            "Publieke cloud is toegestaan voor gegevens tot en met BBN2, onder de "
            "voorwaarden van het rijksbrede cloudbeleid.", topics=["cloud"])
        await demo.close(cloud)
        await demo.ask(CONTRIBUTE, {"input": {
            "issueId": cloud, "text": "BZK steunt dit, mits de exitstrategie per dienst "
            "vooraf is beschreven."}}, "cio-bzk")

        # Voting, halfway.
        standards = await demo.raise_issue(
            "Open standaarden verplicht bij aanbestedingen",
            "Bij elke ICT-aanbesteding boven de Europese drempel zijn de open standaarden "
            "van de 'pas toe of leg uit'-lijst verplicht.")
        await demo.close(standards, 2)
        for n, person in enumerate(members[: len(members) // 2]):
            await demo.vote(standards, person, "ABSTAIN" if n == 2 else "AGREE")

        # Mandate: an objection left the vote without consensus.
        soc = await demo.raise_issue(
            "Gezamenlijk Security Operations Center voor de Rijksdienst",
            "De ministeries brengen hun SOC-taken onder in één rijksbreed SOC.")
        await demo.close(soc, 2)
        await demo.vote(soc, members[0], "AGREE")
        await demo.vote(soc, members[1], "OBJECT", "Eigen SOC is wettelijk verplicht.")
        await demo.close(soc)

        # A unit's own decision.
        data = await demo.raise_issue(
            "Datastrategie SZW 2027-2030",
            "SZW legt vast welke gegevens het deelt, met wie en op welke grondslag.",
            "cio-szw", scope="DEPARTMENTAL", ministry="SZW")
        await demo.close(data, 1, "cio-szw")  # a departmental issue has no vote

        # Decided: by consensus, and by mandate (a binding framework, with reports).
        workplace = await demo.raise_issue(
            "Eén samenwerkingsplatform voor de digitale werkplek",
            "Alle ministeries gebruiken hetzelfde samenwerkingsplatform.")
        await demo.close(workplace, 2)
        for person in members:
            await demo.vote(workplace, person, "AGREE")
        sovereignty = await demo.raise_issue(
            "Kader digitale soevereiniteit",
            "Voor kritieke diensten kiest het Rijk leveranciers die de gegevens binnen de EU "
            "houden en een exit mogelijk maken.", bindingFramework=True)
        await demo.close(sovereignty, 2)
        await demo.vote(sovereignty, members[0], "OBJECT", "Te weinig leveranciers over.")
        await demo.close(sovereignty)
        await demo.ask(DECIDE, {"input": {
            "issueId": sovereignty, "outcome": "ADOPTED",
            "motivation": "Het belang van continuïteit weegt zwaarder dan de beperkte "
            "keuze; uitzonderingen met uitleg blijven mogelijk."}})
        framework = await demo.framework_of(sovereignty)
        await demo.ask(REPORT, {"input": {"frameworkId": framework,
                                          "status": "IMPLEMENTED"}}, members[0])
        await demo.ask(REPORT, {"input": {
            "frameworkId": framework, "status": "EXCEPTION",
            "explanation": "Het bestaande contract loopt tot 2028; daarna wel."}}, members[1])

        # Withdrawn.
        pilot = await demo.raise_issue(
            "Pilot e-mailarchivering via een externe dienst",
            "Een pilot met archivering van e-mail bij een externe dienstverlener.")
        await demo.ask(WITHDRAW, {"input": {
            "issueId": pilot, "reason": "De Archiefwet-toets is nog niet gedaan."}})
        return demo.raised
