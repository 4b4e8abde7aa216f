"""Driving plantflow's sagas as the plant does (ERP release, MES events), and reading their
histories. Shared by the figures."""

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory

from stack.scenario import PlantScenario
from workflows import production_order
from workflows import search_attributes as sa

T = TypeVar("T")


class Plant(Protocol):
    """What driving sagas needs: the embedded stack's ``Bench`` or the process stack's."""

    @property
    def client(self) -> Client: ...

    @property
    def scenario(self) -> PlantScenario: ...


PLANT = "P100"
_serial = itertools.count(1)


def new_order(prefix: str) -> tuple[str, str]:
    """A fresh 7-digit order number (prefix + serial) and its output lot."""
    order_id = f"{prefix}{next(_serial):05d}"
    return order_id, f"B{order_id}"


def saga_id(order_id: str) -> str:
    return production_order.workflow_id(PLANT, order_id)


async def wait_for_stage(client: Client, order_id: str, *stages: str, timeout: float = 120) -> None:
    """Poll the saga's SagaStage search attribute: the server answers, the worker is not
    asked (a query would cost a workflow task per poll and distort the figure)."""
    handle = client.get_workflow_handle(saga_id(order_id))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            described = await handle.describe()
            if described.typed_search_attributes.get(sa.SAGA_STAGE) in stages:
                return
        except Exception:  # not started yet
            pass
        await asyncio.sleep(0.05)
    raise TimeoutError(f"order {order_id} did not reach {stages} in {timeout} s")


async def released_and_running(bench: Plant, order_id: str, lot_id: str) -> None:
    """Planner creates and releases the order; MES starts it, consumes, confirms mixing."""
    scenario = bench.scenario
    await scenario.new_order(order_id, lot_id)
    await scenario.release(order_id)
    await wait_for_stage(bench.client, order_id, "in_progress")
    await scenario.start_and_mix(order_id)


async def happy_path(bench: Plant, order_id: str, lot_id: str) -> None:
    """Release, run, a passing inspection, finish; returns when the saga has completed."""
    await released_and_running(bench, order_id, lot_id)
    await bench.scenario.measure(order_id, "S1", Decimal("12100"))
    await bench.scenario.finish_line(order_id, lot_id)
    await bench.client.get_workflow_handle(saga_id(order_id)).result()


async def bounded(jobs: Sequence[Callable[[], Awaitable[T]]], concurrency: int) -> list[T]:
    """Run the jobs with at most ``concurrency`` in flight."""
    gate = asyncio.Semaphore(concurrency)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def history(client: Client, workflow_id: str) -> WorkflowHistory:
    return await client.get_workflow_handle(workflow_id).fetch_history()


def activities_in(hist: WorkflowHistory) -> int:
    return sum(
        1 for e in hist.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    )


def size_of(hist: WorkflowHistory) -> tuple[int, int]:
    """Events and bytes (the protobuf size of each event, as the server stores them)."""
    return len(hist.events), sum(e.ByteSize() for e in hist.events)


def kind_counts(hist: WorkflowHistory) -> dict[str, int]:
    counts: dict[str, int] = {}
    for event in hist.events:
        name = EventType.Name(event.event_type).removeprefix("EVENT_TYPE_")
        counts[name] = counts.get(name, 0) + 1
    return counts
