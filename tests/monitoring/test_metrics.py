"""Prometheus metrics, scraped as Prometheus does: the gateway's business figures over real
sagas on the dev server (behind the scrape token), and the Temporal SDK's worker metrics."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from temporalio.client import Client
from temporalio.worker import Worker

from activities.alerts import AlertActivities
from monitoring.alert_rules import AlertsConfig, PlantRules
from monitoring.metrics import sdk_runtime
from runtime.codec import data_converter
from stack.demo import walk_order
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario
from stack.waiting import poll_until
from tests.e2e.conftest import urls
from tests.monitoring.receivers import free_port
from tests.monitoring.test_dashboard import dashboard_metric_names
from tests.sagas.conftest import FAST_STEPS
from tests.sagas.flows import on_hold
from workflows.alerts import AlertLedgerWorkflow, SlaCheckWorkflow
from workflows.alerts_messages import SlaCheckInput

TOKEN = "scrape-" + uuid.uuid4().hex


@pytest.fixture
async def scraped_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Stack]:
    monkeypatch.setenv("PLANTFLOW_METRICS_TOKEN", TOKEN)
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.DEV_SERVER,
        task_queue=f"metrics-{uuid.uuid4()}",
        step_policy=FAST_STEPS,
    )
    async with embedded_stack(options) as running:
        yield running


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


async def test_gateway_metrics_count_holds_backlog_and_saga_runs(scraped_stack: Stack) -> None:
    stack = scraped_stack
    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    await walk_order(plant, "3600002", "B3600002", lambda _: None)
    await on_hold(plant, "3600001", "B3600001")
    metrics_url = f"{stack.url('gateway')}/metrics"

    refused = await stack.http.get(metrics_url)
    assert refused.status_code == 401
    for offered in ("Bearer nope", "Bearer n\u00f6pe"):
        wrong = await stack.http.get(metrics_url, headers=[(b"Authorization", offered.encode())])
        assert wrong.status_code == 401

    async def scrape() -> dict:
        response = await stack.http.get(metrics_url, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
        return samples(response.text)

    found = await poll_until(
        scrape,
        lambda f: (
            value(f, "plantflow_holds_open", plant="P100") == 1
            and value(f, "plantflow_saga_completions_total", type="production_order", plant="P100")
            == 1
        ),
        "the hold and the completed order in visibility",
    )
    assert value(found, "plantflow_holds_open", plant="P200") == 0
    assert (value(found, "plantflow_holds_open_oldest_age_seconds", plant="P100") or 0) > 0
    assert value(found, "plantflow_saga_starts_total", type="production_order", plant="P100") == 2
    assert value(found, "plantflow_saga_failures_total", type="production_order", plant="P100") == 0
    assert value(found, "plantflow_saga_starts_total", type="release", plant="P100") == 1
    assert value(found, "plantflow_releases_pending_checkpoints", plant="P100") == 1
    assert value(found, "plantflow_orders_not_dispatched", plant="P100") == 0
    assert value(found, "plantflow_dispositions_overdue", plant="P100") == 0
    # Both sagas' hold notices went through the alert ledger.
    assert value(found, "plantflow_sla_breaches_total", plant="P100", rule="saga_notice") == 2


async def test_worker_exports_the_temporal_sdk_metrics(scraped_stack: Stack) -> None:
    stack = scraped_stack
    port = free_port()
    target = stack.client.service_client.config.target_host
    client = await Client.connect(
        target, data_converter=data_converter(), runtime=sdk_runtime(f"127.0.0.1:{port}")
    )
    queue = f"sdk-metrics-{uuid.uuid4()}"
    alerts = AlertsConfig(plants={"P100": PlantRules(hold_older_than=timedelta(hours=1))})
    async with httpx.AsyncClient() as http:
        activities = AlertActivities(client, alerts, http, queue)
        async with Worker(
            client,
            task_queue=queue,
            workflows=[SlaCheckWorkflow, AlertLedgerWorkflow],
            activities=[activities.evaluate, activities.report, activities.deliver],
        ):
            findings = await client.execute_workflow(
                SlaCheckWorkflow.run, SlaCheckInput(), id=f"check-{uuid.uuid4()}", task_queue=queue
            )
            assert findings.plants == ["P100"] and findings.findings == []
            text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    found = samples(text)
    names = {name for name, _ in found}
    assert {
        "temporal_workflow_completed_total",
        "temporal_activity_execution_latency_count",
    } <= names
    completed = [
        v
        for (name, labels), v in found.items()
        if name == "temporal_workflow_completed_total"
        and ("workflow_type", "SlaCheckWorkflow") in labels
        and ("task_queue", queue) in labels
    ]
    assert completed == [1.0]
    # The dashboard's worker panels query these (failure counters appear after a failure).
    on_board = {n for n in dashboard_metric_names() if n.startswith("temporal_")}
    missing = {n for n in on_board - names if not n.endswith("_failed_total")}
    assert not missing, missing
