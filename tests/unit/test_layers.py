"""The layers (docs/ARCHITECTURE.md) as a test: graph → (workflow client, store's read
side) → domain. Each module's imports, read from its source, must stay inside what its
layer may use; a new import across a layer fails here with the module and the line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVICES = Path(__file__).parents[2] / "services"

# What each layer may import from this project (besides itself). Third-party packages are
# checked too, where a layer must not touch one.
ALLOWED: dict[str, tuple[str, ...]] = {
    "services.domain": (),
    # Council definitions read from text: the domain's types, nothing else of ours.
    "services.councils": ("services.domain",),
    "services.store": ("services.domain", "services.councils", "services.typed",
                       "services.tracing"),
    "services.workflows": ("services.domain", "services.councils", "services.store",
                           "services.typed", "services.settings", "services.tracing"),
    "services.graph": ("services.domain", "services.councils", "services.store.views",
                       "services.store.issues", "services.store.database",
                       "services.workflows.client", "services.settings", "services.logs",
                       "services.tracing", "services.reports", "services.report_formats",
                       "services.embedded",
                       "services.woo", "services.accessibility"),
}
FORBIDDEN_PACKAGES: dict[str, tuple[str, ...]] = {
    "services.domain": ("pymongo", "bson", "temporalio", "strawberry", "starlette", "graphql",
                        "httpx", "pydantic"),
    "services.councils": ("pymongo", "bson", "temporalio", "strawberry", "starlette",
                          "graphql"),
    "services.store": ("temporalio", "strawberry", "starlette", "graphql"),
    "services.graph": ("pymongo", "bson", "temporalio"),
}
# Only the workflows' activities write the issue and framework records.
RECORD_WRITES = ("issues.record(", "issues.apply(", "frameworks.record(")


def layer_of(module: str) -> str | None:
    return next((layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")),
                None)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        parts = path.relative_to(SERVICES.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


def violations(module: str, path: Path) -> list[str]:
    layer = layer_of(module)
    if layer is None:
        return []
    wrong = []
    for line, imported in imports(path):
        top = imported.split(".")[0]
        if imported.startswith("services."):
            if layer_of(imported) == layer or imported.startswith(ALLOWED[layer]):
                continue
            wrong.append(f"{path.name}:{line} imports {imported}")
        elif top in FORBIDDEN_PACKAGES.get(layer, ()):
            wrong.append(f"{path.name}:{line} imports {imported}")
    return wrong


@pytest.mark.parametrize("module,path", modules(), ids=lambda v: str(v))
def test_every_module_keeps_to_its_layer(module: str, path: Path):
    assert violations(module, path) == []


def test_only_activities_write_the_records():
    writers = sorted(
        str(path.relative_to(SERVICES)) for _, path in modules()
        if any(call in path.read_text() for call in RECORD_WRITES))
    assert writers == ["workflows/framework/activities.py",
                       "workflows/issue_cycle/activities.py"]


def test_the_check_catches_a_layer_violation(tmp_path: Path):
    """The rule itself can fail: a graph module reaching for a workflow definition or
    pymongo, a domain module for the store."""
    graph = tmp_path / "graph.py"
    graph.write_text("from services.workflows.issue_cycle.workflow import IssueWorkflow\n"
                     "import pymongo\n")
    domain = tmp_path / "domain.py"
    domain.write_text("from services.store.documents import plain\n")
    assert len(violations("services.graph.issues.mutations", graph)) == 2
    assert violations("services.domain.cycle", domain) == [
        "domain.py:1 imports services.store.documents"]
