"""The dashboard in Debian's Chromium, driven by Playwright, against the running API."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.helpers import GraphQL

ROOT = Path(__file__).parents[2]
# The README's screenshots and the accessibility evidence are written only when asked
# (`make screenshots`, tests/e2e/test_accessibility.py): a test run leaves them as they are.
SCREENSHOTS = os.environ.get("STELSEL_SCREENSHOTS") == "1"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update"]
LIVE = 2_000  # ms: an event shows within two seconds, without a reload

RAISE = """mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  __typename ... on Issue { id } ... on Rejected { code message } } }"""
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { __typename } }"
VOTE = """mutation($id: ID!, $choice: VoteChoice!, $reason: String) {
  castVote(input: {issueId: $id, choice: $choice, reason: $reason}) { __typename } }"""
ADVISE = """mutation($id: ID!, $text: String!) {
  submitAdvice(input: {issueId: $id, stance: SUPPORT, text: $text}) { __typename } }"""
CONTRIBUTE = """mutation($id: ID!, $text: String!) {
  contribute(input: {issueId: $id, text: $text}) { __typename } }"""
HOUR = {"adviceWindowSeconds": 3600, "deliberationWindowSeconds": 3600,
        "voteWindowSeconds": 3600, "mandateWindowSeconds": 3600}


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                   args=CHROMIUM_FLAGS)
        yield browser
        await browser.close()


@pytest.fixture
async def open_page(browser: Browser, api: str, gql: GraphQL):
    contexts = []

    async def open_as(path: str, person: str | None, live: bool = True) -> Page:
        context = await browser.new_context(viewport={"width": 1400, "height": 900},
                                            timezone_id="UTC")
        contexts.append(context)
        page = await context.new_page()
        if person:
            token = gql.token(person)
            await context.add_init_script(f"localStorage.setItem('stelsel.token', '{token}')")
        await page.goto(api + path)
        await page.evaluate("window.__sameDocument = true")
        if live:  # a page that follows events: once it does
            await expect(page.locator("#live-status")).to_have_attribute("data-status", "live")
        return page

    yield open_as
    for context in contexts:
        await context.close()


async def raise_issue(gql: GraphQL, title: str) -> str:
    data = await gql(RAISE, {"input": {"title": title, "proposal": f"Voorstel: {title}",
                                       "scope": "GOVERNMENT_WIDE", "touchesPersonalData": False,
                                       "procedure": HOUR}}, as_="cio-rijk")
    assert data["raiseIssue"]["__typename"] == "Issue", data
    return data["raiseIssue"]["id"]


async def to_voting(gql: GraphQL, issue_id: str) -> None:
    for _ in range(2):
        assert (await gql(CLOSE, {"id": issue_id}, as_="cio-rijk"))["closePhase"][
            "__typename"] == "Issue"


async def axe_violations(page: Page, least: int = 10) -> list:
    # Evaluated by the browser's debugging protocol: the page's CSP rightly forbids an
    # injected script tag, and stays on for the app itself.
    await page.evaluate(AXE.read_text())
    result = await page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', "
                                 "'wcag21a', 'wcag21aa']})")
    assert len(result["passes"]) >= least, "axe checked nothing"
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


async def test_cards_move_and_tallies_change_live(open_page, gql: GraphQL):
    page = await open_page("/", "cio-rijk")
    issue_id = await raise_issue(gql, "Live bord")
    card = page.locator(f'article[data-issue="{issue_id}"]')
    await expect(card).to_have_attribute("data-phase", "ADVICE", timeout=LIVE)
    await expect(page.locator("section[aria-labelledby=phase-ADVICE]").locator(card)
                 ).to_be_visible()

    await to_voting(gql, issue_id)
    await expect(card).to_have_attribute("data-phase", "VOTING", timeout=LIVE)
    await gql(VOTE, {"id": issue_id, "choice": "AGREE"}, as_="cio-bzk")
    await expect(card.locator(".legend")).to_contain_text("eens 1", timeout=LIVE)
    await gql(VOTE, {"id": issue_id, "choice": "OBJECT", "reason": "Nee"}, as_="cio-fin")
    await expect(card.locator(".legend")).to_contain_text("bezwaar 1", timeout=LIVE)

    await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")
    await expect(card).to_have_attribute("data-phase", "MANDATE", timeout=LIVE)
    await expect(card.locator(".mark")).to_contain_text("Wacht op de CIO Rijk")
    assert await page.evaluate("window.__sameDocument") is True, "the page reloaded"

    await page.get_by_role("button", name="English").click()
    await expect(page.locator("#phase-MANDATE")).to_contain_text("Mandate")


async def test_the_board_switches_councils_and_speaks_each_councils_words(
    open_page, gql: GraphQL
):
    """A municipality's issue is on its own council's board, named in its words (scope,
    chair, roles), and the CIO-beraad's board stays free of it, live as well."""
    async def raise_in_gemeente(title: str) -> str:
        data = await gql(RAISE, {"input": {
            "title": title, "proposal": f"Voorstel: {title}", "scope": "GOVERNMENT_WIDE",
            "touchesPersonalData": False, "council": "gemeente-voorbeeld"}},
            as_="gemeente-voorbeeld-gs")
        assert data["raiseIssue"]["__typename"] == "Issue", data
        return data["raiseIssue"]["id"]

    first = await raise_in_gemeente("Zaaksysteem Voorbeeldstad")
    page = await open_page("/", "gemeente-voorbeeld-gs")
    await expect(page.get_by_test_id("who")).to_contain_text("gemeentesecretaris")
    await expect(page.locator("#council")).to_have_value("cio-beraad")  # the default
    await expect(page.locator("#phase-ADVICE")).to_be_visible()
    assert await page.locator(f'article[data-issue="{first}"]').count() == 0

    await page.locator("#council").select_option("gemeente-voorbeeld")
    card = page.locator(f'article[data-issue="{first}"]')
    await expect(card.locator(".meta")).to_contain_text("gemeentebreed")
    await expect(card.locator(".meta")).to_contain_text("gemeentesecretaris")
    cio_issue = await raise_issue(gql, "Alleen voor het CIO-beraad")
    second = await raise_in_gemeente("Informatiebeveiligingsbeleid")
    await expect(page.locator(f'article[data-issue="{second}"]')).to_be_visible(timeout=LIVE)
    assert await page.locator(f'article[data-issue="{cio_issue}"]').count() == 0

    await page.reload()  # the choice is kept
    await expect(page.locator("#council")).to_have_value("gemeente-voorbeeld")
    await card.locator("a").click()
    await expect(page.locator(".meta")).to_contain_text("Informatieberaad Gemeente Voorbeeldstad")
    await page.get_by_role("button", name="English").click()
    await expect(page.locator(".meta")).to_contain_text("municipality-wide")
    await expect(page.get_by_test_id("who")).to_contain_text("municipal secretary")


async def test_the_demo_role_picker_names_seats_in_their_councils_words(open_page):
    page = await open_page("/", None)
    await page.locator("#sign-in").click()
    picker = page.locator("#demo")
    await expect(picker).to_contain_text("CIO-beraad Rijksdienst: CIO Rijk")
    option = picker.locator("option", has_text="Voorbeeldstad: gemeentesecretaris")
    await picker.select_option(await option.get_attribute("value"))
    await page.locator("#sign-in-use").click()
    await expect(page.get_by_test_id("who")).to_contain_text("gemeentesecretaris")


async def test_a_cio_votes_from_the_issue_page_by_keyboard(open_page, gql: GraphQL):
    issue_id = await raise_issue(gql, "Stemmen op de pagina")
    await to_voting(gql, issue_id)
    page = await open_page(f"/issues/{issue_id}", "cio-ocw")
    await expect(page.locator("#vote-form")).to_be_visible()
    # What a CIO may not do has no button.
    assert await page.locator("#close-form, #decide-form, #advice-form").count() == 0

    # Nothing is chosen for the voter: pressing the button alone casts nothing.
    assert await page.locator("#vote-form input[type=radio]:checked").count() == 0
    await tab_to(page, "#choice-AGREE")
    await page.keyboard.press("Space")
    await tab_to(page, "#vote-form-submit")
    await page.keyboard.press("Enter")
    await expect(page.locator(".notice.ok")).to_have_text("Uw stem is uitgebracht.", timeout=LIVE)
    await expect(page.locator("#h-votes-cast + ul")).to_contain_text("OCW: eens")
    await expect(page.get_by_test_id("current-vote")).to_contain_text("eens")

    # A refusal says what is wrong in Dutch first: an objection needs a reason.
    await page.locator("#choice-OBJECT").check()
    await page.locator("#vote-form-submit").click()
    await expect(page.locator(".notice.error")).to_contain_text("De invoer klopt niet")
    await expect(page.locator(".notice.error")).to_contain_text("an objection needs a reason")

    # Changing the vote says so, and the page shows the new one.
    await page.locator("#choice-OBJECT").check()
    await page.locator("#reason").fill("Eerst een DPIA")
    await page.locator("#vote-form-submit").click()
    await expect(page.locator(".notice.ok")).to_have_text("Uw stem is gewijzigd.", timeout=LIVE)
    await expect(page.get_by_test_id("current-vote")).to_contain_text("bezwaar (Eerst een DPIA)")


async def lose_the_first_answer(page: Page, mutation: str) -> list[str]:
    """The first request naming `mutation` reaches the server, which applies it, and its
    answer never arrives (a dropped connection); the requests lost so."""
    lost: list[str] = []

    async def lose(route):
        if mutation in (route.request.post_data or "") and not lost:
            await route.fetch()
            lost.append(route.request.post_data)
            await route.abort("connectionreset")
        else:
            await route.continue_()

    await page.route("**/graphql", lose)
    return lost


async def test_a_vote_whose_answer_was_lost_is_resent_once_and_reads_as_cast(
    open_page, gql: GraphQL
):
    issue_id = await raise_issue(gql, "Antwoord kwijt")
    await to_voting(gql, issue_id)
    page = await open_page(f"/issues/{issue_id}", "cio-vws")
    lost = await lose_the_first_answer(page, "castVote")
    await page.locator("#choice-AGREE").check()
    await page.locator("#vote-form-submit").click()
    await expect(page.locator(".notice.ok")).to_have_text("Uw stem is uitgebracht.", timeout=LIVE)
    assert await page.locator(".notice.error").count() == 0
    assert len(lost) == 1
    seen = await gql("query($id: ID!) { issue(id: $id) { timeline { kind } } }",
                     {"id": issue_id}, as_="cio-rijk")
    assert [e["kind"] for e in seen["issue"]["timeline"]].count("VOTE_CAST") == 1


async def test_a_refused_request_says_what_to_do_and_a_silent_server_says_so(
    open_page, gql: GraphQL
):
    issue_id = await raise_issue(gql, "Aanmelding verlopen")
    await to_voting(gql, issue_id)
    page = await open_page(f"/issues/{issue_id}", "cio-ocw")
    expired = {"errors": [{"message": "Not authenticated", "extensions": {
        "code": "UNAUTHENTICATED"}}]}
    server = {"silent": False}

    async def vote(route):
        if "castVote" not in (route.request.post_data or ""):
            await route.continue_()
        elif server["silent"]:
            await route.abort("connectionreset")  # every try, the resends too
        else:
            await route.fulfill(json=expired)

    await page.route("**/graphql", vote)
    await page.locator("#choice-AGREE").check()
    await page.locator("#vote-form-submit").click()
    await expect(page.locator(".notice.error")).to_contain_text(
        "Uw aanmelding is verlopen", timeout=LIVE)
    server["silent"] = True
    await page.locator("#choice-AGREE").check()
    await page.locator("#vote-form-submit").click()
    # After its three resends (0.5, 1 and 2 s apart, with jitter).
    await expect(page.locator(".notice.error")).to_contain_text(
        "Geen antwoord van de server", timeout=15_000)


async def tab_to(page: Page, selector: str) -> None:
    target = page.locator(selector)
    for _ in range(80):
        if await target.evaluate("element => element === document.activeElement"):
            return
        await page.keyboard.press("Tab")
    pytest.fail(f"{selector} cannot be reached by keyboard")


async def test_an_advisor_advises_by_keyboard_and_nothing_is_chosen_for_them(
    open_page, gql: GraphQL
):
    issue_id = await raise_issue(gql, "Advies per toetsenbord")
    page = await open_page(f"/issues/{issue_id}", "cdo-bzk")
    await submit_by_keyboard(page, "advice-form", ("stance", "CONDITIONAL"),
                             ("#advice-text", "Eerst de datakwaliteit op orde"))
    await expect(page.locator(".notice.ok")).to_be_visible(timeout=LIVE)
    await expect(page.locator(".timeline")).to_contain_text("Advies uitgebracht")
    seen = await gql("query($id: ID!) { issue(id: $id) { advice { stance text } } }",
                     {"id": issue_id}, as_="cio-rijk")
    assert seen["issue"]["advice"] == [{"stance": "CONDITIONAL",
                                        "text": "Eerst de datakwaliteit op orde"}]


async def test_the_chair_decides_by_keyboard(open_page, gql: GraphQL):
    issue_id = await raise_issue(gql, "Besluit per toetsenbord")
    await to_voting(gql, issue_id)
    await gql(VOTE, {"id": issue_id, "choice": "OBJECT", "reason": "Te vroeg"}, as_="cio-fin")
    await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")  # no consensus: the mandate
    page = await open_page(f"/issues/{issue_id}", "cio-rijk")
    await expect(page.get_by_test_id("phase")).to_have_text("Mandaat")
    await submit_by_keyboard(page, "decide-form", ("outcome", "REJECTED"),
                             ("#motivation", "De bezwaren wegen zwaarder."))
    await expect(page.get_by_test_id("phase")).to_have_text("Besloten", timeout=LIVE)
    seen = await gql("query($id: ID!) { issue(id: $id) { decision { outcome motivation } } }",
                     {"id": issue_id})
    assert seen["issue"]["decision"] == {"outcome": "REJECTED",
                                         "motivation": "De bezwaren wegen zwaarder."}


async def submit_by_keyboard(page: Page, form: str, choice: tuple[str, str],
                             text: tuple[str, str]) -> None:
    """A form of a radio group and a text, filled and sent by keyboard alone; nothing may
    be chosen for the user beforehand."""
    assert await page.locator(f"#{form} input[type=radio]:checked").count() == 0
    await choose_by_keyboard(page, *choice)
    await tab_to(page, text[0])
    await page.keyboard.type(text[1])
    await tab_to(page, f"#{form}-submit")
    await page.keyboard.press("Enter")


async def choose_by_keyboard(page: Page, group: str, value: str) -> None:
    """Tab into a radio group (its first option when none is chosen), then arrows, as a
    keyboard user moves through one."""
    for _ in range(80):
        if await page.evaluate(f"document.activeElement.name === '{group}'"):
            break
        await page.keyboard.press("Tab")
    else:
        pytest.fail(f"{group} cannot be reached by keyboard")
    target = page.locator(f"#{group}-{value}")
    for _ in range(10):
        if await target.is_checked():
            return
        await page.keyboard.press("ArrowDown")
    pytest.fail(f"{group}: {value} cannot be chosen by keyboard")


async def test_a_half_written_advice_survives_a_live_event(open_page, gql: GraphQL):
    issue_id = await raise_issue(gql, "Halfgeschreven advies")
    page = await open_page(f"/issues/{issue_id}", "cpo-bzk")
    await page.locator("#stance-CONDITIONAL").check()
    await page.locator("#advice-text").fill("Akkoord, mits de DPIA")
    await gql(ADVISE, {"id": issue_id, "text": "Geen bezwaar"}, as_="cdo-fin")
    await expect(page.locator(".timeline")).to_contain_text("Advies uitgebracht", timeout=LIVE)
    await expect(page.locator("#advice-text")).to_have_value("Akkoord, mits de DPIA")
    await expect(page.locator("#stance-CONDITIONAL")).to_be_checked()
    await page.locator("#advice-form-submit").click()
    await expect(page.locator(".notice.ok")).to_be_visible(timeout=LIVE)
    await expect(page.locator("#advice-form")).to_have_count(0)  # advised: nothing left to do


async def test_every_open_issue_is_on_the_board_of_250(open_page, gql: GraphQL):
    for n in range(250):
        await gql(RAISE, {"input": {"title": f"Zaak {n}", "proposal": "Voorstel",
                                    "scope": "GOVERNMENT_WIDE", "touchesPersonalData": False,
                                    "council": "architectuurboard"}}, as_="architectuurboard-cto")
    counted = await gql("""{ issues(first: 1, filter: {council: "architectuurboard",
      phase: ADVICE}) { totalCount } }""")
    total = counted["issues"]["totalCount"]
    assert total >= 250
    page = await open_page("/", "architectuurboard-cto")
    await page.locator("#council").select_option("architectuurboard")
    column = page.locator("section[aria-labelledby=phase-ADVICE]")
    await expect(column.locator("h2 .count")).to_have_text(f"({total})")
    loaded = 50
    await expect(column.locator(".card")).to_have_count(loaded)
    while loaded < total:
        await column.locator("button.more").click()
        loaded = min(total, loaded + 50)
        await expect(column.locator(".card")).to_have_count(loaded)
    await expect(column.locator("button.more")).to_have_count(0)



async def test_the_board_filters_by_title_and_by_what_waits_on_me(open_page, gql: GraphQL):
    mark = uuid.uuid4().hex[:6]
    first = await raise_issue(gql, f"Eerste {mark}")
    second = await raise_issue(gql, f"Tweede {mark}")
    page = await open_page("/", "cpo-bzk")
    await page.locator("#filter-q").fill(f"tweede {mark}")
    cards = page.locator("article.card")
    await expect(cards).to_have_count(1)
    await expect(cards.first).to_have_attribute("data-issue", second)
    assert f"zoek=tweede+{mark}" in page.url
    # A reload keeps the filter (the address holds it).
    await page.reload()
    await expect(page.locator("#filter-q")).to_have_value(f"tweede {mark}")
    await expect(cards).to_have_count(1)

    await page.locator("#filter-q").fill(mark)
    await page.locator("#filter-mine").check()
    await expect(cards).to_have_count(2)
    await gql(ADVISE, {"id": first, "text": "Akkoord"}, as_="cpo-bzk")
    await expect(cards).to_have_count(1, timeout=LIVE)  # advised: it no longer waits on me
    await expect(cards.first).to_have_attribute("data-issue", second)
    await expect(page.locator("section[aria-labelledby=phase-ADVICE] h2 .count")
                 ).to_have_text("(1)")

    # A careless or hostile address still opens a board: what the server would refuse is
    # dropped (an unknown scope, a unit the council has not, a control character).
    careless = await open_page(f"/?reikwijdte=GEEN&eenheid={'X' * 5000}&zoek=%00{mark}",
                               None)
    await expect(careless.locator("article.card")).to_have_count(2)
    await expect(careless.locator("#filter-q")).to_have_value(mark)


async def test_closing_asks_to_confirm_and_a_double_click_closes_one_phase(
    open_page, gql: GraphQL, store
):
    issue_id = await raise_issue(gql, "Dubbelklik")
    page = await open_page(f"/issues/{issue_id}", "cio-rijk")
    button = page.locator("#close-form-submit")
    await expect(button).to_contain_text("Advies")  # it says which phase it closes
    await button.click()
    await expect(button).to_contain_text("Bevestig")
    # The confirmation says what comes next and who has not acted yet.
    warning = page.get_by_test_id("close-warning")
    await expect(warning).to_contain_text("Daarna: beraad")
    await expect(warning).to_contain_text("Nog niet gehandeld (")
    await expect(warning).to_contain_text("CPO AZ")
    assert (await store.issues.get(issue_id)).phase == "ADVICE"
    await button.dblclick()  # confirms, and the second click closes nothing more
    await expect(page.locator(".notice.ok")).to_be_visible(timeout=LIVE)
    await expect(page.locator("#close-form-submit")).to_contain_text("Beraad")
    await page.wait_for_timeout(1000)  # a late second close would have landed by now
    issue = await store.issues.get(issue_id)
    assert issue.phase == "DELIBERATION"
    timeline = (await store.issues.timelines([issue_id]))[issue_id]
    assert [e.kind for e in timeline] == ["RAISED", "PHASE_CHANGED"]


async def test_the_public_board_follows_live_without_a_token(open_page, gql: GraphQL):
    page = await open_page("/", None)
    issue_id = await raise_issue(gql, "Openbaar live")
    card = page.locator(f'article[data-issue="{issue_id}"]')
    await expect(card).to_have_attribute("data-phase", "ADVICE", timeout=LIVE)
    await to_voting(gql, issue_id)
    await expect(card).to_have_attribute("data-phase", "VOTING", timeout=LIVE)
    await gql(VOTE, {"id": issue_id, "choice": "OBJECT", "reason": "Geheim"}, as_="cio-fin")
    await expect(card.locator(".legend")).to_contain_text("bezwaar 1", timeout=LIVE)
    assert await page.evaluate("window.__sameDocument") is True, "the page reloaded"
    assert "Geheim" not in await page.locator("main").inner_text()


async def test_the_public_view_hides_votes(open_page, gql: GraphQL):
    issue_id = await raise_issue(gql, "Openbaar")
    await to_voting(gql, issue_id)
    await gql(VOTE, {"id": issue_id, "choice": "AGREE"}, as_="cio-def")
    page = await open_page(f"/issues/{issue_id}", "publiek")  # a token, no appointment
    await expect(page.locator("#h-tally")).to_be_visible()
    await expect(page.locator(".legend")).to_contain_text("eens 1")
    await expect(page.locator("#h-deliberation + p")).to_contain_text("benoeming")
    assert await page.locator("#h-votes-cast").count() == 0
    assert await page.locator("form.action").count() == 0
    timeline = page.locator(".timeline")
    await expect(timeline).to_contain_text("Er is gestemd")
    assert "namens DEF" not in await timeline.inner_text()


async def test_the_page_recovers_events_missed_while_the_socket_was_down(
    open_page, gql: GraphQL
):
    issue_id = await raise_issue(gql, "Verbinding kwijt")
    page = await open_page(f"/issues/{issue_id}", "cio-rijk")
    await page.context.set_offline(True)
    await page.evaluate("window.stelsel.dropSocket()")
    await expect(page.locator("#live-status")).to_have_attribute("data-status", "offline")
    await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")
    await gql(CONTRIBUTE, {"id": issue_id, "text": "Gemist?"}, as_="cio-bzk")
    await page.context.set_offline(False)
    await expect(page.locator("#live-status")).to_have_attribute(
        "data-status", "live", timeout=15_000)
    await expect(page.locator('.timeline li[data-seq="3"] .kind')).to_have_attribute(
        "data-kind", "CONTRIBUTION_POSTED", timeout=LIVE)
    await expect(page.locator('.timeline li[data-seq="3"]')).to_contain_text("Bijdrage geplaatst")
    await expect(page.get_by_test_id("phase")).to_have_text("Beraad")
    assert await page.evaluate("window.__sameDocument") is True


DECIDE = """mutation($id: ID!, $outcome: DecisionOutcome!, $motivation: String!) {
  decide(input: {issueId: $id, outcome: $outcome, motivation: $motivation}) { __typename } }"""
MEMBERS = ["az", "bz", "bzk", "def", "ezk", "fin", "ienw", "jenv", "lvvn", "ocw", "szw", "vws"]


async def seed_board(gql: GraphQL) -> str:
    """Issues in every column, as a council would have them; returns the one in VOTING."""
    await raise_issue(gql, "Cloudbeleid Rijksoverheid 2027")
    deliberating = await raise_issue(gql, "Generatieve AI in de Rijksdienst")
    await gql(CLOSE, {"id": deliberating}, as_="cio-rijk")
    voting = await raise_issue(gql, "Informatiebeveiliging: BIO 2.0")
    await to_voting(gql, voting)
    for cio in MEMBERS[:6]:
        await gql(VOTE, {"id": voting, "choice": "AGREE"}, as_=f"cio-{cio}")
    await gql(VOTE, {"id": voting, "choice": "ABSTAIN"}, as_="cio-lvvn")
    await gql(VOTE, {"id": voting, "choice": "OBJECT", "reason": "Te kort dag"}, as_="cio-vws")
    mandate = await raise_issue(gql, "Exitstrategie hyperscalers")
    await to_voting(gql, mandate)
    await gql(VOTE, {"id": mandate, "choice": "OBJECT", "reason": "Te duur"}, as_="cio-fin")
    await gql(CLOSE, {"id": mandate}, as_="cio-rijk")
    consensus = await raise_issue(gql, "Rijksbrede digitale werkplek")
    await to_voting(gql, consensus)
    for cio in MEMBERS:
        await gql(VOTE, {"id": consensus, "choice": "AGREE"}, as_=f"cio-{cio}")
    decided = await raise_issue(gql, "Open-sourcebeleid")
    await to_voting(gql, decided)
    await gql(VOTE, {"id": decided, "choice": "OBJECT", "reason": "Nog niet"}, as_="cio-def")
    await gql(CLOSE, {"id": decided}, as_="cio-rijk")
    await gql(DECIDE, {"id": decided, "outcome": "ADOPTED", "motivation": "Open, tenzij"},
              as_="cio-rijk")
    departmental = await gql(RAISE, {"input": {
        "title": "Datastrategie SZW", "proposal": "Eén datastrategie voor SZW",
        "scope": "DEPARTMENTAL", "ministry": "SZW", "touchesPersonalData": False}},
        as_="cio-szw")
    await gql(CLOSE, {"id": departmental["raiseIssue"]["id"]}, as_="cio-szw")
    return voting


async def test_board_and_issue_page_have_no_accessibility_violations(
    open_page, gql: GraphQL
):
    voting = await seed_board(gql)
    board = await open_page("/", "cio-rijk")
    await expect(board.locator(f'article[data-issue="{voting}"]')).to_be_visible()
    await expect(board.locator("#phase-DECIDED")).to_be_visible()
    assert await axe_violations(board) == []
    issue = await open_page(f"/issues/{voting}", "cio-ezk")
    await expect(issue.locator("#vote-form")).to_be_visible()
    assert await axe_violations(issue) == []
    public = await open_page("/", None)
    await expect(public.locator(".card").first).to_be_visible()
    assert await axe_violations(public) == []


async def test_the_frameworks_page_plots_compliance_and_shows_the_matrix(
    open_page, gql: GraphQL
):
    from tests.graph.test_frameworks_api import binding_decision, framework_of, report

    issue_id = await binding_decision(gql, "Kader digitale soevereiniteit")
    await framework_of(gql, issue_id)
    await report(gql, issue_id, "cio-az", "IMPLEMENTED")
    page = await open_page("/frameworks", "cio-rijk")
    await expect(page.locator("svg.plot")).to_have_attribute(
        "aria-label", re.compile(r"Kader digitale soevereiniteit: 8%"))
    row = page.locator("table.matrix tr", has=page.locator("th", has_text="AZ"))
    await expect(row).to_contain_text("ingevoerd")
    # A report arrives live: the matrix follows without a reload.
    await report(gql, issue_id, "cio-bz", "EXCEPTION", "Eigen voorziening")
    bz = page.locator("table.matrix tr", has=page.locator("th", has_text="BZ"))
    await expect(bz.first).to_contain_text("uitzondering", timeout=LIVE)
    assert await axe_violations(page) == []


async def test_a_cio_reports_an_exception_with_its_explanation_from_the_page(
    open_page, gql: GraphQL
):
    from tests.graph.test_frameworks_api import binding_decision, framework_of

    issue_id = await binding_decision(gql, "Kader logging")
    await framework_of(gql, issue_id)
    page = await open_page("/frameworks", "cio-bzk")
    form = page.locator("#report-form")
    await expect(page.locator("#h-report")).to_contain_text("BZK")
    option = form.locator("#report-framework option", has_text="Kader logging")
    await form.locator("#report-framework").select_option(await option.get_attribute("value"))
    await form.get_by_role("radio", name="uitzondering").check()
    # Comply or explain: the browser asks for the explanation before anything is sent.
    assert await form.locator("#report-explanation").evaluate("e => e.required") is True
    await form.locator("#report-explanation").fill("Eigen logvoorziening tot 2028")
    await form.locator("#report-submit").dblclick()
    notice = form.locator("[role=status]")
    await expect(notice).to_have_text(re.compile("Gemeld|al zo gemeld"))
    assert "error" not in (await notice.get_attribute("class"))
    row = page.locator("table.matrix tr", has=page.locator("th", has_text="BZK"))
    await expect(row.first).to_contain_text("uitzondering", timeout=LIVE)
    await row.first.locator("summary").first.click()
    await expect(row.first).to_contain_text("Eigen logvoorziening tot 2028")
    assert await axe_violations(page) == []


async def test_an_implementation_whose_report_was_lost_is_resent_and_reads_as_done(
    open_page, gql: GraphQL
):
    from tests.graph.test_frameworks_api import binding_decision, framework_of

    issue_id = await binding_decision(gql, "Kader toegankelijkheid")
    await framework_of(gql, issue_id)
    page = await open_page("/frameworks", "cio-ienw")
    lost = await lose_the_first_answer(page, "reportAdoption")
    form = page.locator("#report-form")
    option = form.locator("#report-framework option", has_text="Kader toegankelijkheid")
    await form.locator("#report-framework").select_option(await option.get_attribute("value"))
    await form.get_by_role("radio", name="ingevoerd").check()
    await form.locator("#report-submit").click()
    # The resend finds the implementation reported: done, not "too late".
    notice = form.locator("[role=status]")
    await expect(notice).to_have_text("Dit was al zo gemeld.", timeout=LIVE)
    assert "error" not in (await notice.get_attribute("class")) and len(lost) == 1


async def test_withdrawn_issues_stay_findable_and_the_page_has_a_favicon(
    open_page, gql: GraphQL
):
    issue_id = await raise_issue(gql, "Ingetrokken voorstel")
    page = await open_page("/", None)
    withdraw = """mutation($id: ID!) { withdrawIssue(input: {issueId: $id,
      reason: "Niet meer nodig"}) { __typename } }"""
    assert (await gql(withdraw, {"id": issue_id}, as_="cio-rijk"))["withdrawIssue"] == {
        "__typename": "Issue"}
    await page.reload()
    column = page.locator("section[aria-labelledby=phase-WITHDRAWN]")
    await expect(column.locator(f'article[data-issue="{issue_id}"]')).to_be_visible()
    icon = await page.evaluate(
        "fetch(document.querySelector('link[rel=icon]').href).then(r => r.headers.get("
        "'content-type'))")
    assert icon.startswith("image/svg+xml")


async def test_a_cio_raises_an_issue_from_the_board(open_page, gql: GraphQL):
    page = await open_page("/", "cio-fin")
    await page.get_by_text("Nieuwe zaak indienen").click()
    await page.locator("#raise-title").fill("Eén betaalplatform voor FIN")
    await page.locator("#raise-proposal").fill("FIN gaat over op één betaalplatform.")
    await raise_issue(gql, "Intussen elders ingediend")  # a live event while typing
    await expect(page.locator("section[aria-labelledby=phase-ADVICE]")).to_contain_text(
        "Intussen elders ingediend", timeout=LIVE)
    await expect(page.locator("#raise-title")).to_have_value("Eén betaalplatform voor FIN")
    await page.locator("#raise-scope-DEPARTMENTAL").check()
    await page.locator("#raise-submit").click()
    await expect(page.locator("h1")).to_have_text("Eén betaalplatform voor FIN", timeout=LIVE)
    await expect(page.get_by_test_id("phase")).to_have_text("Advies")
    assert "/issues/" in page.url


async def test_the_chair_raises_with_the_procedure_windows_of_their_choice(
    open_page, gql: GraphQL
):
    page = await open_page("/", "cio-rijk")
    await page.get_by_text("Nieuwe zaak indienen").click()
    await page.locator("#raise-title").fill("Rijksbrede identiteitsvoorziening")
    await page.locator("#raise-proposal").fill("Eén voorziening voor de hele Rijksdienst.")
    await page.locator("#raise-scope-GOVERNMENT_WIDE").check()
    await page.locator("#raise-adviceWindowSeconds").fill("2")
    await page.locator("#raise-quorum").fill("75")
    await page.locator("#raise-submit").click()
    await expect(page.locator("h1")).to_have_text("Rijksbrede identiteitsvoorziening",
                                                   timeout=LIVE)
    issue_id = page.url.rsplit("/", 1)[1]
    seen = await gql("""query($id: ID!) { issue(id: $id) { procedure {
      adviceWindowSeconds quorum } } council(id: "cio-beraad") { procedure {
      deliberationWindowSeconds } } issue2: issue(id: $id) { procedure {
      deliberationWindowSeconds } } }""", {"id": issue_id})
    assert seen["issue"]["procedure"] == {"adviceWindowSeconds": 2 * 86_400, "quorum": 0.75}
    # What the chair left alone is the council's.
    assert seen["issue2"]["procedure"] == seen["council"]["procedure"]


async def test_the_raiser_amends_and_withdraws_and_the_chair_decides_from_the_page(
    open_page, gql: GraphQL
):
    issue_id = await raise_issue(gql, "Wijzigen en intrekken")  # raised by the CIO Rijk
    await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")  # into deliberation
    page = await open_page(f"/issues/{issue_id}", "cio-rijk")
    await page.locator("#amended-proposal").fill("Voorstel, versie 2")
    await page.locator("#amend-form-submit").click()
    await expect(page.locator(".proposal")).to_have_text("Voorstel, versie 2", timeout=LIVE)
    await expect(page.locator("#h-proposal")).to_contain_text("versie 2")

    await page.locator("#withdraw-reason").fill("Ingehaald door de praktijk")
    await page.locator("#withdraw-form-submit").click()
    await expect(page.locator("#withdraw-form-submit")).to_contain_text("Bevestig")
    await expect(page.get_by_test_id("phase")).to_have_text("Beraad")  # not yet
    await page.locator("#withdraw-form-submit").click()
    await expect(page.get_by_test_id("phase")).to_have_text("Ingetrokken", timeout=LIVE)

    mandate = await raise_issue(gql, "Besluiten zonder voorkeuze")
    await to_voting(gql, mandate)
    await gql(VOTE, {"id": mandate, "choice": "OBJECT", "reason": "Nee"}, as_="cio-fin")
    await gql(CLOSE, {"id": mandate}, as_="cio-rijk")
    page = await open_page(f"/issues/{mandate}", "cio-rijk")
    assert await page.locator("#decide-form input[type=radio]:checked").count() == 0
    await page.locator("#outcome-REJECTED").check()
    await page.locator("#motivation").fill("Niet nu")
    await page.locator("#decide-form-submit").click()
    await expect(page.get_by_test_id("phase")).to_have_text("Besloten", timeout=LIVE)
    await expect(page.locator("#h-decision + dl")).to_contain_text("verworpen")


async def test_a_member_contributes_and_recuses_and_the_chair_reclassifies_from_the_page(
    open_page, gql: GraphQL
):
    issue_id = await raise_issue(gql, "Bijdragen en verschonen")
    await gql(CLOSE, {"id": issue_id}, as_="cio-rijk")  # into deliberation
    page = await open_page(f"/issues/{issue_id}", "cio-lvvn")
    await page.locator("#contribution").fill("LVVN heeft hier ervaring mee.")
    await page.locator("#contribute-form-submit").click()
    await expect(page.locator("#h-contributions + ul")).to_contain_text(
        "LVVN heeft hier ervaring mee.", timeout=LIVE)
    await page.locator("#recuse-reason").fill("Mijn dienst is leverancier")
    await page.locator("#recuse-form-submit").click()
    await expect(page.locator(".timeline")).to_contain_text("Verschoond", timeout=LIVE)
    await expect(page.locator("#recuse-form")).to_have_count(0)  # once, for good

    chair = await open_page(f"/issues/{issue_id}", "cio-rijk")
    await chair.locator("#reclassify-unit").select_option("IenW")
    await chair.locator("#reclassify-reason").fill("Alleen IenW raakt dit")
    await chair.locator("#reclassify-form-submit").click()
    await expect(chair.locator(".meta .badge")).to_have_text("departementaal", timeout=LIVE)
    await expect(chair.locator(".meta")).to_contain_text("Infrastructuur en Waterstaat")


def days_ahead(days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).date().isoformat()


async def appointment_form(page: Page, person: str, name: str, role: str, unit: str):
    """The secretariat's appointment form, opened and filled in up to its date."""
    await page.get_by_text("Benoemen in een zetel").click()
    form = page.locator("#appoint-form")
    await form.locator("#appoint-person").fill(person)
    await form.locator("#appoint-name").fill(name)
    await form.locator("#appoint-role").select_option(role)
    await form.locator("#appoint-unit").select_option(unit)
    return form


async def test_the_register_page_the_secretariat_dates_changes_and_a_holder_names_a_deputy(
    open_page, gql: GraphQL
):
    public = await open_page("/register", None, live=False)
    seats = public.locator("table.register")
    await expect(seats.locator('tr[data-seat="CTO/VWS"]')).to_have_count(1)
    assert await public.locator("form.action").count() == 0  # the public reads, nothing more

    page = await open_page("/register", "secretariaat", live=False)
    form = await appointment_form(page, "cto-vws-2027", "Noor Bakker", "CTO", "VWS")
    await form.locator("#appoint-from").fill(days_ahead(40))
    await form.locator("#appoint-basis").fill("Besluit SG VWS 2026-118")
    await form.locator("#appoint-submit").click()
    await expect(form.locator("[role=status]")).to_contain_text("gaat in op")
    changes = page.locator("section[aria-labelledby=h-changes]")
    await expect(changes).to_contain_text("Benoeming vastgelegd")
    await expect(changes).to_contain_text("Besluit SG VWS 2026-118")
    # Dated ahead: today's holder still holds the seat.
    row = page.locator('table.register tr[data-seat="CTO/VWS"]')
    assert "Noor Bakker" not in await row.first.inner_text()
    await page.get_by_text("Benoeming beëindigen").click()
    end = page.locator("#end-form")
    await end.locator("#end-role").select_option("CDO")
    await end.locator("#end-unit").select_option("OCW")
    await end.locator("#end-from").fill(days_ahead(60))
    await end.locator("#end-basis").fill("Besluit SG OCW 2026-77")
    await end.locator("#end-submit").click()
    await expect(end.locator("[role=status]")).to_contain_text("gaat in op")
    await expect(changes).to_contain_text("Einde vastgelegd")

    holder = await open_page("/register", "cdo-vws", live=False)
    await holder.get_by_text("Plaatsvervanger aanwijzen").click()
    deputy = holder.locator("#deputy-form")
    await expect(deputy.locator("#deputy-seat")).to_have_value("CDO/VWS")
    await deputy.locator("#deputy-person").fill("cdo-vws-pv")
    await deputy.locator("#deputy-name").fill("Lotte Visser")
    await deputy.locator("#deputy-to").fill(days_ahead(10))
    await deputy.locator("#deputy-submit").click()
    await expect(deputy.locator("[role=status]")).to_have_text("Gedaan.")
    await expect(holder.locator('table.register tr[data-seat="CDO/VWS"]', has_text="Lotte Visser")
                 ).to_contain_text("plaatsvervanger")
    assert await axe_violations(holder) == []


async def test_an_appointment_whose_answer_was_lost_is_resent_once(open_page, gql: GraphQL):
    page = await open_page("/register", "secretariaat", live=False)
    lost = await lose_the_first_answer(page, "appoint(input")
    form = await appointment_form(page, "cto-az-2027", "Sem de Boer", "CTO", "AZ")
    await form.locator("#appoint-submit").click()
    await expect(form.locator("[role=status]")).to_have_text("Gedaan.", timeout=LIVE)
    assert len(lost) == 1
    changes = (await gql("{ registerEvents(first: 10) { kind person { id } } }",
                         as_="secretariaat"))["registerEvents"]
    made = [(e["kind"], e["person"]["id"]) for e in changes]
    assert made.count(("APPOINTED", "cto-az-2027")) == 1
    assert made.count(("APPOINTMENT_ENDED", "cto-az")) == 1  # not the new holder's


async def test_graphiql_runs_with_no_request_leaving_the_server(browser: Browser, api: str):
    context = await browser.new_context()
    page = await context.new_page()
    outside = []

    async def only_here(route):
        if route.request.url.startswith(api):
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    await page.route("**/*", only_here)
    await page.goto(f"{api}/graphql")
    await expect(page.get_by_test_id("graphiql-container")).to_be_visible()
    await expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()
    await context.close()
    assert outside == []
