"""The bare-SDK worker as its own process, for the benchmarks that run every component in
its own process: ``python -m bench.bare_worker`` (TEMPORAL_ADDRESS, BENCH_BARE_QUEUE).

It connects as plantflow's worker does (the same data converter and tracing interceptor),
so the two workers' CPU compare like for like."""

import asyncio
import os

import httpx
from temporalio.worker import Worker

from bench.bare_activities import BareActivities
from bench.bare_workflows import BareHold, BareSaga, BareTrigger
from runtime.temporal_client import connect


async def main() -> None:
    client = await connect(os.environ["TEMPORAL_ADDRESS"])
    queue = os.environ["BENCH_BARE_QUEUE"]
    async with httpx.AsyncClient(timeout=30) as http:
        bare = BareActivities(http)
        worker = Worker(
            client,
            task_queue=queue,
            workflows=[BareSaga, BareHold, BareTrigger],
            activities=[bare.step, bare.post],
        )
        print(f"worker polling {queue}", flush=True)  # what the process stack waits for
        await worker.run()


if __name__ == "__main__":
    asyncio.run(main())
