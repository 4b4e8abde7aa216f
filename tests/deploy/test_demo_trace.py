"""`starter.py demo --trace FILE`: the whole demo runs, its prose reads as sentences, and the
file holds each saga as one trace, from the workflow through its activities and HTTP calls."""

import asyncio
import os
import re
import sys
from pathlib import Path

from runtime.trace_file import read_spans, trees
from tests.deploy.test_demo_signals import free_demo_ports

DEADLINE = 300


async def test_the_demo_writes_a_trace_of_each_whole_saga(tmp_path: Path) -> None:
    ports = free_demo_ports()
    traces = tmp_path / "traces.jsonl"
    demo = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        "demo",
        "--pace",
        "0",
        "--no-keep-running",
        "--data-dir",
        str(tmp_path / "data"),
        "--temporal-port",
        str(ports.temporal),
        "--ui-port",
        str(ports.ui),
        "--gateway-port",
        str(ports.gateway),
        "--trace",
        str(traces),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "400"},
    )
    output, _ = await asyncio.wait_for(demo.communicate(), DEADLINE)
    text = output.decode()
    assert demo.returncode == 0, text
    assert f"Traces of every saga are in {traces}" in text
    assert "hold placed on ERP stock, the MES lot and outbound shipping" in text
    assert "(True)" not in text and "(False)" not in text
    assert not re.search(r"\{'[a-z_]+': ", text), "no raw dict in any line"
    assert "Traceback" not in text

    spans = list(read_spans(traces))
    saga_traces = {
        s["traceId"]: s for s in spans if s["name"] == "RunWorkflow:ProductionOrderWorkflow"
    }
    assert len(saga_traces) == 1
    (saga_trace,) = saga_traces
    names = {s["name"] for s in spans if s["traceId"] == saga_trace}
    for step in ("erp.post_goods_issue", "qms.record_measurement", "erp.post_goods_receipt"):
        assert f"RunActivity:{step}" in names, step
    assert any(line.startswith(f"trace {saga_trace}") for line in trees(traces))
