"""Workflow ids: one workflow per issue and per binding framework, found by these names."""

from __future__ import annotations


def issue_workflow_id(issue_id: str) -> str:
    return f"issue-{issue_id}"


def framework_workflow_id(framework_id: str) -> str:
    return f"framework-{framework_id}"
