"""The accessibility statement (/toegankelijkheid), written from the evidence the browser
tests record (services/accessibility.json, `make screenshots`): which pages axe checked in
which languages and themes against WCAG 2.1 AA (EN 301 549), and which tasks were done by
keyboard alone. It claims no more than was tested: no audit by an expert yet."""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path
from typing import Any

from services.domain.dates import MONTHS

EVIDENCE = Path(__file__).with_name("accessibility.json")


def evidence() -> dict[str, Any]:
    return json.loads(EVIDENCE.read_text())


def statement(found: dict[str, Any], theme: str, theme_class: str) -> str:
    """The statement in Dutch, then in English, in the dashboard's look."""
    e = html.escape
    checks = len(found["pages"]) * len(found["languages"]) * len(found["themes"])
    pages = "".join(f"<li><code>{e(p['path'])}</code> — {e(p['nl'])}</li>"
                    for p in found["pages"])
    pages_en = "".join(f"<li><code>{e(p['path'])}</code> — {e(p['en'])}</li>"
                       for p in found["pages"])
    keyboard = "".join(f"<li>{e(k['nl'])}</li>" for k in found["keyboard"])
    keyboard_en = "".join(f"<li>{e(k['en'])}</li>" for k in found["keyboard"])
    themes = ", ".join(found["themes"])
    day = date.fromisoformat(found["checked_at"])
    checked_at = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"""<!doctype html>
<html lang="nl" class="utrecht-html {e(theme_class)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Toegankelijkheidsverklaring — Stelsel</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/themes/{e(theme)}.css">
<link rel="stylesheet" href="/assets/styles.css"></head>
<body>
<main id="main">
<h1>Toegankelijkheidsverklaring</h1>
<p>Stelsel streeft ernaar te voldoen aan WCAG 2.1 niveau AA, zoals de Europese norm
EN 301 549 en het Besluit digitale toegankelijkheid overheid vragen.</p>
<h2>Stand van zaken</h2>
<p>Status: <strong>eerste maatregelen getroffen</strong>. Elke wijziging wordt automatisch
getoetst en met het toetsenbord beproefd; een volledig onderzoek door een deskundige
(WCAG-EM) is nog niet gedaan. Deze verklaring zegt niet meer dan er getoetst is.</p>
<h2>Hoe getoetst</h2>
<p>Op {checked_at} controleerde axe-core {e(found['axe'])} (regels WCAG 2.0 en
2.1, niveau A en AA) {checks} combinaties van pagina, taal ({e(', '.join(found['languages']))})
en thema ({e(themes)}): <strong>{found['violations']} overtredingen</strong>.</p>
<ul>{pages}</ul>
<p>Met alleen het toetsenbord uitgevoerd (Tab, pijltjes, spatie, Enter):</p>
<ul>{keyboard}</ul>
<h2>Bekende beperkingen</h2>
<ul><li>Automatische toetsing vindt een deel van de toegankelijkheidsproblemen; inhoud
(zoals de toelichting bij een besluit) wordt door gebruikers geschreven.</li>
<li>GraphQL-ontwikkelomgeving (GraphiQL, alleen in ontwikkelmodus) is niet getoetst.</li></ul>
<h2>Contact</h2>
<p>Loopt u ergens tegenaan? Meld het bij de beheerder van deze installatie.</p>

<section lang="en" id="en">
<h2>Accessibility statement (English)</h2>
<p>Stelsel aims to meet WCAG 2.1 level AA (EN 301 549). Status: <strong>first measures
taken</strong>: every change is checked automatically and by keyboard; no audit by an expert
(WCAG-EM) yet. On {found['checked_at']} axe-core {e(found['axe'])} checked {checks}
combinations of page, language and theme: <strong>{found['violations']} violations</strong>.</p>
<ul>{pages_en}</ul>
<p>Done by keyboard alone:</p>
<ul>{keyboard_en}</ul>
</section>
<p><a href="/">Naar het overzicht / to the board</a></p>
</main>
</body>
</html>
"""
