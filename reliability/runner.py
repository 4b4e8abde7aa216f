"""Runs scenarios, each on a fresh plant of separate processes (or, for the short version in
the test suite, one after another on one plant), and gathers their outcomes."""

import asyncio
import random
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

from refsystems.common.admin import admin_auth
from reliability.invariants import Outcome
from reliability.processes import ProcessStack
from reliability.scenarios import SCENARIOS, Context, Say, Sizes, settle
from reliability.torn_proxy import TornBodyProxy
from reliability.workload import Driver
from worker import http_client


@dataclass
class Result:
    scenario: str
    outcome: Outcome


async def _plant(
    exits: AsyncExitStack, data_dir: Path, sizes: Sizes, rng: random.Random, say: Say
) -> tuple[ProcessStack, Driver, TornBodyProxy]:
    stack = ProcessStack(data_dir)
    # The worker reaches ERP through the torn-body proxy; it only tears while a scenario
    # switches it on.
    proxy = TornBodyProxy(upstream_port=stack.ports["erp"], rng=rng, tear_share=sizes.tear_share)
    await proxy.start()
    exits.push_async_callback(proxy.stop)
    stack.worker_routes = {"erp": f"http://127.0.0.1:{proxy.port}"}
    exits.push_async_callback(stack.stop_all)
    say(f"starting Temporal, ERP, MES, QMS, LIMS, supplier portal, gateway, worker in {data_dir}")
    await stack.start_all()
    http = await exits.enter_async_context(http_client(auth=admin_auth()))
    driver = Driver(http, stack.urls, stack.issuer)
    await driver.seed()
    return stack, driver, proxy


async def run_scenarios(
    names: Sequence[str],
    sizes: Sizes,
    seed: int,
    data_dir: Path,
    say: Say,
    shared_plant: bool = False,
    sizes_of: dict[str, Sizes] | None = None,
) -> list[Result]:
    """Each scenario on its own plant (``shared_plant``: all on one, order numbers apart);
    ``sizes_of`` gives some scenarios their own sizes."""
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        raise ValueError(f"unknown scenario(s) {unknown}; choose from {sorted(SCENARIOS)}")
    rng = random.Random(seed)
    results: list[Result] = []
    async with AsyncExitStack() as shared:
        plant = await _plant(shared, data_dir / "plant", sizes, rng, say) if shared_plant else None
        for index, name in enumerate(names):
            async with AsyncExitStack() as own:
                stack, driver, proxy = plant or await _plant(own, data_dir / name, sizes, rng, say)
                loop = asyncio.get_running_loop()
                started = loop.time()
                say(f"[{name}] running")
                ctx = Context(
                    stack=stack,
                    driver=driver,
                    sizes=(sizes_of or {}).get(name, sizes),
                    rng=rng,
                    say=prefixed(say, name),
                    prefix=f"7{index}",
                    proxy=proxy,
                )
                await SCENARIOS[name](ctx)
                outcome = await settle(ctx, started)
                results.append(Result(name, outcome))
                say(
                    f"[{name}] done: {outcome.completed}/{outcome.started} completed, "
                    f"{outcome.parked_transient} parked for transient reasons, "
                    f"duplicates {sum(outcome.duplicates.values())}"
                )
    return results


def prefixed(say: Say, name: str) -> Say:
    return lambda message: say(f"[{name}] {message}")
