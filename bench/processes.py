"""Saga throughput with every component in its own process (the reliability suite's process
stack): plantflow's worker process against a bare worker process, so each worker's CPU per
activity is its own, apart from the gateway, the reference systems and the server."""

import os
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from temporalio.client import Client

from bench.harness import CLOCK_TICKS, Row, plenty_of_stock, report
from bench.sagas import activities_in, bounded, happy_path, history, new_order, saga_id
from refsystems.common.admin import admin_auth
from reliability.processes import REFSYSTEMS, Component, ProcessStack
from runtime.temporal_client import connect
from stack.scenario import PlantScenario
from worker import http_client


@dataclass
class ProcessBench:
    """What the saga drivers need (``bench.sagas``): a client and the plant's scenario."""

    client: Client
    scenario: PlantScenario
    stack: ProcessStack
    bare_queue: str


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def component_cpu(stack: ProcessStack) -> dict[str, float]:
    return {
        name: cpu_of(c.process.pid)
        for name, c in stack.components.items()
        if c.process is not None and c.process.returncode is None
    }


@asynccontextmanager
async def process_bench(data_dir: Path, workers: int = 1) -> AsyncIterator[ProcessBench]:
    stack = ProcessStack(data_dir, task_queue=f"bench-{uuid.uuid4()}")
    bare_queue = f"bare-{uuid.uuid4()}"
    extra = [f"worker-{n}" for n in range(2, workers + 1)]
    try:
        await stack.start_all()
        for name in extra:  # more plantflow workers on the same task queue: Temporal spreads
            first = stack.components["worker"]
            stack.components[name] = Component(name, first.argv, first.env)
            await stack.start(name)
        stack.components["bare"] = Component(
            "bare",
            [sys.executable, "-m", "bench.bare_worker"],
            {
                **os.environ,
                "TEMPORAL_ADDRESS": stack.temporal_address,
                "BENCH_BARE_QUEUE": bare_queue,
                "PYTHONUNBUFFERED": "1",
            },
        )
        await stack.start("bare")
        client = await connect(stack.temporal_address)
        async with http_client(auth=admin_auth()) as http:
            scenario = PlantScenario(http, stack.urls)
            await scenario.seed()
            plenty_of_stock(data_dir / "erp.db")
            yield ProcessBench(client, scenario, stack, bare_queue)
    finally:
        await stack.stop_all(["bare", *extra, "worker", "gateway", *REFSYSTEMS, "temporal"])


async def run(
    data_dir: Path, sagas: int, concurrency: int, rounds: int, workers: int = 1
) -> list[Row]:
    async with process_bench(data_dir, workers) as bench:
        warm_order, warm_lot = new_order("45")
        await happy_path(bench, warm_order, warm_lot)
        per_saga = activities_in(await history(bench.client, saga_id(warm_order)))
        spent: dict[str, dict[str, float]] = {"plantflow": {}, "bare": {}}
        counts = {"plantflow": 0, "bare": 0}
        walls = {"plantflow": 0.0, "bare": 0.0}

        async def bare_one() -> int:
            done: int = await bench.client.execute_workflow(
                "BareSaga", per_saga, id=f"bare-saga-{uuid.uuid4()}", task_queue=bench.bare_queue
            )
            return done

        for _ in range(rounds):
            for side in ("plantflow", "bare"):
                before, started = component_cpu(bench.stack), time.perf_counter()
                if side == "plantflow":
                    orders = [new_order("45") for _ in range(sagas)]
                    jobs = [partial(happy_path, bench, o, lot) for o, lot in orders]
                    await bounded(jobs, concurrency)
                else:
                    await bounded([bare_one for _ in range(sagas)], concurrency)
                walls[side] += time.perf_counter() - started
                after = component_cpu(bench.stack)
                for name, seconds in after.items():
                    spent[side][name] = spent[side].get(name, 0.0) + seconds - before.get(name, 0)
                counts[side] += sagas * per_saga
        p, b = spent["plantflow"], spent["bare"]
        p["worker"] = sum(v for name, v in p.items() if name.startswith("worker"))
        n_p, n_b = counts["plantflow"], counts["bare"]
        result = [
            Row(
                "sagas per second",
                rounds * sagas / walls["plantflow"],
                rounds * sagas / walls["bare"],
            ),
            Row("activities per second", n_p / walls["plantflow"], n_b / walls["bare"]),
            Row("worker CPU per activity", 1000 * p["worker"] / n_p, 1000 * b["bare"] / n_b, "ms"),
            Row(
                "Temporal server CPU per activity",
                1000 * p["temporal"] / n_p,
                1000 * b["temporal"] / n_b,
                "ms",
            ),
        ]
        others = sorted(
            (name for name in p if not name.startswith(("worker", "temporal", "bare"))),
            key=lambda name: -p[name],
        )
        report(
            f"saga throughput, one process per component: {rounds} x {sagas} sagas, "
            f"{concurrency} in flight, {workers} plantflow worker process(es)",
            result,
            [
                f"plantflow's worker process(es, CPU summed) against one bare worker ({per_saga} "
                "trivial activities per workflow); the same Temporal dev server",
                "plantflow's other processes, CPU per activity: "
                + ", ".join(f"{name} {1000 * p[name] / n_p:.1f} ms" for name in others),
            ],
        )
        return result
