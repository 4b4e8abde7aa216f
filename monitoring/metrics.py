"""Prometheus metrics: the plants' business figures, read at scrape time, and the Temporal
SDK's own worker metrics (a Runtime with a Prometheus endpoint).

Business figures come from Temporal's visibility store and the alert ledger, so every
gateway answers the same and nothing is lost when a process restarts. The saga counters are
counts in visibility: they only grow, except when the namespace's retention removes closed
sagas (a drop Prometheus' ``rate()`` treats as a counter reset).
"""

import asyncio
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from monitoring.backlog import SAGA_TYPES, PlantBacklog, backlog
from monitoring.visibility import Visibility
from workflows.alerts_messages import AlertsView

# How a saga run ended, as Temporal's ExecutionStatus names it.
COMPLETED = "Completed"
FAILED = ("Failed", "Terminated", "TimedOut")
SAGA_NAMES = {
    "ProductionOrderWorkflow": "production_order",
    "SupplierReceiptInspectionWorkflow": "receipt",
    "FinishedGoodsReleaseWorkflow": "release",
}


def sdk_runtime(bind_address: str) -> Runtime:
    """A Temporal runtime whose worker and client metrics Prometheus scrapes at
    ``http://<bind_address>/metrics``."""
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=bind_address)))


async def saga_runs(client: Client, plants: Iterable[str]) -> dict[tuple[str, str, str], int]:
    """(saga type, plant, ExecutionStatus) -> sagas in visibility, one grouped count per type
    and plant."""
    vis = Visibility(client)
    keys = [(kind, plant) for kind in SAGA_TYPES for plant in plants]

    counts = await asyncio.gather(
        *(
            vis.count_by_status(f"WorkflowType = '{kind}' AND Plant = '{plant}'")
            for kind, plant in keys
        )
    )
    return {
        (kind, plant, status): n
        for (kind, plant), by_status in zip(keys, counts, strict=True)
        for status, n in by_status.items()
    }


def _gauge(name: str, doc: str, labels: list[str]) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"plantflow_{name}", doc, labels=labels)


def business_families(
    backlogs: list[PlantBacklog],
    runs: dict[tuple[str, str, str], int],
    alerts: AlertsView,
    now: datetime,
) -> list[Metric]:
    plant_figures = {
        "orders_not_dispatched": "Orders released in ERP that MES has not acknowledged",
        "holds_open": "Lots on quality hold",
        "dispositions_overdue": "Holds whose disposition is past the plant's deadline",
        "receipts_awaiting_inspection": "Supplier lots awaiting their inspection decision",
        "releases_pending_checkpoints": "Finished lots waiting for release checkpoints",
    }
    attribute = {
        "orders_not_dispatched": "orders_not_dispatched",
        "holds_open": "lots_on_hold",
        "dispositions_overdue": "dispositions_overdue",
        "receipts_awaiting_inspection": "receipts_awaiting_inspection",
        "releases_pending_checkpoints": "releases_pending_checkpoints",
    }
    families: list[Metric] = []
    for name, doc in plant_figures.items():
        count = _gauge(name, doc, ["plant"])
        age = _gauge(f"{name}_oldest_age_seconds", f"Age of the oldest: {doc.lower()}", ["plant"])
        for b in backlogs:
            figure = getattr(b, attribute[name])
            count.add_metric([b.plant], figure.count)
            if figure.oldest_since is not None:
                age.add_metric([b.plant], (now - figure.oldest_since).total_seconds())
        families += [count, age]
    parked = _gauge("parked_sagas", "Sagas with a step parked for an operator", ["plant", "system"])
    parked_age = _gauge(
        "parked_oldest_age_seconds", "Age of the oldest parked step", ["plant", "system"]
    )
    waiting = _gauge(
        "waiting_sagas", "Sagas waiting out a system's outage (backlog)", ["plant", "system"]
    )
    waiting_age = _gauge(
        "waiting_oldest_age_seconds", "Age of the oldest wait on a system", ["plant", "system"]
    )
    for b in backlogs:
        for system, figure in b.parked_by_system.items():
            parked.add_metric([b.plant, system], figure.count)
            if figure.oldest_since is not None:
                parked_age.add_metric(
                    [b.plant, system], (now - figure.oldest_since).total_seconds()
                )
        for system, figure in b.waiting_on.items():
            waiting.add_metric([b.plant, system], figure.count)
            if figure.oldest_since is not None:
                waiting_age.add_metric(
                    [b.plant, system], (now - figure.oldest_since).total_seconds()
                )
    families += [parked, parked_age, waiting, waiting_age]

    open_alerts = _gauge("sla_alerts_open", "Open SLA alerts", ["plant", "rule"])
    by_rule: dict[tuple[str, str], int] = {}
    for alert in alerts.open:
        by_rule[(alert.plant, alert.rule.value)] = (
            by_rule.get((alert.plant, alert.rule.value), 0) + 1
        )
    for (plant, rule), n in sorted(by_rule.items()):
        open_alerts.add_metric([plant, rule], n)
    breaches = CounterMetricFamily(
        "plantflow_sla_breaches", "SLA alerts fired (and saga notices)", labels=["plant", "rule"]
    )
    for key, n in sorted(alerts.fired_by.items()):
        plant, _, rule = key.partition(":")
        breaches.add_metric([plant, rule], n)
    families += [open_alerts, breaches]

    starts = CounterMetricFamily("plantflow_saga_starts", "Sagas started", labels=["type", "plant"])
    completions = CounterMetricFamily(
        "plantflow_saga_completions", "Sagas completed", labels=["type", "plant"]
    )
    failures = CounterMetricFamily(
        "plantflow_saga_failures",
        "Saga runs failed, terminated or timed out",
        labels=["type", "plant"],
    )
    totals: dict[tuple[str, str], list[int]] = {}
    for (kind, plant, status), n in runs.items():
        row = totals.setdefault((SAGA_NAMES.get(kind, kind), plant), [0, 0, 0])
        row[0] += n
        row[1] += n if status == COMPLETED else 0
        row[2] += n if status in FAILED else 0
    for (kind, plant), (started, completed, failed) in sorted(totals.items()):
        starts.add_metric([kind, plant], started)
        completions.add_metric([kind, plant], completed)
        failures.add_metric([kind, plant], failed)
    families += [starts, completions, failures]
    return families


class _Snapshot(Collector):
    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        yield from self.families


async def scrape(client: Client, plants: list[str], alerts: AlertsView) -> bytes:
    """The exposition text of every plant's business metrics, measured now."""
    now = datetime.now(UTC)
    backlogs, runs = await asyncio.gather(backlog(client, plants, now), saga_runs(client, plants))
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(business_families(backlogs, runs, alerts, now)))
    return generate_latest(registry)
