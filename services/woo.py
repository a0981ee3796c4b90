"""Woo active publication: every decision as a public, permanent page, and all of them in a
DiWoo sitemap (the sitemap protocol extended with `diwoo:Document` metadata, DiWoo 0.9.8,
standards/diwoo-0.9.8). Served at /woo/sitemap.xml and /besluiten/<id>, written to files by
`stelsel export diwoo`. Only what the public may read is published (docs/WOO.md)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from services.domain.dates import dutch
from services.domain.seats import decider_seat
from services.domain.types import DecisionOutcome, DecisionRoute
from services.store.database import Store
from services.store.views import IssueView, MinistryView

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
DIWOO = "https://standaarden.overheid.nl/diwoo/metadata/"
TOOI = "https://identifier.overheid.nl/tooi/def/thes/kern/"
# The information category (Woo art. 3.3): a council's decisions are "overige besluiten van
# algemene strekking" — a choice for the organisation's Woo officer to confirm (docs/WOO.md).
CATEGORY = (TOOI + "c_aab6bfc7", "overige besluiten van algemene strekking")
# The document handling: the decision was taken (vastgesteld) on its date.
HANDLING = (TOOI + "c_641ecd76", "vaststelling")
OUTCOMES = {DecisionOutcome.ADOPTED: "aangenomen", DecisionOutcome.REJECTED: "verworpen"}


@dataclass
class Publication:
    """One decision as the public reads it."""

    issue_id: str
    url: str
    title: str
    proposal: str
    outcome: str
    route: str
    motivation: str
    decided_at: datetime
    council: str
    unit: str | None
    decided_by: str | None
    binding: bool
    publisher: str  # TOOI URI
    publisher_name: str


async def publications(store: Store, base_url: str, publisher: str, publisher_name: str
                       ) -> list[Publication]:
    """Every decision taken, oldest first: one read of the decisions, one of their units
    (council definitions come from the store's cache)."""
    issues = await store.issues.decided_between(None, None)
    units = await store.register.ministries_by_code(sorted({i.ministry for i in issues
                                                            if i.ministry}))
    return [await _publication(store, issue, units, base_url, publisher, publisher_name)
            for issue in issues]


async def publication(store: Store, issue_id: str, base_url: str, publisher: str,
                      publisher_name: str) -> Publication | None:
    """One decision; None when the issue does not exist or is not decided."""
    issue = await store.issues.get(issue_id)
    if issue is None or issue.decision is None:
        return None
    units = await store.register.ministries_by_code([issue.ministry] if issue.ministry else [])
    return await _publication(store, issue, units, base_url, publisher, publisher_name)


async def _publication(store: Store, issue: IssueView, units: dict[str, MinistryView],
                       base_url: str, publisher: str, publisher_name: str) -> Publication:
    decision = issue.decision
    assert decision is not None
    council = (await store.councils.of_issue(issue.council_id, issue.council_version)).rules
    unit = units.get(issue.ministry) if issue.ministry else None
    named = unit.named_at(decision.decided_at) if unit else None
    seat = decider_seat(council, decision.route, issue.ministry)
    if unit is not None and unit.tooi and named is not None:
        uri, name = unit.tooi, _organisation(unit.tooi, named.name)
    else:  # a council-wide decision, or a unit the TOOI lists do not know
        uri, name = publisher, publisher_name
    return Publication(
        issue_id=issue.id, url=f"{base_url.rstrip('/')}/besluiten/{issue.id}",
        title=issue.title, proposal=issue.proposal,
        outcome=OUTCOMES[decision.outcome], route=_route(decision.route, council),
        motivation=decision.motivation, decided_at=decision.decided_at,
        council=council.name.nl, unit=named.name if named else None,
        decided_by=council.seat_label(*seat) if seat else None, binding=decision.binding,
        publisher=uri, publisher_name=name,
    )


def _organisation(tooi: str, name: str) -> str:
    """As the TOOI lists name it: "ministerie van Financiën", "Logius"."""
    return f"ministerie van {name}" if "/ministerie/" in tooi else name


def _route(route: DecisionRoute, council) -> str:
    return {DecisionRoute.CONSENSUS: "consensus in de raad",
            DecisionRoute.MAJORITY: "stemming in de raad",
            DecisionRoute.MANDATE: f"mandaat van de {council.chair.name.nl}",
            DecisionRoute.DEPARTMENTAL: f"besluit van de {council.member.name.nl}"}[route]


def sitemap(items: list[Publication]) -> str:
    ElementTree.register_namespace("", SITEMAP)
    ElementTree.register_namespace("diwoo", DIWOO)
    urlset = ElementTree.Element(f"{{{SITEMAP}}}urlset")
    for item in items:
        url = ElementTree.SubElement(urlset, f"{{{SITEMAP}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP}}}loc").text = item.url
        ElementTree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = item.decided_at.isoformat()
        url.append(document(item))
    ElementTree.indent(urlset)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ElementTree.tostring(urlset, encoding="unicode") + "\n")


def document(item: Publication) -> ElementTree.Element:
    """The `diwoo:Document` of one decision."""
    def add(parent, name: str, text: str | None = None, resource: str | None = None):
        element = ElementTree.SubElement(parent, f"{{{DIWOO}}}{name}")
        if resource:
            element.set("resource", resource)
        if text is not None:
            element.text = text
        return element

    root = ElementTree.Element(f"{{{DIWOO}}}Document")
    diwoo = add(root, "DiWoo")
    add(add(diwoo, "identifiers"), "identifier", item.url)
    add(diwoo, "publisher", item.publisher_name, item.publisher)
    add(add(diwoo, "titelcollectie"), "officieleTitel", item.title)
    add(add(diwoo, "omschrijvingen"), "omschrijving",
        f"Besluit van het {item.council}: {item.outcome} ({item.route}).")
    categories = add(add(diwoo, "classificatiecollectie"), "informatiecategorieen")
    add(categories, "informatiecategorie", CATEGORY[1], CATEGORY[0])
    add(diwoo, "creatiedatum", item.decided_at.date().isoformat())
    add(diwoo, "language", "Nederlands", "http://publications.europa.eu/resource/authority/language/NLD")
    handling = add(add(diwoo, "documenthandelingen"), "documenthandeling")
    add(handling, "soortHandeling", HANDLING[1], HANDLING[0])
    add(handling, "atTime", item.decided_at.isoformat())
    return root


def page(item: Publication, theme: str | None = None, theme_class: str = "") -> str:
    """The decision's public page (Dutch; dates in Amsterdam time). Served, it takes the
    dashboard's theme; exported (`stelsel export diwoo`), it stands alone."""
    e = html.escape
    look = (f'\n<link rel="stylesheet" href="/assets/themes/{e(theme)}.css">'
            '\n<link rel="stylesheet" href="/assets/styles.css">') if theme else ""
    rows = [("Raad", item.council), ("Eenheid", item.unit or "de hele raad"),
            ("Uitkomst", item.outcome), ("Besloten via", item.route),
            ("Besloten door", item.decided_by or "de raad"),
            ("Datum", dutch(item.decided_at)),
            ("Bindend kader", "ja" if item.binding else "nee")]
    table = "\n".join(f"<tr><th scope=\"row\">{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    return f"""<!doctype html>
<html lang="nl" class="utrecht-html {e(theme_class)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(item.title)} — besluit</title>
<link rel="canonical" href="{e(item.url)}">{look}</head>
<body>
<main>
<h1>{e(item.title)}</h1>
<table>
{table}
</table>
<h2>Voorstel zoals besloten</h2>
<p>{e(item.proposal)}</p>
<h2>Motivering</h2>
<p>{e(item.motivation)}</p>
<p><small>Gepubliceerd op grond van de Wet open overheid (actieve openbaarmaking).
Uitgever: {e(item.publisher_name)}.</small></p>
</main>
</body>
</html>
"""
