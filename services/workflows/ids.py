"""Workflow ids: one workflow per issue, binding framework and notification, found by
these names (a second start of the same id is refused while one runs)."""

from __future__ import annotations


def issue_workflow_id(issue_id: str) -> str:
    return f"issue-{issue_id}"


def framework_workflow_id(framework_id: str) -> str:
    return f"framework-{framework_id}"


def notification_workflow_id(notification_id: str) -> str:
    return f"notify-{notification_id}"


def register_change_workflow_id(change_id: str) -> str:
    return f"register-change-{change_id}"
