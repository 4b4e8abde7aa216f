"""Counting and ageing sagas with Temporal's visibility store.

SQL visibility (the dev server's SQLite, PostgreSQL) counts fast with an index, but it has no
ORDER BY and groups only by ``ExecutionStatus``. So a count is one ``count_workflows`` call
and the oldest entry is found by narrowing the time window with counts until few enough
remain to list: a handful of cheap calls even with 10,000 matching sagas.
"""

import asyncio
from datetime import UTC, datetime, timedelta

from pydantic import AwareDatetime, BaseModel
from temporalio.client import Client

# Few enough matches to list them in one page and read the oldest directly (a listed row
# costs about as much as a count query per 40 rows, measured with 10,000 sagas).
SCAN_LIMIT = 50
# The window's first step back from now, growing fourfold until at most SCAN_LIMIT remain:
# 2 minutes to a year in 10 counts.
FIRST_STEP = timedelta(minutes=2)
GROWTH = 4
MAX_NARROWING = 40


class Figure(BaseModel):
    """A count and its oldest entry (None when empty, or when no entry carries the time)."""

    count: int = 0
    oldest_since: AwareDatetime | None = None
    oldest_age_seconds: float | None = None


def when(moment: datetime) -> str:
    """A visibility query's datetime literal (RFC 3339, UTC)."""
    return "'" + moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") + "'"


def both(*clauses: str) -> str:
    return " AND ".join(f"({c})" if " OR " in c else c for c in clauses if c)


class Visibility:
    """Counts and oldest entries over one client, with a bound on concurrent calls so a
    backlog of many figures does not flood the frontend."""

    def __init__(self, client: Client, concurrency: int = 12) -> None:
        self.client = client
        self._gate = asyncio.Semaphore(concurrency)

    async def count(self, query: str) -> int:
        async with self._gate:
            return (await self.client.count_workflows(query)).count

    async def count_by_status(self, query: str) -> dict[str, int]:
        """``query`` counted per ExecutionStatus (the one GROUP BY SQL visibility has)."""
        async with self._gate:
            answer = await self.client.count_workflows(f"{query} GROUP BY ExecutionStatus")
        return {str(g.group_values[0]): g.count for g in answer.groups if g.group_values}

    async def _earliest_listed(self, query: str, field: str) -> datetime | None:
        earliest: datetime | None = None
        async with self._gate:
            async for wf in self.client.list_workflows(query, page_size=SCAN_LIMIT + 1):
                value = _field_of(wf, field)
                if value is not None and (earliest is None or value < earliest):
                    earliest = value
        return earliest

    async def oldest(self, query: str, field: str, now: datetime, count: int) -> datetime | None:
        """The earliest ``field`` among the ``count`` sagas matching ``query``."""
        if count == 0:
            return None
        if count <= SCAN_LIMIT:
            return await self._earliest_listed(query, field)
        # Step back in time (the step growing fourfold) until few enough are older than the
        # window's edge; if none are, bisect between that edge and the previous one.
        newer, step = now, FIRST_STEP
        for _ in range(MAX_NARROWING):
            older = now - step
            remaining = await self.count(both(query, f"{field} < {when(older)}"))
            if 0 < remaining <= SCAN_LIMIT:
                return await self._earliest_listed(both(query, f"{field} < {when(older)}"), field)
            if remaining == 0:
                return await self._bisect(query, field, older, newer)
            newer, step = older, step * GROWTH
        return None

    async def _bisect(self, query: str, field: str, lo: datetime, hi: datetime) -> datetime:
        """None are older than ``lo``, too many older than ``hi``."""
        for _ in range(MAX_NARROWING):
            mid = lo + (hi - lo) / 2
            remaining = await self.count(both(query, f"{field} < {when(mid)}"))
            if 0 < remaining <= SCAN_LIMIT:
                return (
                    await self._earliest_listed(both(query, f"{field} < {when(mid)}"), field) or mid
                )
            lo, hi = (mid, hi) if remaining == 0 else (lo, mid)
        return lo

    async def figure(
        self, query: str, field: str, now: datetime, hint: datetime | None = None
    ) -> Figure:
        """The count and oldest entry of ``query``. ``hint``: the oldest of a wider query
        (all holds for the overdue ones); when one of these has it, it is theirs too."""
        count = await self.count(query)
        since = None
        if count and hint is not None and await self.count(both(query, f"{field} <= {when(hint)}")):
            since = hint
        if since is None:
            since = await self.oldest(query, field, now, count)
        age = (now - since).total_seconds() if since is not None else None
        return Figure(count=count, oldest_since=since, oldest_age_seconds=age)


def _field_of(wf: object, field: str) -> datetime | None:
    """A listed saga's datetime: the built-in start and close times, or a search attribute."""
    if field == "StartTime":
        return getattr(wf, "start_time", None)
    if field == "CloseTime":
        return getattr(wf, "close_time", None)
    for pair in getattr(wf, "typed_search_attributes", []):
        if pair.key.name == field:
            value = pair.value
            return value if isinstance(value, datetime) else None
    return None
