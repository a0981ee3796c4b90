"""The register for parliament is opened in spreadsheets and Markdown renderers: nothing an
officer typed may run there."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from services.report_formats import render
from services.reports import DecisionRow, Report, parse_moment


def report_with(title: str, motivation: str) -> Report:
    return Report(None, None, [DecisionRow(
        issue_id="i1", title=title, scope="GOVERNMENT_WIDE", ministry=None, route="MANDATE",
        outcome="ADOPTED", binding=False, motivation=motivation,
        decided_at="2026-03-02T09:00:00+00:00", decided_by=None)], [])


@pytest.mark.parametrize("formula", [
    '=HYPERLINK("https://example.org","klik")', "+SUM(A1:A9)", "-2+3", "@SUM(1)",
    "\tTAB", "\rCR",
])
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(formula: str):
    text = render(report_with(formula, formula), "csv")
    row = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert row["titel"] == "'" + formula
    assert row["motivering"] == "'" + formula


def test_markdown_escapes_html_and_table_syntax():
    text = render(report_with("<script>alert(1)</script>", "a | b\n<img src=x onerror=y>"),
                  "md")
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "a \\| b &lt;img" in text


def test_a_moment_beyond_the_calendar_is_a_value_error():
    with pytest.raises(ValueError):
        parse_moment("9999-12-31T23:59:59-23:59")
    assert parse_moment("2026-01-01").isoformat() == "2026-01-01T00:00:00+00:00"


def test_the_report_speaks_dutch_in_amsterdam_time_one_table_per_csv():
    report = report_with("Cloudbeleid", "Rijksbreed nodig")
    text = render(report, "csv")
    assert text.startswith("\ufeff")  # so a Dutch spreadsheet reads é and ë
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["besloten op", "raad", "zaak"]
    assert rows[1][0] == "2026-03-02 10:00"  # 09:00 UTC is 10:00 in Amsterdam (CET)
    assert "mandaat" in rows[1] and "aangenomen" in rows[1]
    markdown = render(report, "md")
    assert "# Besluitenregister en naleving van bindende kaders" in markdown
    assert "2 maart 2026 10:00" in markdown and "## Uitzonderingen" in markdown
    english = render(report, "md", language="en")
    assert "# Decision register and framework compliance" in english
    archive = zipfile.ZipFile(io.BytesIO(render(report, "zip")))
    assert sorted(archive.namelist()) == [
        "besluiten.csv", "kaders.csv", "register.csv", "uitzonderingen.csv"]
    with pytest.raises(ValueError):
        render(report, "csv", table="alles")
