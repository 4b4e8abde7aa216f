"""The bare-SDK baselines: the least a Temporal workflow can do for the same job.

Activities are named by string, so this module imports nothing but the SDK (the sandbox
re-imports it; the activities with their HTTP client live in ``bench.bare_activities``).
"""

import asyncio
from datetime import timedelta

from temporalio import workflow

ACTIVITY_TIMEOUT = timedelta(seconds=30)


@workflow.defn(name="BareSaga")
class BareSaga:
    """As many trivial activities, one after the other, as a plantflow saga runs."""

    @workflow.run
    async def run(self, activities: int) -> int:
        for step in range(activities):
            await workflow.execute_activity(
                "bare_step", step, start_to_close_timeout=ACTIVITY_TIMEOUT
            )
        return activities


@workflow.defn(name="BareHold")
class BareHold:
    """Waits for one signal, then calls three HTTP endpoints at once (ERP, MES, shipping)."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    @workflow.signal(name="hold")
    def hold(self, urls: list[str]) -> None:
        self.urls = urls

    @workflow.run
    async def run(self, wait_for_signal: bool) -> int:
        await workflow.wait_condition(lambda: bool(self.urls))
        calls = [
            workflow.execute_activity("bare_post", url, start_to_close_timeout=ACTIVITY_TIMEOUT)
            for url in self.urls
        ]
        await asyncio.gather(*calls)
        return len(calls)


@workflow.defn(name="BareTrigger")
class BareTrigger:
    """What a raw ``start_workflow`` starts: a workflow that waits until it is told to end."""

    def __init__(self) -> None:
        self.done = False

    @workflow.signal(name="finish")
    def finish(self) -> None:
        self.done = True

    @workflow.run
    async def run(self, order_id: str) -> str:
        await workflow.wait_condition(lambda: self.done)
        return order_id
