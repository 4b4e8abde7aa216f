"""Hold propagation: a failing result at the gateway until ERP stock, the MES lot and
shipping all show the hold, against a bare signal fanning out to three HTTP calls.

Each latency ends at the last of the three writes as the receiving system timed it (the
reference systems' ledger, the bare receiver's arrival), so polling never adds to it.
"""

import asyncio
import json
import uuid
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bench.harness import Bench, Row, percentile, report
from bench.sagas import bounded, new_order, released_and_running, wait_for_stage
from bench.webhook_ingest import signature_headers
from stack.scenario import OPERATOR, SITE

HELD = ":hold-1:"  # the idempotency keys of the first hold's three writes
ERP_HOLD_ACTIONS = ("batch_restriction", "delivery_block")  # the first hold's ERP writes


def failing_result(order_id: str, lot_id: str, correlation_id: str) -> dict[str, Any]:
    """MES's TestResult.Recorded for a viscosity out of tolerance, as MES sends it."""
    now = datetime.now(UTC).isoformat()
    return {
        "EventID": str(uuid.uuid4()),
        "EventType": "TestResult.Recorded",
        "EventTime": now,
        "CorrelationID": correlation_id,
        "JobOrderID": order_id,
        "HierarchyScope": {"EquipmentID": SITE, "EquipmentLevel": "Site"},
        "MaterialDefinitionID": "FG-1000",
        "MaterialLotID": lot_id,
        "TestResult": {
            "ID": f"TR-{uuid.uuid4().hex[:8]}",
            "SegmentID": "SEG-MIX",
            "TestSpecificationID": "VISC",
            "SampleID": "S1",
            "Result": {"ValueString": "15500", "UnitOfMeasure": "mPa.s"},
            "PersonID": OPERATOR,
            "RecordedTime": now,
        },
    }


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def held_at(bench: Bench, correlation_id: str) -> datetime:
    """When the last of ERP stock, MES lot and shipping recorded the hold. The MES ledger
    files the write under our idempotency key; the ERP's files them under SAP RequestIDs, so
    they are told by what they did."""
    erp = await bench.scenario.ledger("erp", correlation_id=correlation_id)
    mes = await bench.scenario.ledger("mes", correlation_id=correlation_id)
    rows = [r for r in erp if r["action"] in ERP_HOLD_ACTIONS]
    rows += [r for r in mes if HELD in r["idempotency_key"]]
    held = [_utc(r["recorded_at"]) for r in rows]
    if len(held) < 3:
        raise RuntimeError(f"expected 3 hold writes for {correlation_id}, found {len(held)}")
    return max(held)


async def plantflow_holds(bench: Bench, count: int) -> list[float]:
    orders = [new_order("42") for _ in range(count)]
    await bounded([partial(released_and_running, bench, o, lot) for o, lot in orders], 10)
    correlations = {o: (await bench.scenario.saga(o))["correlation_id"] for o, _ in orders}
    url = f"{bench.stack.url('gateway')}/webhooks/mes"
    secret = bench.stack.webhook_secret("mes")

    async def fail(order_id: str, lot_id: str) -> datetime:
        body = json.dumps(failing_result(order_id, lot_id, correlations[order_id])).encode()
        headers = {"content-type": "application/json", "X-Event-Type": "TestResult.Recorded"}
        headers |= signature_headers(secret, body)
        sent = datetime.now(UTC)
        response = await bench.stack.http.post(url, content=body, headers=headers)
        response.raise_for_status()
        return sent

    sent = await asyncio.gather(*(fail(o, lot) for o, lot in orders))
    await asyncio.gather(
        *(wait_for_stage(bench.client, o, "awaiting_disposition") for o, _ in orders)
    )
    return [
        ((await held_at(bench, correlations[o])) - at).total_seconds() * 1000
        for (o, _), at in zip(orders, sent, strict=True)
    ]


async def bare_holds(bench: Bench, count: int) -> list[float]:
    handles = [
        await bench.client.start_workflow(
            "BareHold", True, id=f"bare-hold-{uuid.uuid4()}", task_queue=bench.bare_queue
        )
        for _ in range(count)
    ]
    for handle in handles:  # each has run its first task and waits for the signal
        while (await handle.describe()).raw_description.workflow_execution_info.history_length < 4:
            await asyncio.sleep(0.05)
    base = bench.receiver.url

    async def signal(wf_id: str) -> datetime:
        urls = [f"{base}/{system}/{wf_id}" for system in ("erp", "mes", "shipping")]
        sent = datetime.now(UTC)
        await bench.client.get_workflow_handle(wf_id).signal("hold", urls)
        return sent

    sent = await asyncio.gather(*(signal(h.id) for h in handles))
    await asyncio.gather(*(h.result() for h in handles))
    return [
        (max(bench.receiver.arrivals[h.id]) - at).total_seconds() * 1000
        for h, at in zip(handles, sent, strict=True)
    ]


async def run(bench: Bench, levels: list[int], rounds: int) -> list[Row]:
    await plantflow_holds(bench, 1)  # warm-up: the first hold builds what later ones reuse
    await bare_holds(bench, 1)
    result: list[Row] = []
    for level in levels:
        plant: list[float] = []
        bare: list[float] = []
        # at least 10 holds per level, so a lone hold's p50 is not one sample
        for _ in range(max(rounds, -(-10 // level))):
            plant += await plantflow_holds(bench, level)
            bare += await bare_holds(bench, level)
        result.append(
            Row(f"{level} at once: p50", percentile(plant, 50), percentile(bare, 50), "ms")
        )
        result.append(
            Row(f"{level} at once: p99", percentile(plant, 99), percentile(bare, 99), "ms")
        )
    report(
        f"hold propagation (at least {rounds} round(s) and 10 holds per level)",
        result,
        [
            "plantflow: signed MES TestResult.Recorded (out of tolerance) posted to the gateway "
            "until ERP stock, MES lot and shipping record the hold (their ledger time)",
            "bare: a signal to a waiting workflow until its three parallel HTTP calls arrive",
        ],
    )
    return result
