"""A register change dated ahead (an appointment from 1 March, a rename from the day a
decree takes effect): one small workflow per change (id `register-change-<id>`, so it runs
once) that waits on a durable timer until the date and then applies it. The change is in
MongoDB already; a worker down at the date applies it when it is back, dated as recorded."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from services.domain.appointments import ApplyRegisterChangeInput
    from services.workflows.options import ACTIVITY_RETRY, ACTIVITY_TIMEOUT
    from services.workflows.register.activities import RegisterActivities


@workflow.defn(name="RegisterChange")
class RegisterChangeWorkflow:
    @workflow.run
    async def run(self, input: ApplyRegisterChangeInput) -> bool:
        wait = input.at - workflow.now()
        if wait > timedelta(0):
            await workflow.sleep(wait, summary="de wijziging gaat in op haar datum")
        return await workflow.execute_activity_method(
            RegisterActivities.apply_register_change, input,
            start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=ACTIVITY_RETRY)
