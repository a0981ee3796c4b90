"""The search attributes the issue workflows keep current, so operators can list, say,
every overdue issue in MANDATE. Registered by `stelsel dev` and `stelsel setup-temporal`."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

ISSUE_ID = SearchAttributeKey.for_keyword("StelselIssueId")
PHASE = SearchAttributeKey.for_keyword("StelselPhase")
SCOPE = SearchAttributeKey.for_keyword("StelselScope")
MINISTRY = SearchAttributeKey.for_keyword("StelselMinistry")
OVERDUE = SearchAttributeKey.for_bool("StelselOverdue")
SEARCH_ATTRIBUTES = (ISSUE_ID, PHASE, SCOPE, MINISTRY, OVERDUE)
