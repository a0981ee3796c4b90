"""How the API drives issue cycles: start one, or send it an update. Temporal's failures come
back as the domain's Rejection, so the API answers them as `Rejected`."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime
from typing import Any

from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from services.domain import commands, frameworks
from services.domain.appointments import ApplyRegisterChangeInput
from services.domain.commands import RaiseIssueInput, UpdateResult
from services.domain.dates import dutch
from services.domain.errors import Rejection, RejectionCode
from services.domain.notifications import DeliverNotificationInput
from services.settings import Settings
from services.tracing import tracing_enabled
from services.workflows.changes import REJECTED
from services.workflows.converter import DATA_CONVERTER
from services.workflows.framework.workflow import FrameworkWorkflow
from services.workflows.ids import (
    framework_workflow_id,
    issue_workflow_id,
    notification_workflow_id,
    register_change_workflow_id,
)
from services.workflows.issue_cycle.workflow import IssueWorkflow
from services.workflows.notification.workflow import NotificationWorkflow
from services.workflows.register.workflow import RegisterChangeWorkflow
from services.workflows.search_attributes import SEARCH_ATTRIBUTES

__all__ = ["CycleBusy", "CycleClient", "CycleGone", "issue_workflow_id"]

# Which update carries each command: callers send commands, never name an update.
ISSUE_UPDATES: dict[type, Any] = {
    commands.SubmitAdviceInput: IssueWorkflow.submit_advice,
    commands.ContributeInput: IssueWorkflow.contribute,
    commands.AmendProposalInput: IssueWorkflow.amend_proposal,
    commands.CastVoteInput: IssueWorkflow.cast_vote,
    commands.ClosePhaseInput: IssueWorkflow.close_phase,
    commands.DecideInput: IssueWorkflow.decide,
    commands.ReclassifyInput: IssueWorkflow.reclassify,
    commands.WithdrawInput: IssueWorkflow.withdraw,
    commands.RecuseInput: IssueWorkflow.recuse,
}
FRAMEWORK_UPDATES: dict[type, Any] = {
    frameworks.ReportAdoptionInput: FrameworkWorkflow.report_adoption,
    frameworks.ReviseFrameworkInput: FrameworkWorkflow.revise,
    frameworks.WithdrawFrameworkInput: FrameworkWorkflow.withdraw,
}


async def connect_temporal(settings: Settings) -> Client:
    tls: TLSConfig | bool = False
    if settings.temporal_tls:
        read = lambda path: path.read_bytes() if path else None  # noqa: E731
        tls = TLSConfig(server_root_ca_cert=read(settings.temporal_tls_ca),
                        client_cert=read(settings.temporal_tls_cert),
                        client_private_key=read(settings.temporal_tls_key))
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    # The interceptor carries the trace into updates, workflows and activities.
    interceptors = [TracingInterceptor()] if tracing_enabled(settings) else []
    return await Client.connect(
        settings.temporal_address or "127.0.0.1:7233", namespace=settings.temporal_namespace,
        tls=tls, api_key=api_key, interceptors=interceptors, data_converter=DATA_CONVERTER,
    )


async def missing_search_attributes(client: Client, namespace: str) -> list[str]:
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace))
    known = set(listed.custom_attributes) | set(listed.system_attributes)
    return [key.name for key in SEARCH_ATTRIBUTES if key.name not in known]


async def setup_search_attributes(client: Client, namespace: str) -> list[str]:
    """Registers the attributes the workflows keep current; returns those it added."""
    missing = await missing_search_attributes(client, namespace)
    if missing:
        kinds = {key.name: key.indexed_value_type for key in SEARCH_ATTRIBUTES}
        await client.operator_service.add_search_attributes(AddSearchAttributesRequest(
            namespace=namespace, search_attributes={name: kinds[name] for name in missing}))
    return missing


RETRY_FOR_SECONDS = 30.0
TRANSIENT = (RPCStatusCode.UNAVAILABLE, RPCStatusCode.RESOURCE_EXHAUSTED,
             RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.ABORTED)


class CycleBusy(Exception):
    """Temporal did not finish the change in time; it was applied once or not at all, and
    the caller may try again."""


class CycleGone(Exception):
    """No such workflow is running: it never existed, or it has ended."""


class _Transient(Exception):
    pass


class CycleClient:
    def __init__(self, client: Client, task_queue: str) -> None:
        self.temporal = client
        self.task_queue = task_queue

    async def raise_issue(self, input: RaiseIssueInput, request: str | None = None
                          ) -> UpdateResult:
        """Starts the cycle and answers once its RAISED event is stored. A keyed `request`
        joins the cycle an earlier try started (same issue id, same update id)."""
        start = WithStartWorkflowOperation(
            IssueWorkflow.run,
            input,
            id=issue_workflow_id(input.issue_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING if request
            else WorkflowIDConflictPolicy.FAIL,
            static_summary=summary(input),
        )
        return await self.temporal.execute_update_with_start_workflow(
            IssueWorkflow.opened, start_workflow_operation=start, id=request
        )

    async def change(self, issue_id: str, command: Any, request: str | None = None
                     ) -> UpdateResult:
        """Sends `command` (services.domain.commands) to the issue's cycle. `request`, a
        keyed request id, is sent as the update id: Temporal and the cycle apply it once
        however often it is sent. Raises CycleGone when no cycle runs."""
        update = ISSUE_UPDATES[type(command)]
        return await self._update(issue_workflow_id(issue_id), update, command, request)

    async def change_framework(self, framework_id: str, command: Any) -> UpdateResult:
        """Sends a framework command; raises CycleGone when its workflow has ended."""
        update = FRAMEWORK_UPDATES[type(command)]
        return await self._update(framework_workflow_id(framework_id), update, command)

    async def redeliver(self, notification_id: str) -> None:
        """Starts delivering a notification again (after it became a dead letter)."""
        try:
            await self.temporal.start_workflow(
                NotificationWorkflow.run, DeliverNotificationInput(notification_id),
                id=notification_workflow_id(notification_id), task_queue=self.task_queue)
        except WorkflowAlreadyStartedError:
            pass  # still being delivered

    async def schedule_register_change(self, change_id: str, at: datetime) -> None:
        """Starts the workflow that applies a recorded change at its date; started once."""
        try:
            await self.temporal.start_workflow(
                RegisterChangeWorkflow.run, ApplyRegisterChangeInput(change_id, at),
                id=register_change_workflow_id(change_id), task_queue=self.task_queue,
                static_summary=f"registerwijziging per {dutch(at)}")
        except WorkflowAlreadyStartedError:
            pass  # waiting for its date already

    async def _update(self, workflow: str, update: Any, input: Any,
                      request: str | None = None) -> UpdateResult:
        """Sends the update, retrying what Temporal could not finish (a worker that died, the
        per-workflow limit on updates in flight) under the same update id, which Temporal
        deduplicates: a retried change is applied once."""
        handle = self.temporal.get_workflow_handle(workflow)
        update_id = request or str(uuid.uuid4())
        deadline = time.monotonic() + RETRY_FOR_SECONDS
        delay = 0.1
        while True:
            try:
                return await self._update_once(handle, update, input, update_id)
            except (WorkflowUpdateRPCTimeoutOrCancelledError, _Transient) as err:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    # The SDK reports our own cancellation (a stopping server) as a timeout:
                    # stop, never retry it.
                    raise asyncio.CancelledError() from err
                if time.monotonic() > deadline:
                    raise CycleBusy(str(err)) from err
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def _update_once(self, handle, update: Any, input: Any, update_id: str
                           ) -> UpdateResult:
        try:
            return await handle.execute_update(update, input, id=update_id,
                                               result_type=UpdateResult)
        except WorkflowUpdateFailedError as err:
            cause = err.cause
            if isinstance(cause, ApplicationError) and cause.type == REJECTED:
                code, *_ = cause.details or (RejectionCode.INVALID_INPUT.value,)
                raise Rejection(RejectionCode(code), cause.message) from None
            raise
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise CycleGone(err.message) from None
            if err.status in TRANSIENT:
                raise _Transient(err.message) from err
            raise


def summary(input: RaiseIssueInput) -> str:
    """The title in the Temporal UI's list, with where it belongs in the council's words:
    "Cloudbeleid (cio-beraad, rijksbreed)"."""
    scope = input.council.scopes[input.scope.value].nl if input.council else input.scope.value
    where = f"{scope} {input.ministry}" if input.ministry else scope
    council = f"{input.council.id}, " if input.council else ""
    return f"{input.title} ({council}{where})"[:400]
