"""Woo active publication over HTTP: every decision has a public page, and the DiWoo
sitemap lists it with metadata that is valid against the vendored DiWoo 0.9.8 schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
import xmlschema
from temporalio.client import Client

from services import woo as woo_module
from services.embedded import tool_path
from services.settings import Settings
from tests.graph.operations import CLOSE, DECIDE, RAISE, VOTE, government_wide, ok
from tests.helpers import GraphQL, isolated_api, running_api

ROOT = Path(__file__).parents[2]
STANDARD = ROOT / "standards" / "diwoo-0.9.8"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "diwoo": "https://standaarden.overheid.nl/diwoo/metadata/"}


@pytest.fixture(scope="module")
def diwoo_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(STANDARD / "diwoo-metadata.xsd"), allow="local",
                               locations={"https://www.nationaalarchief.nl/mdto":
                                          str(STANDARD / "mdto-stub.xsd")})


async def decided(gql: GraphQL, title: str, ministry: str | None = None) -> str:
    if ministry:
        raised = await ok(gql, RAISE, {"input": {
            "title": title, "proposal": "Eén aanpak <voor> iedereen & meer.",
            "scope": "DEPARTMENTAL", "ministry": ministry, "touchesPersonalData": False}},
            f"cio-{ministry.lower()}")
        await ok(gql, CLOSE, {"id": raised["id"]}, f"cio-{ministry.lower()}")
        who = f"cio-{ministry.lower()}"
    else:
        raised = await ok(gql, RAISE, {"input": government_wide(
            title=title, touchesPersonalData=False, bindingFramework=False)}, "cio-rijk")
        for _ in range(2):
            await ok(gql, CLOSE, {"id": raised["id"]}, "cio-rijk")
        await ok(gql, VOTE, {"input": {"issueId": raised["id"], "choice": "OBJECT",
                                       "reason": "Nee"}}, "cio-az")
        await ok(gql, CLOSE, {"id": raised["id"]}, "cio-rijk")
        who = "cio-rijk"
    await ok(gql, DECIDE, {"input": {"issueId": raised["id"], "outcome": "ADOPTED",
                                     "motivation": "Nodig voor de hele Rijksdienst."}}, who)
    return raised["id"]


async def test_every_decision_is_published_with_valid_diwoo_metadata(
    gql: GraphQL, api: str, diwoo_schema: xmlschema.XMLSchema, api_settings: Settings,
    tmp_path: Path,
):
    wide = await decided(gql, "Rijksbrede cloudstrategie")
    own = await decided(gql, "Datastrategie FIN", "FIN")
    response = await gql.http.get(f"{api}/woo/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    urlset = ElementTree.fromstring(response.content)
    entries = {u.findtext("s:loc", namespaces=NS).rsplit("/", 1)[1]: u
               for u in urlset.findall("s:url", NS)}
    assert {wide, own} <= set(entries)
    for entry in entries.values():
        document = entry.find("diwoo:Document", NS)
        diwoo_schema.validate(ElementTree.tostring(document, encoding="unicode"))
    # The check is real: without its publisher a document is refused.
    broken = entries[own].find("diwoo:Document", NS)
    metadata = broken.find("diwoo:DiWoo", NS)
    metadata.remove(metadata.find("diwoo:publisher", NS))
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        diwoo_schema.validate(ElementTree.tostring(broken, encoding="unicode"))
    entries = {u.findtext("s:loc", namespaces=NS).rsplit("/", 1)[1]: u
               for u in ElementTree.fromstring(response.content).findall("s:url", NS)}
    publisher = entries[own].find(".//diwoo:publisher", NS)
    assert publisher.get("resource") == (
        "https://identifier.overheid.nl/tooi/id/ministerie/mnre1090")
    assert publisher.text == "ministerie van Financiën"
    assert entries[wide].find(".//diwoo:publisher", NS).get("resource").endswith("mnre1034")
    handling = entries[wide].find(".//diwoo:soortHandeling", NS)
    assert handling.text == "vaststelling"

    page = await gql.http.get(f"{api}/besluiten/{own}")
    assert page.status_code == 200 and 'lang="nl"' in page.text
    assert "Eén aanpak &lt;voor&gt; iedereen &amp; meer." in page.text  # escaped, never HTML
    assert "Financiën" in page.text and "aangenomen" in page.text
    assert (await gql.http.get(f"{api}/besluiten/000000000000000000000000")).status_code == 404

    env = {**os.environ, "STELSEL_MODE": "development",
           "MONGODB_URI": api_settings.mongodb_uri,
           "STELSEL_MONGODB_DATABASE": api_settings.mongodb_database}
    subprocess.run([tool_path("stelsel"), "export", "diwoo", str(tmp_path)], env=env,
                   check=True, capture_output=True, text=True)
    written = ElementTree.parse(tmp_path / "sitemap.xml").getroot()
    assert len(written.findall("s:url", NS)) == len(entries)
    # The same page as served, without the dashboard's look (it stands alone as a file).
    exported = (tmp_path / "besluiten" / f"{own}.html").read_text()
    main = slice(page.text.index("<main>"), page.text.index("</main>"))
    assert exported[exported.index("<main>"):exported.index("</main>")] == page.text[main]
    assert "/assets/" in page.text and "/assets/" not in exported


async def test_the_sitemap_is_made_once_until_the_next_event(
    api_settings: Settings, temporal_client: Client, monkeypatch
):
    """Crawlers ask for the sitemap again and again, and it reads every decision: made once,
    shared by callers at the same moment, and made anew after an event."""
    made = []
    real = woo_module.publications

    async def counted(*args, **kwargs):
        made.append(1)
        return await real(*args, **kwargs)

    monkeypatch.setattr(woo_module, "publications", counted)
    async with isolated_api(api_settings, temporal_client, "sitemap") as (url, _, own):
        gql = GraphQL(url, own)
        try:
            await decided(gql, "Eerste besluit")
            first = await asyncio.gather(*(gql.http.get(f"{url}/woo/sitemap.xml")
                                           for _ in range(5)))
            again = await gql.http.get(f"{url}/woo/sitemap.xml")
            assert {r.status_code for r in [*first, again]} == {200}
            assert len({r.text for r in [*first, again]}) == 1 and len(made) == 1
            later = await decided(gql, "Tweede besluit")
            for _ in range(50):  # the event reaches the API a moment after the answer
                after = await gql.http.get(f"{url}/woo/sitemap.xml")
                if later in after.text:
                    break
                await asyncio.sleep(0.1)
            assert later in after.text
        finally:
            await gql.http.aclose()


async def test_downloads_are_counted_per_address(api_settings: Settings):
    """Each report and sitemap reads every decision: past the address's share a minute the
    answer is 429 with Retry-After, in Dutch and English."""
    async with running_api(api_settings.model_copy(update={"downloads_per_minute": 2})) as url:
        async with httpx.AsyncClient() as http:
            answers = [await http.get(f"{url}/reports/register.json") for _ in range(2)]
            assert [a.status_code for a in answers] == [200, 200]
            refused = await http.get(f"{url}/woo/sitemap.xml")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.text.startswith("Te veel downloads")
