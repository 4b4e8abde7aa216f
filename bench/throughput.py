"""Saga throughput: happy-path production orders against bare workflows with as many trivial
activities, alternating on one dev server."""

import uuid
from dataclasses import dataclass
from functools import partial

from bench.harness import Bench, CpuWindow, Row, report
from bench.profile import print_shares, print_thread_cpu, profiled, thread_cpu
from bench.sagas import activities_in, bounded, happy_path, history, new_order, saga_id


@dataclass
class Round:
    sagas: int
    activities: int
    cpu: CpuWindow
    threads: tuple[dict[str, float], dict[str, float]] = ({}, {})


async def plantflow_round(bench: Bench, count: int, concurrency: int) -> Round:
    orders = [new_order("41") for _ in range(count)]
    threads_before = thread_cpu()
    with CpuWindow() as cpu:
        await bounded([partial(happy_path, bench, o, lot) for o, lot in orders], concurrency)
    threads_after = thread_cpu()
    activities = 0
    for order_id, _ in orders:
        activities += activities_in(await history(bench.client, saga_id(order_id)))
    return Round(count, activities, cpu, (threads_before, threads_after))


async def bare_round(bench: Bench, count: int, concurrency: int, per_saga: int) -> Round:
    async def one() -> int:
        result: int = await bench.client.execute_workflow(
            "BareSaga", per_saga, id=f"bare-saga-{uuid.uuid4()}", task_queue=bench.bare_queue
        )
        return result

    with CpuWindow() as cpu:
        done = await bounded([one for _ in range(count)], concurrency)
    return Round(count, sum(done), cpu)


def rows(plant: list[Round], bare: list[Round]) -> list[Row]:
    def total(rounds: list[Round], what: str) -> float:
        return sum(float(getattr(r, what)) for r in rounds)

    def cpu(rounds: list[Round], what: str) -> float:
        return sum(getattr(r.cpu, what) for r in rounds)

    p_wall, b_wall = cpu(plant, "wall"), cpu(bare, "wall")
    p_act, b_act = total(plant, "activities"), total(bare, "activities")
    return [
        Row("sagas per second", total(plant, "sagas") / p_wall, total(bare, "sagas") / b_wall),
        Row("activities per second", p_act / p_wall, b_act / b_wall),
        Row("activities per saga", p_act / total(plant, "sagas"), b_act / total(bare, "sagas")),
        Row(
            "process CPU per activity",
            cpu(plant, "process") / p_act * 1000,
            cpu(bare, "process") / b_act * 1000,
            "ms",
        ),
        Row(
            "Temporal server CPU per activity",
            cpu(plant, "server") / p_act * 1000,
            cpu(bare, "server") / b_act * 1000,
            "ms",
        ),
    ]


async def run(
    bench: Bench, sagas: int, concurrency: int, rounds: int, profile: bool = False
) -> list[Row]:
    # One warm-up saga: imports, the sandbox's first build, the SQLite caches.
    warm_order, warm_lot = new_order("41")
    await happy_path(bench, warm_order, warm_lot)
    per_saga = activities_in(await history(bench.client, saga_id(warm_order)))
    plant: list[Round] = []
    bare: list[Round] = []
    with profiled(profile) as profiler:
        for _ in range(rounds):
            plant.append(await plantflow_round(bench, sagas, concurrency))
            if profiler:
                profiler.disable()  # only plantflow's rounds are profiled
            bare.append(await bare_round(bench, sagas, concurrency, per_saga))
            if profiler:
                profiler.enable()
    result = rows(plant, bare)
    report(
        f"saga throughput: {rounds} x {sagas} sagas, {concurrency} in flight",
        result,
        [
            "plantflow: happy-path production orders (ERP release webhook, MES events, "
            "passing inspection, goods receipt); bare: a workflow with as many trivial "
            f"activities ({per_saga})",
            "process CPU: this process (worker, gateway and reference systems on the "
            "embedded stack; the bare worker alone for bare); the dev server is separate",
        ],
    )
    spent: dict[str, float] = {}
    for r in plant:
        for kind, seconds in r.threads[1].items():
            spent[kind] = spent.get(kind, 0.0) + seconds - r.threads[0].get(kind, 0.0)
    print_thread_cpu({}, spent, sum(r.activities for r in plant))
    if profiler:
        print_shares(profiler)
    return result
