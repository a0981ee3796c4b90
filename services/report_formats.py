"""The register report as people open it: Markdown and spreadsheets in Dutch (English on
request), dates in Amsterdam time, one table per CSV file (`;`-separated with a byte order
mark, as Dutch spreadsheet software reads it), all tables zipped. JSON stays the data as
built (English keys, UTC). Nothing an officer typed may run in a spreadsheet or renderer."""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from dataclasses import asdict
from datetime import datetime
from typing import Any

from services.domain.dates import amsterdam, dutch
from services.reports import FORMATS, Report

TABLES = ("besluiten", "kaders", "uitzonderingen", "register")
LANGUAGES = ("nl", "en")

WORDS: dict[str, dict[str, Any]] = {
    "nl": {
        "title": "Besluitenregister en naleving van bindende kaders",
        "period": "periode {start} tot {end}", "start": "het begin", "end": "nu",
        "decisions": "Besluiten", "frameworks": "Bindende kaders",
        "exceptions": "Uitzonderingen (pas toe of leg uit)", "register": "Register",
        "no_decisions": "Geen besluiten in deze periode.", "nothing": "Geen.",
        "yes": "ja", "no": "nee", "withdrawn": " (ingetrokken)",
        "route": {"CONSENSUS": "consensus", "MAJORITY": "stemming", "MANDATE": "mandaat",
                  "DEPARTMENTAL": "departementaal"},
        "outcome": {"ADOPTED": "aangenomen", "REJECTED": "verworpen"},
        "scope": {"GOVERNMENT_WIDE": "rijksbreed", "DEPARTMENTAL": "departementaal"},
        "kind": {"APPOINTED": "benoemd", "APPOINTMENT_ENDED": "benoeming beëindigd",
                 "COUNCIL_PUBLISHED": "raad gepubliceerd", "DEPUTY_NAMED":
                 "plaatsvervanger aangewezen", "APPOINTMENT_SCHEDULED": "benoeming gepland",
                 "APPOINTMENT_END_SCHEDULED": "einde benoeming gepland",
                 "UNIT_CREATED": "eenheid toegevoegd", "UNIT_RENAMED": "eenheid hernoemd",
                 "UNIT_ENDED": "eenheid opgeheven", "UNIT_OIN_RECORDED": "OIN vastgelegd",
                 "IN_FORCE": "gaat in"},
        "columns": {
            "besluiten": {"decided_at": "besloten op", "council": "raad", "issue_id": "zaak",
                          "title": "titel", "scope": "reikwijdte", "ministry": "eenheid",
                          "route": "route", "outcome": "uitkomst", "binding": "bindend",
                          "decided_by": "besloten door", "motivation": "motivering"},
            "kaders": {"framework_id": "kader", "title": "titel", "version": "versie",
                       "decided_at": "besloten op", "adopt_by": "invoeren vóór",
                       "withdrawn": "ingetrokken", "compliance": "naleving",
                       "implemented": "ingevoerd", "exceptions": "uitzonderingen",
                       "planned": "gepland", "pending": "open", "overdue": "te laat"},
            "uitzonderingen": {"framework_id": "kader", "framework": "titel",
                               "unit": "eenheid", "explanation": "uitleg",
                               "reported_at": "gemeld op"},
            "register": {"at": "gaat in", "recorded_at": "vastgelegd op", "kind": "wijziging",
                         "council": "raad", "unit": "eenheid", "role": "zetel",
                         "person": "persoon", "detail": "wat", "basis": "rechtsgrond",
                         "by": "door"},
        },
    },
    "en": {
        "title": "Decision register and framework compliance",
        "period": "period {start} to {end}", "start": "the start", "end": "now",
        "decisions": "Decisions", "frameworks": "Binding frameworks",
        "exceptions": "Exceptions (comply or explain)", "register": "Register",
        "no_decisions": "No decisions in this period.", "nothing": "None.",
        "yes": "yes", "no": "no", "withdrawn": " (withdrawn)",
        "route": {"CONSENSUS": "consensus", "MAJORITY": "vote", "MANDATE": "mandate",
                  "DEPARTMENTAL": "departmental"},
        "outcome": {"ADOPTED": "adopted", "REJECTED": "rejected"},
        "scope": {"GOVERNMENT_WIDE": "government-wide", "DEPARTMENTAL": "departmental"},
        "kind": {},
        "columns": None,  # the data's own field names
    },
}
# In every table: what a date column holds, and what a yes/no column holds.
DATES = {"decided_at", "adopt_by", "reported_at", "at", "recorded_at"}
FLAGS = {"binding", "withdrawn"}


def render(report: Report, fmt: str, table: str = "besluiten", language: str = "nl"
           ) -> str | bytes:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    if fmt == "json":
        return json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        if table not in TABLES:
            raise ValueError(f"table must be one of {', '.join(TABLES)}")
        return csv_table(report, table, language)
    if fmt == "zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in TABLES:
                archive.writestr(f"{name}.csv", csv_table(report, name, language))
        return out.getvalue()
    if fmt == "md":
        return markdown(report, language)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")


def _rows(report: Report, table: str) -> list[Any]:
    return {"besluiten": report.decisions, "kaders": report.frameworks,
            "uitzonderingen": report.exceptions, "register": report.register}[table]


def csv_table(report: Report, table: str, language: str) -> str:
    """One table: `;` between cells and a byte order mark, so that a Dutch spreadsheet
    opens it in columns with its accents intact."""
    words = WORDS[language]
    rows = [asdict(r) for r in _rows(report, table)]
    names = (list(words["columns"][table]) if words["columns"]
             else list(rows[0]) if rows else list(WORDS["nl"]["columns"][table]))
    headers = [words["columns"][table][n] for n in names] if words["columns"] else names
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_spreadsheet_safe(_value(name, row.get(name), words))
                         for name in names])
    return out.getvalue()


def _value(name: str, value: Any, words: dict[str, Any]) -> Any:
    if value is None:
        return ""
    if name in DATES and isinstance(value, str):
        return f"{amsterdam(datetime.fromisoformat(value)):%Y-%m-%d %H:%M}"
    if name in FLAGS:
        return words["yes"] if value else words["no"]
    if name == "compliance":
        return f"{value:.0%}"
    for field in ("route", "outcome", "scope", "kind"):
        if name == field:
            return words[field].get(value, value)
    return value


def markdown(report: Report, language: str = "nl") -> str:
    w = WORDS[language]
    period = w["period"].format(start=_day(report.period_from, w["start"]),
                                end=_day(report.period_to, w["end"]))
    of = (f": {_cell(report.council_names.get(report.council, report.council))}"
          if report.council else "")
    lines = [f"# {w['title']}{of}", "", period, "", f"## {w['decisions']}"]
    councils = sorted({d.council for d in report.decisions})
    for council in councils:
        if not report.council:  # every council: each under its own heading
            lines += ["", f"### {_cell(report.council_names.get(council, council))}"]
        lines += _table(w, "besluiten",
                        [asdict(d) for d in report.decisions if d.council == council],
                        ["decided_at", "title", "scope", "route", "outcome", "binding",
                         "motivation"])
    if not councils:
        lines += ["", w["no_decisions"]]
    lines += ["", f"## {w['frameworks']}"]
    frameworks = [{**asdict(f), "title": f.title + (w["withdrawn"] if f.withdrawn else "")}
                  for f in report.frameworks]
    lines += _table(w, "kaders", frameworks,
                    ["title", "version", "adopt_by", "compliance", "implemented", "exceptions",
                     "planned", "pending", "overdue"])
    lines += ["", f"## {w['exceptions']}"]
    lines += _table(w, "uitzonderingen", [asdict(e) for e in report.exceptions],
                    ["framework", "unit", "explanation", "reported_at"])
    lines += ["", f"## {w['register']}"]
    lines += _table(w, "register", [asdict(r) for r in report.register],
                    ["at", "kind", "unit", "role", "person", "detail", "basis", "by"])
    return "\n".join(lines) + "\n"


def _table(w: dict[str, Any], table: str, rows: list[dict[str, Any]], names: list[str]
           ) -> list[str]:
    if not rows:
        return ["", w["nothing"]]
    headers = [w["columns"][table][n] if w["columns"] else n for n in names]
    lines = ["", "| " + " | ".join(headers) + " |", "|" + "---|" * len(names)]
    for values in rows:
        cells = []
        for name in names:
            value = values.get(name)
            if name in DATES and isinstance(value, str):
                cells.append(dutch(datetime.fromisoformat(value)))
            else:
                cells.append(_cell(str(_value(name, value, w))))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _day(moment: str | None, otherwise: str) -> str:
    return dutch(datetime.fromisoformat(moment)) if moment else otherwise


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would read as a formula gets a leading apostrophe; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(text: str) -> str:
    """Text for a Markdown table cell: HTML escaped (a renderer would run it), the table's
    own syntax neutralised, one line."""
    return html.escape(text, quote=True).replace("|", "\\|").replace("\n", " ")
