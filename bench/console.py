"""The console's pages with many sagas in Temporal: the overview and filtered lists, each
rendered over HTTP as a signed-in person sees it, beside the bare visibility calls behind it.

The sagas are started as executions of the real saga types on a task queue no worker polls,
with the search attributes running sagas carry (plant, item, lot, stage, quality, holds,
parked steps, outage waits and the times they began): the visibility store holds what it
would hold with that many sagas in flight, and seeding takes a minute, not hours.
"""

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import httpx
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from bench.harness import Bench, Row, percentile, report
from gateway.console.lists import KINDS, Filters, query
from monitoring.backlog import backlog
from workflows import search_attributes as sa

IDLE_QUEUE = "bench-console-idle"  # nothing polls it: the sagas stay running, as started
PLANTS = ("P100", "P200")
_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def attributes(serial: int, now: datetime) -> TypedSearchAttributes:
    """Plant, item and lot for every saga; every 10th on hold (every 30th of those overdue),
    every 20th parked on ERP, every 25th waiting on MES; the rest in progress."""
    since = now - timedelta(minutes=serial % 5000)
    pairs: list[SearchAttributePair[Any]] = [
        SearchAttributePair(sa.PLANT, PLANTS[serial % 2]),
        SearchAttributePair(sa.ITEM, f"FG-{1000 + serial % 7}"),
        SearchAttributePair(sa.LOT, f"B{serial:07d}"),
        SearchAttributePair(sa.WORK_ORDER, f"7{serial:06d}"),
    ]
    stage, quality = "in_progress", "in_tolerance"
    if serial % 10 == 0:
        stage, quality = "awaiting_disposition", "on_hold"
        pairs.append(SearchAttributePair(sa.HOLD_SINCE, since))
        pairs.append(SearchAttributePair(sa.ESCALATED, serial % 300 == 0))
    if serial % 20 == 5:
        stage = "needs_attention"
        pairs += [
            SearchAttributePair(sa.NEEDS_ATTENTION, True),
            SearchAttributePair(sa.PARKED_SYSTEM, ["erp"]),
            SearchAttributePair(sa.PARKED_ERROR, ["SystemUnavailable"]),
            SearchAttributePair(sa.PARKED_SINCE, since),
        ]
    if serial % 25 == 7:
        pairs += [
            SearchAttributePair(sa.WAITING_ON, "MES"),
            SearchAttributePair(sa.WAITING_SINCE, since),
        ]
    pairs += [
        SearchAttributePair(sa.SAGA_STAGE, stage),
        SearchAttributePair(sa.QUALITY_STATUS, quality),
    ]
    return TypedSearchAttributes(pairs)


async def seed(client: Client, count: int, concurrency: int = 32) -> float:
    """Start ``count`` sagas; returns the seconds it took."""
    now = datetime.now(UTC)
    gate = asyncio.Semaphore(concurrency)
    run = uuid.uuid4().hex[:6]

    async def start(serial: int) -> None:
        async with gate:
            await client.start_workflow(
                "ProductionOrderWorkflow",
                {},
                id=f"production-order-{PLANTS[serial % 2]}-7{serial:06d}-{run}",
                task_queue=IDLE_QUEUE,
                search_attributes=attributes(serial, now),
            )

    began = time.perf_counter()
    await asyncio.gather(*(start(serial) for serial in range(count)))
    return time.perf_counter() - began


async def signed_in(bench: Bench, user: str = "qa.lee") -> httpx.AsyncClient:
    """A browser-like client signed in to the console through the provider's form."""
    stack = bench.stack
    http = httpx.AsyncClient(timeout=60, follow_redirects=True)
    page = await http.get(f"{stack.url('gateway')}/console/login")
    form = _FORM_ACTION.search(page.text)
    if form is None:
        raise RuntimeError(f"no sign-in form at {page.url}: {page.status_code}")
    done = await http.post(
        urljoin(str(page.url), form.group(1)),
        data={"username": user, "password": stack.idp.password(user)},
    )
    if "plantflow_console" not in http.cookies or done.status_code != 200:
        raise RuntimeError(f"console sign-in failed: {done.status_code} at {done.url}")
    return http


async def timed(repeat: int, call: Callable[[], Awaitable[Any]]) -> list[float]:
    """Milliseconds of each of ``repeat`` calls, after one warm-up call."""
    await call()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


async def run(bench: Bench, sagas: int, repeat: int) -> None:
    seconds = await seed(bench.client, sagas)
    http = await signed_in(bench)
    console = f"{bench.stack.url('gateway')}/console"
    now = datetime.now(UTC)

    async def page(path: str) -> None:
        response = await http.get(console + path)
        response.raise_for_status()

    async def listing(kind: str, filters: Filters) -> None:
        visibility = query(KINDS[kind], filters, ["P100"], now)
        await (bench.client.list_workflows(visibility, page_size=50)).fetch_next_page()

    async def sorted_listing(kind: str, filters: Filters) -> None:
        visibility = query(KINDS[kind], filters, ["P100"], now)
        [wf async for wf in bench.client.list_workflows(visibility, limit=2000)]

    measures: list[tuple[str, str, Callable[[], Awaitable[Any]]]] = [
        ("overview, plant P100", "/?plant=P100&fresh=1", lambda: backlog(bench.client, ["P100"])),
        ("overview, all plants", "/?fresh=1", lambda: backlog(bench.client, list(PLANTS))),
        (
            "overview, P100, shared figures",  # within the figures' few seconds (no fresh=1)
            "/?plant=P100",
            lambda: backlog(bench.client, ["P100"]),
        ),
        (
            "list on hold, P100, item FG-1003",
            "/lists/on-hold?plant=P100&item=FG-1003",
            lambda: listing("on-hold", Filters(plant="P100", item="FG-1003")),
        ),
        (
            "list parked on erp, P100, oldest first",
            "/lists/parked?plant=P100&system=erp&sort=oldest",
            lambda: sorted_listing("parked", Filters(plant="P100", system="erp")),
        ),
    ]
    rows: list[Row] = []
    for label, path, bare in measures:
        page_ms = await timed(repeat, lambda path=path: page(path))  # type: ignore[misc]
        bare_ms = await timed(repeat, bare)
        rows.append(Row(f"{label} p50", percentile(page_ms, 50), percentile(bare_ms, 50), "ms"))
        rows.append(Row(f"{label} p95", percentile(page_ms, 95), percentile(bare_ms, 95), "ms"))
    await http.aclose()
    report(
        f"console pages with {sagas} running sagas ({repeat} renders each)",
        rows,
        notes=[
            f"seeded {sagas} sagas in {seconds:.1f} s on the dev server (SQLite file)",
            "console page: HTTP GET with the session cookie (token check, visibility calls, "
            "template); bare visibility: the backlog or list call behind it, in process",
            "overview with fresh=1 computes the backlog anew (its Refresh); without it, the "
            "figures of the last PLANTFLOW_CONSOLE_OVERVIEW_CACHE_SECONDS (10 s) are shared",
        ],
        columns=("console page", "bare visibility"),
    )
