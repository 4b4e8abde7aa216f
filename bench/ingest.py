"""Trigger ingest: ERP release webhooks through the gateway (signature check and replay
guard on) against raw ``start_workflow``; then duplicates of one trigger against
``start_workflow`` with the use-existing policy."""

import json
import time
import uuid
from typing import Any

from temporalio.common import WorkflowIDConflictPolicy

from bench.harness import Bench, Row, report
from bench.sagas import bounded, history, new_order, saga_id, size_of
from bench.webhook_ingest import signature_headers

RELEASED = "sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"


async def quiet_erp(bench: Bench) -> None:
    """Stop the reference ERP's outbox: the bench posts its release events itself, so each
    reaches the gateway exactly when it is timed (and once)."""
    await bench.stack.services["erp"].app.state.runtime.outbox.stop()


async def release_events(bench: Bench, count: int) -> list[dict[str, Any]]:
    """Create and release ``count`` orders in ERP; their release events, as ERP queued them."""
    orders = [new_order("43") for _ in range(count)]
    for order_id, lot_id in orders:
        await bench.scenario.new_order(order_id, lot_id)
        await bench.scenario.release(order_id)
    wanted = {o for o, _ in orders}
    outbox = (await bench.stack.http.get(f"{bench.stack.url('erp')}/admin/outbox")).json()
    return [
        e["payload"]
        for e in outbox
        if e["event_type"] == RELEASED and e["payload"]["data"]["ManufacturingOrder"] in wanted
    ]


async def post_trigger(bench: Bench, event: dict[str, Any]) -> int:
    body = json.dumps(event).encode()
    headers = {"content-type": "application/json", "X-Event-Type": RELEASED}
    headers |= signature_headers(bench.stack.webhook_secret("erp"), body)  # a new id: accepted
    response = await bench.stack.http.post(
        f"{bench.stack.url('gateway')}/webhooks/erp", content=body, headers=headers
    )
    return response.status_code


async def timed(jobs: list[Any], concurrency: int) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    results = await bounded(jobs, concurrency)
    return time.perf_counter() - started, results


async def bare_start(bench: Bench, wf_id: str, reuse: bool = False) -> int:
    await bench.client.start_workflow(
        "BareTrigger",
        wf_id,
        id=wf_id,
        task_queue=bench.bare_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING
        if reuse
        else WorkflowIDConflictPolicy.FAIL,
    )
    return 202


async def run(bench: Bench, distinct: int, duplicates: int, concurrency: int) -> list[Row]:
    await quiet_erp(bench)
    events = await release_events(bench, distinct + 1)
    # warm-up, and the saga the duplicates will find
    assert await post_trigger(bench, events[0]) == 202
    p_wall, p_codes = await timed(
        [lambda e=e: post_trigger(bench, e) for e in events[1:]], concurrency
    )
    b_wall, _ = await timed(
        [lambda: bare_start(bench, f"bare-trigger-{uuid.uuid4()}") for _ in range(distinct)],
        concurrency,
    )
    first = saga_id(events[0]["data"]["ManufacturingOrder"])
    before = size_of(await history(bench.client, first))
    d_wall, d_codes = await timed(
        [lambda: post_trigger(bench, events[0]) for _ in range(duplicates)], concurrency
    )
    after = size_of(await history(bench.client, first))
    bare_id = f"bare-trigger-{uuid.uuid4()}"
    await bare_start(bench, bare_id)
    bd_wall, _ = await timed(
        [lambda: bare_start(bench, bare_id, reuse=True) for _ in range(duplicates)], concurrency
    )
    refused = sum(1 for code in p_codes + d_codes if code != 202)
    result = [
        Row("distinct triggers per second", distinct / p_wall, distinct / b_wall),
        Row("duplicate triggers per second", duplicates / d_wall, duplicates / bd_wall),
    ]
    report(
        f"trigger ingest: {distinct} distinct, {duplicates} duplicates, {concurrency} in flight",
        result,
        [
            "plantflow: ERP's signed release webhooks at the gateway (signature check, replay "
            "guard, update-with-start, the answer waits for ERP's release check); bare: "
            "start_workflow (duplicates: id_conflict_policy=USE_EXISTING)",
            f"answers other than 202: {refused}",
            f"history of the saga the duplicates found: {before[0]} events / {before[1]} bytes "
            f"before, {after[0]} events / {after[1]} bytes after",
            "webhooks carry signatures, not tokens (OIDC tokens guard the people's routes)",
        ],
    )
    return result
