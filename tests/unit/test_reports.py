"""The register for parliament is opened in spreadsheets and Markdown renderers: nothing an
officer typed may run there."""

from __future__ import annotations

import csv
import io

import pytest

from services.reports import DecisionRow, Report, parse_moment, render


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
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["title"] == "'" + formula
    assert row["motivation"] == "'" + formula


def test_markdown_escapes_html_and_table_syntax():
    text = render(report_with("<script>alert(1)</script>", "a | b\n<img src=x onerror=y>"),
                  "md")
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "a \\| b &lt;img" in text


def test_a_moment_beyond_the_calendar_is_a_value_error():
    with pytest.raises(ValueError):
        parse_moment("9999-12-31T23:59:59-23:59")
    assert parse_moment("2026-01-01").isoformat() == "2026-01-01T00:00:00+00:00"
