"""The Temporal Schedule that runs the SLA check, created or brought up to date idempotently
(by the worker at start, or `starter.py alerts schedule`)."""

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from workflows.alerts import SlaCheckWorkflow
from workflows.alerts_messages import SCHEDULE_ID, SlaCheckInput


def sla_schedule(task_queue: str, every: timedelta) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            SlaCheckWorkflow.run,
            SlaCheckInput(),
            id=SCHEDULE_ID,
            task_queue=task_queue,
            execution_timeout=max(every * 5, timedelta(minutes=5)),
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        # A check still running when the next is due: skip the next, never pile up.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_sla_schedule(client: Client, task_queue: str, every: timedelta) -> str:
    """Create the schedule, or update an existing one to this interval and task queue."""
    schedule = sla_schedule(task_queue, every)
    try:
        await client.create_schedule(SCHEDULE_ID, schedule)
        return "created"
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(SCHEDULE_ID).update(replace)
        return "updated"
