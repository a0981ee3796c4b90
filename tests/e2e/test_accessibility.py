"""Every page in both languages and both themes through axe (WCAG 2.0/2.1 A and AA), on the
demo's issues. `make screenshots` records what was checked in services/accessibility.json,
from which /toegankelijkheid is written; otherwise the test checks that the statement
claims nothing this test does not check."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from playwright.async_api import Browser

from services.accessibility import EVIDENCE, statement
from services.demo_issues import seed_issues
from services.settings import Settings
from tests.e2e import test_dashboard
from tests.e2e.test_dashboard import (  # noqa: F401  (browser: the fixture)
    AXE,
    ROOT,
    SCREENSHOTS,
    axe_violations,
    browser,
)
from tests.helpers import GraphQL, running_api

# The README's pictures: (theme, language, page number) -> file in docs/.
SHOTS = {("neutraal", "nl", 0): "dashboard.png", ("neutraal", "nl", 1): "issue.png",
         ("neutraal", "nl", 3): "frameworks.png",
         ("rijkshuisstijl", "nl", 0): "dashboard-rijkshuisstijl.png"}
LANGUAGES = ("nl", "en")
THEMES = ("neutraal", "rijkshuisstijl")
# The tasks done by keyboard alone, each a test of the dashboard's suite.
KEYBOARD = [
    ("test_a_cio_votes_from_the_issue_page_by_keyboard",
     "Een stem uitbrengen (een keuze, dan verzenden)", "Casting a vote"),
    ("test_an_advisor_advises_by_keyboard_and_nothing_is_chosen_for_them",
     "Een advies uitbrengen (standpunt en tekst)", "Giving advice (stance and text)"),
    ("test_the_chair_decides_by_keyboard",
     "Besluiten met mandaat (uitkomst en motivering)", "Deciding by mandate"),
]


async def pages(gql: GraphQL) -> list[dict]:
    """The demo's issues in the pages a council works in."""
    found = await gql("""{ voting: issues(first: 1, filter: {phase: VOTING,
      titleContains: "Open standaarden"}) { edges { node { id } } }
      decided: issues(first: 1, filter: {phase: DECIDED,
      titleContains: "digitale soevereiniteit"}) { edges { node { id } } } }""")
    voting = found["voting"]["edges"][0]["node"]["id"]
    decided = found["decided"]["edges"][0]["node"]["id"]
    return [
        {"path": "/", "nl": "het overzicht (bord)", "en": "the board"},
        {"path": f"/issues/{voting}", "nl": "een zaak in stemming, met de stemknoppen",
         "en": "an issue being voted on, with the vote form"},
        {"path": f"/issues/{decided}", "nl": "een besloten zaak", "en": "a decided issue"},
        {"path": "/frameworks", "nl": "bindende kaders en naleving",
         "en": "binding frameworks and compliance"},
        {"path": "/register", "nl": "het register van zetels", "en": "the register of seats"},
        {"path": f"/besluiten/{decided}", "nl": "de openbare besluitpagina (Woo)",
         "en": "the public decision page (Woo)"},
        {"path": "/toegankelijkheid", "nl": "deze verklaring", "en": "this statement"},
    ]


async def test_every_page_in_both_languages_and_themes_has_no_axe_violations(
    browser: Browser, api: str, api_settings: Settings, gql: GraphQL,  # noqa: F811
):
    await seed_issues(api, api_settings)
    checked = await pages(gql)
    found: list[tuple] = []
    passes = []
    for theme in THEMES:
        themed = api_settings.model_copy(update={"theme": theme})
        async with running_api(themed) as url:
            for language in LANGUAGES:
                context = await browser.new_context(viewport={"width": 1280, "height": 900})
                token = gql.token("cio-rijk")
                await context.add_init_script(
                    f"localStorage.setItem('stelsel.token', '{token}');"
                    f"localStorage.setItem('stelsel.language', '{language}');")
                page = await context.new_page()
                for n, item in enumerate(checked):
                    await page.goto(url + item["path"])
                    await page.wait_for_load_state("networkidle")
                    if not item["path"].startswith(("/besluiten", "/toegankelijkheid")):
                        await page.locator("main :is(h1, h2)").first.wait_for()
                        assert await page.evaluate("document.documentElement.lang") == language
                    assert await page.evaluate(
                        "document.documentElement.classList.contains('utrecht-html')")
                    for violation in await axe_violations(page, least=5):
                        found.append((theme, language, item["path"], violation))
                    passes.append(item["path"])
                    shot = SHOTS.get((theme, language, n))
                    if SCREENSHOTS and shot:
                        await page.screenshot(path=str(ROOT / "docs" / shot), full_page=True)
                await context.close()
    assert found == []
    assert len(passes) == len(checked) * len(LANGUAGES) * len(THEMES)

    axe = json.loads((AXE.parent / "package.json").read_text())["version"]
    evidence = {
        "checked_at": datetime.now(timezone.utc).date().isoformat(), "axe": axe,
        "languages": list(LANGUAGES), "themes": list(THEMES), "violations": len(found),
        # Ids differ per run: the statement names pages by kind.
        "pages": [{**p, "path": "/" + p["path"].split("/")[1] + "/…"
                   if p["path"].count("/") > 1 else p["path"]} for p in checked],
        "keyboard": [{"test": name, "nl": nl, "en": en} for name, nl, en in KEYBOARD],
    }
    for name, _, _ in KEYBOARD:
        assert hasattr(test_dashboard, name), f"the statement cites {name}, which is gone"
    if SCREENSHOTS:
        EVIDENCE.write_text(json.dumps(evidence, ensure_ascii=False, indent=1) + "\n")
    recorded = json.loads(EVIDENCE.read_text())
    # The statement claims what this test checks: no page, theme or task more.
    for key in ("languages", "themes", "pages", "keyboard"):
        assert recorded[key] == evidence[key], key
    assert recorded["violations"] == 0
    assert "0 overtredingen" in statement(recorded, "neutraal", "voorbeeld-theme")
