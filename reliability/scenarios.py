"""The fault scenarios. Each pushes production orders and receipts through the plant while
one kind of fault strikes, then lets the plant settle and checks the invariants."""

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from reliability.invariants import Outcome, classify, count_duplicates, dead_events
from reliability.processes import ProcessStack
from reliability.torn_proxy import TornBodyProxy
from reliability.workload import Driver, Saga, is_final, persist

Say = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Sizes:
    """How much work and how long the faults last: the short and the full run differ here."""

    orders: int
    receipts: int
    outage_seconds: float
    storm_seconds: float
    concurrency: int = 6
    patience: float = 300.0  # how long a saga may take to finish once its faults are over
    # Seconds from the worker polling again to the next SIGKILL.
    kill_gap: tuple[float, float] = (0.5, 4.0)
    max_kills: int | None = None  # None: kill until the work is through
    tear_share: float = 0.25


SHORT = Sizes(orders=8, receipts=2, outage_seconds=10, storm_seconds=10, patience=90)
FULL = Sizes(
    orders=50, receipts=20, outage_seconds=150, storm_seconds=60, patience=900, kill_gap=(1.0, 6.0)
)


@dataclass
class Context:
    stack: ProcessStack
    driver: Driver
    sizes: Sizes
    rng: random.Random
    say: Say
    prefix: str  # order numbers and lots of this scenario start with it
    proxy: TornBodyProxy | None = None
    sagas: list[Saga] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def order_ids(self) -> list[str]:
        return [f"{self.prefix}{n:05d}" for n in range(1, self.sizes.orders + 1)]

    def lot_ids(self) -> list[str]:
        # The plant's lot pattern is B + 7 to 9 digits; 5 keeps them apart from output lots.
        return [f"B5{self.prefix}{n:05d}" for n in range(1, self.sizes.receipts + 1)]


async def bounded(limit: int, jobs: Sequence[Awaitable[T]]) -> list[T]:
    """Await the jobs, at most ``limit`` at a time (a plant has only so many lines)."""
    gate = asyncio.Semaphore(limit)

    async def one(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return await asyncio.gather(*(one(job) for job in jobs))


async def start_work(ctx: Context) -> tuple[list[Saga], list[Saga]]:
    """Planner releases every order in ERP and the warehouse receives every lot."""
    driver, limit = ctx.driver, ctx.sizes.concurrency
    orders = await bounded(limit, [driver.create_and_release(o) for o in ctx.order_ids()])
    receipts = await bounded(limit, [driver.receive(lot) for lot in ctx.lot_ids()])
    ctx.sagas += orders + receipts
    ctx.say(f"released {len(orders)} orders, received {len(receipts)} lots")
    return orders, receipts


async def work_through(ctx: Context, orders: list[Saga], receipts: list[Saga]) -> None:
    """The line runs every order, the lab tests every lot; each until its saga settles."""
    driver, patience = ctx.driver, ctx.sizes.patience
    jobs = [
        *(driver.test_lot(s, patience) for s in receipts),
        *(driver.run_line(s, patience) for s in orders),
    ]
    await bounded(ctx.sizes.concurrency, jobs)


async def wait_all_final(ctx: Context, timeout: float) -> list[tuple[Saga, dict[str, Any]]]:
    """Every saga's last state, once each is final or parked (or the patience ran out)."""
    results = await bounded(
        ctx.sizes.concurrency,
        [ctx.driver.wait(s, partial(is_final, s), timeout) for s in ctx.sagas],
    )
    return list(zip(ctx.sagas, results, strict=True))


async def wait_stage(ctx: Context, orders: list[Saga], stage: str) -> None:
    """Until every order reached ``stage`` (or settled, or the patience ran out)."""
    await bounded(
        ctx.sizes.concurrency,
        [ctx.driver.wait(s, stage_is(stage), ctx.sizes.patience) for s in orders],
    )


def stage_is(stage: str) -> Callable[[dict[str, Any]], bool]:
    return lambda state: state.get("stage") == stage


async def fault(ctx: Context, system: str, spec: dict[str, Any]) -> None:
    url = f"{ctx.stack.url(system)}/admin/faults"
    response = await ctx.driver.http.post(url, json=spec)
    response.raise_for_status()


# the scenarios ---------------------------------------------------------------------


async def worker_kill(ctx: Context) -> None:
    """SIGKILL the worker at random moments (seeded) while all the work flows."""
    orders, receipts = await start_work(ctx)
    done = asyncio.Event()
    stack = ctx.stack
    stack.components["worker"].kills = 0

    async def killer() -> None:
        low, high = ctx.sizes.kill_gap
        limit = ctx.sizes.max_kills
        while not done.is_set() and (limit is None or stack.components["worker"].kills < limit):
            try:
                await asyncio.wait_for(done.wait(), timeout=ctx.rng.uniform(low, high))
            except TimeoutError:
                await stack.restart("worker")

    task = asyncio.create_task(killer())
    try:
        await work_through(ctx, orders, receipts)
    finally:
        done.set()
        await task
    kills = ctx.stack.components["worker"].kills
    ctx.notes.append(f"worker SIGKILLed {kills} times")


async def temporal_restart(ctx: Context) -> None:
    """SIGKILL the Temporal server once half the orders are on the line; restart it on its
    SQLite file; the worker and gateway reconnect by themselves."""
    orders, receipts = await start_work(ctx)
    half = max(1, len(orders) // 2)

    async def strike() -> None:
        await wait_stage(ctx, orders[:half], "in_progress")
        await ctx.stack.kill("temporal")
        ctx.say("Temporal server SIGKILLed; restarting it on its database")
        await ctx.stack.start("temporal")

    await asyncio.gather(strike(), work_through(ctx, orders, receipts))
    ctx.notes.append("Temporal server killed and restarted once")


async def outbox_restart(ctx: Context) -> None:
    """With the gateway down, events pile up in the outboxes of ERP (releases) and MES (the
    line's events); each system is SIGKILLed with them undelivered, then everything comes
    back and the events reach the sagas once."""
    http = ctx.driver.http

    async def pending(system: str) -> int:
        response = await http.get(
            f"{ctx.stack.url(system)}/admin/outbox", params={"status": "pending"}
        )
        response.raise_for_status()
        return len(response.json())

    async def kill_with_backlog(system: str) -> None:
        backlog = await pending(system)
        await ctx.stack.kill(system)
        ctx.notes.append(f"{system} killed with {backlog} undelivered events")
        ctx.say(f"{system} SIGKILLed with {backlog} events in its outbox")
        await asyncio.gather(ctx.stack.start("gateway"), ctx.stack.start(system))

    await ctx.stack.kill("gateway")
    orders, receipts = await start_work(ctx)
    await kill_with_backlog("erp")
    await wait_stage(ctx, orders, "in_progress")
    await ctx.stack.kill("gateway")
    await work_through_line_only(ctx, orders)
    await kill_with_backlog("mes")
    await work_through(ctx, orders, receipts)


async def work_through_line_only(ctx: Context, orders: list[Saga]) -> None:
    """The line's work while nobody hears its events (the gateway is down)."""
    await bounded(ctx.sizes.concurrency, [ctx.driver.line_steps(s.key) for s in orders])


async def erp_outage(ctx: Context) -> None:
    """ERP answers 503 to everything for longer than the old retry window."""
    orders, receipts = await start_work(ctx)
    await wait_stage(ctx, orders, "in_progress")
    seconds = ctx.sizes.outage_seconds
    await fault(ctx, "erp", {"kind": "unavailable", "seconds": seconds})
    ctx.say(f"ERP down (503) for {seconds:.0f} s")
    ctx.notes.append(f"ERP unavailable for {seconds:.0f} s")
    await work_through_line_only(ctx, orders)  # every order posts while ERP is down
    await work_through(ctx, orders, receipts)


async def throttle_storm(ctx: Context) -> None:
    """ERP answers 429 with Retry-After: 2 to everything for a while."""
    orders, receipts = await start_work(ctx)
    await wait_stage(ctx, orders, "in_progress")
    seconds = ctx.sizes.storm_seconds
    await fault(ctx, "erp", {"kind": "throttle", "seconds": seconds, "retry_after": 2})
    ctx.say(f"ERP throttling (429, Retry-After 2) for {seconds:.0f} s")
    ctx.notes.append(f"ERP 429 storm for {seconds:.0f} s")
    await work_through_line_only(ctx, orders)  # every order posts during the storm
    await work_through(ctx, orders, receipts)


async def torn_bodies(ctx: Context) -> None:
    """A proxy between the worker and ERP cuts a share of request bodies in half."""
    proxy = ctx.proxy
    assert proxy is not None
    proxy.active = True
    try:
        orders, receipts = await start_work(ctx)
        await work_through(ctx, orders, receipts)
    finally:
        proxy.active = False
    ctx.notes.append(f"{proxy.torn} ERP request bodies cut short, {proxy.passed} passed")


SCENARIOS: dict[str, Callable[[Context], Awaitable[None]]] = {
    "worker-kill": worker_kill,
    "erp-outage": erp_outage,
    "throttle-storm": throttle_storm,
    "torn-bodies": torn_bodies,
    "temporal-restart": temporal_restart,
    "outbox-restart": outbox_restart,
}


async def settle(ctx: Context, started: float) -> Outcome:
    """After the faults: every saga's final state and every ledger's duplicates."""
    loop = asyncio.get_running_loop()
    states = await wait_all_final(ctx, ctx.sizes.patience)
    outcome = Outcome()
    classify(states, outcome)
    outcome.duplicates = await persist(
        lambda: count_duplicates(ctx.driver.http, ctx.stack.urls), "read the ledgers"
    )
    dead = await persist(lambda: dead_events(ctx.driver.http, ctx.stack.urls), "read outboxes")
    if any(dead.values()):
        outcome.notes.append(f"outbox events refused for good by the gateway: {dead}")
    outcome.notes += ctx.notes
    outcome.seconds = loop.time() - started
    return outcome
