"""A saga run is one trace a person can open: written as OTLP/JSON lines (what the demo's
--trace writes), the saga's trace holds the trigger, the workflow, its activities and their
HTTP calls, also those that MES events caused later; each MES webhook is a trace of its own,
linked from the saga's signal span."""

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from runtime.telemetry import setup_tracing
from runtime.trace_file import JsonLinesSpanExporter, read_spans, trees
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario

ORDER, LOT = "4100001", "B4100001"
WORKFLOW_ID = f"production-order-P100-{ORDER}"


@pytest.fixture
def trace_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "traces.jsonl"
    exporter = JsonLinesSpanExporter(path)
    setup_tracing("plantflow-tests").add_span_processor(SimpleSpanProcessor(exporter))
    yield path
    exporter.shutdown()


@pytest.fixture
async def stack(trace_path: Path, tmp_path: Path) -> AsyncIterator[Stack]:
    options = StackOptions(
        data_dir=tmp_path, temporal=TemporalMode.TIME_SKIPPING, task_queue=f"trace-{uuid.uuid4()}"
    )
    async with embedded_stack(options) as running:
        yield running


def attribute(span: dict[str, Any], key: str) -> Any:
    for item in span.get("attributes", []):
        if item["key"] == key:
            return next(iter(item["value"].values()))
    return None


def url(span: dict[str, Any]) -> str:
    """An httpx client span's URL, under the new or the old semantic conventions."""
    return str(attribute(span, "url.full") or attribute(span, "http.url") or "")


async def test_a_saga_run_is_one_trace_in_the_file_with_events_linked(
    stack: Stack, trace_path: Path
) -> None:
    plant = PlantScenario(
        stack.http, {name: stack.url(name) for name in stack.services}, people=stack.idp
    )
    await plant.seed()
    await plant.new_order(ORDER, LOT)
    await plant.release(ORDER)
    await plant.wait_for_stage(ORDER, "in_progress", timeout=30)
    await plant.start_and_mix(ORDER)
    await plant.wait_for_saga(
        ORDER, lambda s: len(s.get("postings", [])) >= 3, "goods issues and confirmation"
    )

    lines = trace_path.read_text().splitlines()
    assert lines and all(json.loads(line)["resourceSpans"] for line in lines)
    spans = list(read_spans(trace_path))
    assert all(len(s["traceId"]) == 32 and len(s["spanId"]) == 16 for s in spans)  # hex ids
    runs = [
        s
        for s in spans
        if s["name"] == "RunWorkflow:ProductionOrderWorkflow"
        and attribute(s, "temporalWorkflowID") == WORKFLOW_ID
    ]
    assert len(runs) == 1
    saga_trace = runs[0]["traceId"]
    in_saga = [s for s in spans if s["traceId"] == saga_trace]
    names = {s["name"] for s in in_saga}
    assert {"RunActivity:erp.get_production_order", "RunActivity:mes.dispatch_job"} <= names
    # Caused by MES events that arrived later, still in the saga's trace.
    assert "RunActivity:erp.post_goods_issue" in names
    assert "RunActivity:erp.confirm_operation" in names
    erp_calls = [s for s in in_saga if url(s).startswith(stack.url("erp"))]
    assert erp_calls, "the saga's trace holds its HTTP calls to ERP"

    signals = [s for s in in_saga if s["name"].startswith("HandleSignal:")]
    assert signals, "MES events reach the saga as signals inside its trace"
    webhook_traces = {
        s["traceId"]
        for s in spans
        if s["traceId"] != saga_trace and s["name"].startswith("SignalWorkflow:")
    }
    linked = {link["traceId"] for s in signals for link in s.get("links", [])}
    assert linked and linked <= webhook_traces, "each event's own trace is linked"

    shown = trees(trace_path)
    assert f"trace {saga_trace} ({len(in_saga)} spans)" in shown
    assert any("RunActivity:erp.post_goods_issue" in line for line in shown)
