"""The overview's shared backlog figures: one computation for concurrent viewers of the same
plants, a new one after the time to live, on Refresh, and after a failure."""

import asyncio
from datetime import UTC, datetime

import pytest

from gateway.console.figures import BacklogCache
from monitoring.backlog import Failures, PlantBacklog
from monitoring.visibility import Figure


class Backlogs:
    """Counts its computations; each waits for ``release`` so requests overlap."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.release = asyncio.Event()
        self.fail_next = False

    async def __call__(self, plants: list[str]) -> list[PlantBacklog]:
        self.calls.append(plants)
        await self.release.wait()
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("visibility unavailable")
        empty = Figure()
        return [
            PlantBacklog(
                plant=plant,
                as_of=datetime.now(UTC),
                orders_not_dispatched=empty,
                lots_on_hold=Figure(count=len(self.calls)),
                dispositions_overdue=empty,
                steps_parked=empty,
                receipts_awaiting_inspection=empty,
                releases_pending_checkpoints=empty,
                failures_24h=Failures(),
            )
            for plant in plants
        ]


async def test_concurrent_viewers_share_one_computation() -> None:
    compute = Backlogs()
    cache = BacklogCache(compute, ttl_seconds=60)
    first = asyncio.ensure_future(cache.get(["P200", "P100"]))
    second = asyncio.ensure_future(cache.get(["P100", "P200"]))
    await asyncio.sleep(0)  # both requests are waiting on the computation
    compute.release.set()
    assert await first == await second
    assert compute.calls == [["P100", "P200"]]
    await cache.get(["P100"])  # another set of plants is its own figure
    assert len(compute.calls) == 2


async def test_refresh_and_expiry_compute_again() -> None:
    compute = Backlogs()
    compute.release.set()
    cache = BacklogCache(compute, ttl_seconds=60)
    await cache.get(["P100"])
    assert (await cache.get(["P100"], fresh=True))[0].lots_on_hold.count == 2
    expired = BacklogCache(compute, ttl_seconds=0)
    await expired.get(["P100"])
    await expired.get(["P100"])
    assert len(compute.calls) == 4


async def test_a_failed_computation_is_not_kept() -> None:
    compute = Backlogs()
    compute.release.set()
    compute.fail_next = True
    cache = BacklogCache(compute, ttl_seconds=60)
    with pytest.raises(RuntimeError, match="visibility unavailable"):
        await cache.get(["P100"])
    assert (await cache.get(["P100"]))[0].plant == "P100"
    assert len(compute.calls) == 2
