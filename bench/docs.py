"""Writing a benchmark's table into its own section of docs/BENCHMARKS.md."""

from pathlib import Path

BENCHMARKS = Path(__file__).parents[1] / "docs" / "BENCHMARKS.md"


def replace_section(name: str, text: str) -> None:
    """Between `<!-- name -->` and `<!-- /name -->`; appended when the file has none."""
    current = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    section = f"{start}\n{text}\n{end}"
    if start in current and end in current:
        head, _, rest = current.partition(start)
        current = head + section + rest.partition(end)[2]
    else:
        current = current.rstrip() + "\n\n" + section + "\n"
    BENCHMARKS.write_text(current)
