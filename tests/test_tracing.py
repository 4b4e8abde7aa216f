"""One trace follows a trigger: ERP's release webhook at the gateway, the saga's start and
activities, and the HTTP calls they make to ERP, QMS and MES, all under one trace id and
findable by the release event's id (the saga's correlation id)."""

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from refsystems.erp.rules.orders import RELEASED_EVENT
from runtime.telemetry import CORRELATION_ATTRIBUTE, setup_tracing
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario

ORDER, LOT = "4000001", "B4000001"
SYSTEM_ACTIVITIES = {
    "erp": "RunActivity:erp.get_production_order",
    "qms": "RunActivity:qms.create_inspection_lot",
    "mes": "RunActivity:mes.dispatch_job",
}


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Every finished span of this test, kept in memory. The provider is the process's own
    (installed once): it must be in place before the stack starts."""
    provider = setup_tracing("plantflow-tests")
    assert trace.get_tracer_provider() is provider, "another tracer provider was installed"
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()  # later tests' spans are dropped, not kept


@pytest.fixture
async def stack(spans: InMemorySpanExporter, tmp_path: Path) -> AsyncIterator[Stack]:
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.TIME_SKIPPING,
        task_queue=f"tracing-{uuid.uuid4()}",
    )
    async with embedded_stack(options) as running:
        yield running


def client_url(span: ReadableSpan) -> str:
    """The URL of an httpx client span, under the old or the new semantic conventions."""
    attributes = span.attributes or {}
    return str(attributes.get("url.full") or attributes.get("http.url") or "")


async def release_event_id(plant: PlantScenario) -> str:
    response = await plant.http.get(f"{plant.urls['erp']}/admin/outbox")
    response.raise_for_status()
    released: list[dict[str, Any]] = [
        row["payload"]
        for row in response.json()
        if row["event_type"] == RELEASED_EVENT
        and row["payload"]["data"]["ManufacturingOrder"] == ORDER
    ]
    assert len(released) == 1, released
    return str(released[0]["id"])


async def test_a_release_is_one_trace_from_webhook_to_every_system(
    stack: Stack, spans: InMemorySpanExporter
) -> None:
    plant = PlantScenario(
        stack.http,
        {name: stack.url(name) for name in ("gateway", "erp", "mes", "qms")},
        people=stack.idp,
    )
    await plant.seed()
    await plant.new_order(ORDER, LOT)
    await plant.release(ORDER)
    state = await plant.wait_for_stage(ORDER, "in_progress", timeout=30)
    event_id = await release_event_id(plant)
    assert state["correlation_id"] == event_id

    finished = spans.get_finished_spans()
    # The correlation id finds the gateway's spans of this order (MES's acknowledgement is a
    # webhook of its own, so a trace of its own, carrying the same id).
    gateway = {
        s.name: s
        for s in finished
        if s.instrumentation_scope is not None
        and s.instrumentation_scope.name == "plantflow.gateway"
        and (s.attributes or {}).get(CORRELATION_ATTRIBUTE) == event_id
    }
    assert "erp production order released" in gateway, sorted(gateway)
    trace_id = gateway["erp production order released"].context.trace_id
    in_trace = [s for s in finished if s.context.trace_id == trace_id]
    names = {s.name for s in in_trace}

    assert "StartUpdateWithStartWorkflow:ProductionOrderWorkflow" in names
    assert "RunWorkflow:ProductionOrderWorkflow" in names
    assert set(SYSTEM_ACTIVITIES.values()) <= names
    for system in SYSTEM_ACTIVITIES:
        calls = [
            s
            for s in in_trace
            if s.kind is SpanKind.CLIENT and client_url(s).startswith(stack.url(system))
        ]
        assert calls, f"no HTTP call to {system} in the trigger's trace"

    carrying = {s.name for s in in_trace if (s.attributes or {}).get(CORRELATION_ATTRIBUTE)}
    assert set(SYSTEM_ACTIVITIES.values()) <= carrying
    assert {
        (s.attributes or {})[CORRELATION_ATTRIBUTE]
        for s in in_trace
        if CORRELATION_ATTRIBUTE in (s.attributes or {})
    } == {event_id}
