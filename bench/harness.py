"""What every figure shares: the embedded stack with a bare-SDK worker beside it on the same
Temporal dev server, CPU readings, percentiles and the printed comparison.

Every figure runs plantflow and the bare baseline alternately in one run on one server, so
their ratio holds even when the machine is busy; the load average is printed with them.
"""

import os
import resource
import sqlite3
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI
from temporalio.client import Client
from temporalio.worker import Worker

from bench.bare_activities import BareActivities
from bench.bare_workflows import BareHold, BareSaga, BareTrigger
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario
from stack.services import RunningService, bind_socket, start_service

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Receiver:
    """Three stand-in systems for the bare hold: each POST is timed on arrival."""

    url: str
    arrivals: dict[str, list[datetime]] = field(default_factory=dict)


@dataclass
class Bench:
    stack: Stack
    scenario: PlantScenario
    bare_queue: str
    receiver: Receiver

    @property
    def client(self) -> Client:
        return self.stack.client

    @property
    def urls(self) -> dict[str, str]:
        return {name: self.stack.url(name) for name in self.stack.services}


def receiver_app(receiver: Receiver) -> FastAPI:
    app = FastAPI()

    @app.post("/{system}/{workflow_id}")
    async def arrive(system: str, workflow_id: str) -> dict[str, bool]:
        receiver.arrivals.setdefault(workflow_id, []).append(datetime.now(UTC))
        return {"ok": True}

    return app


@asynccontextmanager
async def bench_stack(data_dir: Path) -> AsyncIterator[Bench]:
    """The embedded stack (dev server with a SQLite file) plus the bare worker and receiver."""
    options = StackOptions(
        data_dir=data_dir, temporal=TemporalMode.DEV_SERVER, task_queue=f"bench-{uuid.uuid4()}"
    )
    async with embedded_stack(options) as stack, httpx.AsyncClient(timeout=30) as http:
        receiver = Receiver(url="")
        service: RunningService = await start_service(
            "bare-receiver", receiver_app(receiver), bind_socket()
        )
        receiver.url = service.url
        bare_queue = f"bare-{uuid.uuid4()}"
        bare = BareActivities(http)
        worker = Worker(
            stack.client,
            task_queue=bare_queue,
            workflows=[BareSaga, BareHold, BareTrigger],
            activities=[bare.step, bare.post],
        )
        try:
            async with worker:
                urls = {n: stack.url(n) for n in stack.services}
                scenario = PlantScenario(stack.http, urls, people=stack.idp)
                await scenario.seed()
                plenty_of_stock(data_dir / "erp.db")
                yield Bench(stack, scenario, bare_queue, receiver)
        finally:
            await service.stop()


def plenty_of_stock(erp_db: Path) -> None:
    """The demo's component batches hold stock for about ten orders; a benchmark runs
    thousands. Multiply the unrestricted stock in ERP's database (bench set-up only)."""
    with sqlite3.connect(erp_db) as con:
        con.execute(
            "UPDATE stock SET MatlWrhsStkQtyInMatlBaseUnit = MatlWrhsStkQtyInMatlBaseUnit * 10000"
            " WHERE InventoryStockType = '01'"
        )
    con.close()


def process_cpu() -> float:
    """CPU seconds of this process (all threads: the SDK's core runs in its own)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_cpu() -> float:
    """CPU seconds of this process's running children: the Temporal dev server."""
    total = 0.0
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


@dataclass
class CpuWindow:
    """CPU spent by this process and by the server between start() and stop()."""

    process: float = 0.0
    server: float = 0.0
    wall: float = 0.0

    def __enter__(self) -> "CpuWindow":
        self._p, self._s, self._w = process_cpu(), children_cpu(), time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.process = process_cpu() - self._p
        self.server = children_cpu() - self._s
        self.wall = time.perf_counter() - self._w


def percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


@dataclass
class Row:
    measure: str
    plantflow: float
    bare: float
    unit: str = ""

    @property
    def ratio(self) -> float:
        return self.plantflow / self.bare if self.bare else float("nan")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def report(
    title: str,
    rows: list[Row],
    notes: Sequence[str] = (),
    columns: tuple[str, str] = ("plantflow", "bare SDK"),
) -> None:
    """Both columns and their ratio (first / second), with the load average."""
    print(f"\n== {title} ==  (load average {load()}, {os.cpu_count()} CPUs)")
    print(f"{'measure':44} {columns[0]:>14} {columns[1]:>14} {'ratio':>8}")
    for row in rows:
        label = f"{row.measure} [{row.unit}]" if row.unit else row.measure
        print(f"{label:44} {row.plantflow:14.3f} {row.bare:14.3f} {row.ratio:8.2f}")
    for note in notes:
        print(f"  note: {note}")
