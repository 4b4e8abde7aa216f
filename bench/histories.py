"""History events and bytes per saga type, against a bare workflow with as many trivial
activities as the happy-path production order."""

import uuid

from bench.harness import Bench, Row, report
from bench.sagas import PLANT, activities_in, happy_path, history, kind_counts, new_order, saga_id
from stack.demo import walk_order, walk_receipt, walk_release
from stack.receiving import ReceivingScenario
from stack.releasing import ReleaseScenario
from workflows import finished_goods, supplier_receipt


async def run(bench: Bench) -> list[Row]:
    quiet = lambda _message: None  # noqa: E731  (the walk-throughs report progress)
    happy_order, happy_lot = new_order("44")
    await happy_path(bench, happy_order, happy_lot)
    held_order, held_lot = new_order("44")
    await walk_order(bench.scenario, held_order, held_lot, quiet)
    await walk_release(
        ReleaseScenario(bench.stack.http, bench.urls, people=bench.stack.idp), held_lot, quiet
    )
    receipt_lot = f"B6{held_order[1:]}"
    await walk_receipt(
        ReceivingScenario(bench.stack.http, bench.urls, people=bench.stack.idp), receipt_lot, quiet
    )
    happy = await history(bench.client, saga_id(happy_order))
    per_saga = activities_in(happy)
    bare_id = f"bare-saga-{uuid.uuid4()}"
    await bench.client.execute_workflow(
        "BareSaga", per_saga, id=bare_id, task_queue=bench.bare_queue
    )
    bare = await history(bench.client, bare_id)
    bare_events, bare_bytes = len(bare.events), sum(e.ByteSize() for e in bare.events)
    sagas = {
        "production order, happy path": saga_id(happy_order),
        "production order, hold + rework": saga_id(held_order),
        "finished goods release": finished_goods.workflow_id(PLANT, "FG-1000", held_lot),
        "supplier receipt inspection": supplier_receipt.workflow_id(PLANT, "RM-200", receipt_lot),
    }
    result: list[Row] = []
    notes = [f"bare: a workflow with {per_saga} trivial activities (the happy path's count)"]
    for name, wf_id in sagas.items():
        hist = await history(bench.client, wf_id)
        size = sum(e.ByteSize() for e in hist.events)
        result.append(Row(f"{name}: events", len(hist.events), bare_events))
        result.append(Row(f"{name}: KiB", size / 1024, bare_bytes / 1024))
        kinds = kind_counts(hist)
        notes.append(
            f"{name}: {kinds.get('WORKFLOW_TASK_COMPLETED', 0)} workflow tasks, "
            f"{kinds.get('ACTIVITY_TASK_SCHEDULED', 0)} activities, "
            f"{kinds.get('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 0)} search-attribute upserts, "
            f"{kinds.get('WORKFLOW_EXECUTION_UPDATE_COMPLETED', 0)} updates, "
            f"{kinds.get('WORKFLOW_EXECUTION_SIGNALED', 0)} signals"
        )
    report("history per saga", result, notes)
    return result
