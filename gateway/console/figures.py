"""The overview's backlog figures, kept for a few seconds and shared by everyone looking.

A backlog is a few dozen visibility calls per plant; with many sagas that is most of an
overview's time. People refresh the overview and several look at the same plants, while the
figures change slowly (the SLA check reads them on a schedule too). So each set of plants'
backlog is computed once per ``ttl`` and concurrent requests wait for the same computation.
``fresh`` (the overview's Refresh) computes it anew.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

from monitoring.backlog import PlantBacklog

Compute = Callable[[list[str]], Awaitable[list[PlantBacklog]]]


class BacklogCache:
    def __init__(self, compute: Compute, ttl_seconds: float) -> None:
        self.compute = compute
        self.ttl = ttl_seconds
        self._entries: dict[tuple[str, ...], tuple[float, asyncio.Task[list[PlantBacklog]]]] = {}

    async def get(self, plants: Sequence[str], fresh: bool = False) -> list[PlantBacklog]:
        key = tuple(sorted(plants))
        now = time.monotonic()
        entry = self._entries.get(key)
        if fresh or entry is None or now - entry[0] >= self.ttl or self._failed(entry[1]):
            task = asyncio.ensure_future(self.compute(list(key)))
            self._entries[key] = entry = (now, task)
        # shield: one person closing the page does not cancel everyone's computation
        return await asyncio.shield(entry[1])

    @staticmethod
    def _failed(task: "asyncio.Task[list[PlantBacklog]]") -> bool:
        return task.done() and (task.cancelled() or task.exception() is not None)
