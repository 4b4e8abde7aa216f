"""The plant backlog (``monitoring.backlog``) with many sagas against few: two dev servers,
one holding ``--sagas`` running sagas and one holding 100, in the mix of states the backlog
counts (holds with ages spread over two days, parked steps, waits on ERP, orders not
dispatched, receipts awaiting inspection, releases pending checkpoints, sagas in progress).

The sagas are started with their search attributes and no worker polls their task queue: to
the visibility store they are running sagas, and the figure is visibility's alone."""

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from bench.harness import Row, percentile, report
from monitoring.backlog import backlog
from stack.temporal import start_dev_server
from workflows import search_attributes as sa

SMALL = 100
QUEUE = "bench-backlog-no-worker"


def attributes(i: int, now: datetime) -> tuple[str, list[SearchAttributePair[Any]]]:
    """The i-th saga's type and attributes: a tenth of them in each counted state."""
    since = now - timedelta(minutes=(i * 37) % 2880 + 1)
    pairs: list[SearchAttributePair[Any]] = [SearchAttributePair(sa.PLANT, "P100")]
    kind = "ProductionOrderWorkflow"
    match i % 10:
        case 0:
            pairs += [
                SearchAttributePair(sa.SAGA_STAGE, "awaiting_disposition"),
                SearchAttributePair(sa.QUALITY_STATUS, "on_hold"),
                SearchAttributePair(sa.HOLD_SINCE, since),
                SearchAttributePair(sa.ESCALATED, i % 20 == 0),
            ]
        case 1:
            pairs += [
                SearchAttributePair(sa.SAGA_STAGE, "needs_attention"),
                SearchAttributePair(sa.NEEDS_ATTENTION, True),
                SearchAttributePair(sa.PARKED_SYSTEM, ["erp"]),
                SearchAttributePair(sa.PARKED_ERROR, ["SystemUnavailable"]),
                SearchAttributePair(sa.PARKED_SINCE, since),
            ]
        case 2:
            pairs += [
                SearchAttributePair(sa.SAGA_STAGE, "in_progress"),
                SearchAttributePair(sa.WAITING_ON, "ERP"),
                SearchAttributePair(sa.WAITING_SINCE, since),
            ]
        case 3:
            pairs += [SearchAttributePair(sa.SAGA_STAGE, "validating")]
        case 4:
            kind = "SupplierReceiptInspectionWorkflow"
            pairs += [SearchAttributePair(sa.INSPECTION_STATUS, "awaiting_results")]
        case 5:
            kind = "FinishedGoodsReleaseWorkflow"
            pairs += [
                SearchAttributePair(sa.RELEASE_STATUS, "awaiting_checkpoints"),
                SearchAttributePair(sa.PENDING_CHECKPOINTS, ["lab", "approval"]),
            ]
        case _:
            pairs += [SearchAttributePair(sa.SAGA_STAGE, "in_progress")]
    return kind, pairs


async def populate(client: Client, count: int, concurrency: int = 32) -> None:
    now = datetime.now(UTC)
    gate = asyncio.Semaphore(concurrency)

    async def start(i: int) -> None:
        kind, pairs = attributes(i, now)
        async with gate:
            await client.start_workflow(
                kind,
                id=f"bench-backlog-{i}",
                task_queue=QUEUE,
                search_attributes=TypedSearchAttributes(pairs),
            )

    await asyncio.gather(*(start(i) for i in range(count)))
    while (await client.count_workflows("ExecutionStatus = 'Running'")).count < count:
        await asyncio.sleep(0.5)  # visibility catches up with the starts


async def timed(client: Client, repeat: int) -> tuple[list[float], int]:
    times = []
    held = 0
    for _ in range(repeat):
        began = time.perf_counter()
        [p100] = await backlog(client, ["P100"])
        times.append((time.perf_counter() - began) * 1000)
        held = p100.lots_on_hold.count
    return times, held


async def run(sagas: int, repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="plantflow-bench-") as tmp:
        envs = {}
        try:
            for name, size in (("large", sagas), ("small", SMALL)):
                envs[name] = await start_dev_server(Path(tmp) / f"{name}.db")
                await populate(envs[name].client, size)
            results = {name: await timed(env.client, repeat) for name, env in envs.items()}
        finally:
            for env in envs.values():
                await env.shutdown()
    large, small = results["large"][0], results["small"][0]
    rows = [
        Row("backlog of one plant: p50", percentile(large, 50), percentile(small, 50), "ms"),
        Row("backlog of one plant: max", max(large), max(small), "ms"),
    ]
    report(
        f"plant backlog from visibility: {sagas} running sagas against {SMALL}, {repeat} reads",
        rows,
        [
            f"lots on hold counted: {results['large'][1]} and {results['small'][1]}",
            "the two columns are the large store and the small one (ratio: large / small)",
        ],
        columns=(f"{sagas} sagas", f"{SMALL} sagas"),
    )
    return rows
