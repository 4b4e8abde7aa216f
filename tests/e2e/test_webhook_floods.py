"""Replay floods and concurrent duplicates on the real dev server (its real update and
signal limits): a flood of one trigger or one MES event leaves the saga healthy and its
history small, and 200 concurrent copies of one trigger are all answered 2xx, never 5xx.
300 replays are enough to prove the mechanism; Temporal's own limit is 2,000 updates."""

import asyncio
from collections import Counter
from typing import Any

import httpx
from temporalio.api.enums.v1 import EventType

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.e2e.conftest import urls
from tests.gateway.support import ERP_RELEASED, erp_released
from tests.helpers import SignedWebhooks
from workflows.production_order import workflow_id

FLOOD = 300
CONCURRENT = 200
UPDATE_ACCEPTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
SIGNALED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED


async def deliver(
    stack: Stack,
    route: str,
    event: dict[str, Any],
    event_type: str,
    webhook_id: str | None,
    http: httpx.AsyncClient | None = None,
) -> httpx.Response:
    """One signed delivery; the same ``webhook_id`` means a replay of one message."""
    return await (http or stack.http).post(
        f"{stack.url('gateway')}/webhooks/{route}",
        json=event,
        headers={"X-Event-Type": event_type},
        auth=SignedWebhooks(stack.webhook_secrets, webhook_id=webhook_id),
    )


async def history_counts(stack: Stack, order_id: str) -> tuple[int, Counter[int]]:
    history = await stack.client.get_workflow_handle(workflow_id("P100", order_id)).fetch_history()
    return len(history.events), Counter(int(e.event_type) for e in history.events)


async def test_a_replay_flood_of_one_trigger_leaves_the_saga_healthy(dev_stack: Stack) -> None:
    plant = PlantScenario(dev_stack.http, urls(dev_stack), people=dev_stack.idp)
    await plant.seed()
    await plant.new_order("3400001", "B3400001")
    await plant.release("3400001")  # ERP's outbox delivers the genuine release
    await plant.wait_for_stage("3400001", "in_progress")
    outbox = (await dev_stack.http.get(f"{dev_stack.url('erp')}/admin/outbox")).json()
    release = next(e for e in outbox if e["event_type"] == ERP_RELEASED)

    replays: Counter[tuple[int, str]] = Counter()
    for _ in range(FLOOD):  # the same message again and again: the gateway's replay guard
        response = await deliver(
            dev_stack, "erp", release["payload"], ERP_RELEASED, release["webhook_id"]
        )
        replays[(response.status_code, response.json()["status"])] += 1
    assert replays == Counter({(200, "duplicate"): FLOOD})
    redeliveries: Counter[tuple[int, str]] = Counter()
    for _ in range(FLOOD):  # the same event under new message ids: Temporal's update-id dedup
        response = await deliver(dev_stack, "erp", release["payload"], ERP_RELEASED, None)
        redeliveries[(response.status_code, response.json()["status"])] += 1
    assert redeliveries == Counter({(202, "duplicate"): FLOOD})

    length, kinds = await history_counts(dev_stack, "3400001")
    assert kinds[UPDATE_ACCEPTED] == 1
    assert length < 60, f"history grew to {length} events"
    await plant.start_and_mix("3400001")  # the saga still works
    state = await plant.wait_for_saga("3400001", lambda s: len(s["postings"]) == 3, "postings")
    assert state["triggers_received"] == 1 and state["stage"] == "in_progress"


async def test_a_replay_flood_of_one_mes_event_signals_it_once(dev_stack: Stack) -> None:
    plant = PlantScenario(dev_stack.http, urls(dev_stack), people=dev_stack.idp)
    await plant.seed()
    await plant.new_order("3400002", "B3400002")
    await plant.release("3400002")
    await plant.wait_for_stage("3400002", "in_progress")
    await plant.start_and_mix("3400002")
    await plant.wait_for_saga("3400002", lambda s: len(s["postings"]) == 3, "3 postings")
    _, before = await history_counts(dev_stack, "3400002")
    outbox = (await dev_stack.http.get(f"{dev_stack.url('mes')}/admin/outbox")).json()
    issued = next(e for e in outbox if e["event_type"] == "MaterialActual.Recorded")

    answers: Counter[tuple[int, str]] = Counter()
    for _ in range(FLOOD):
        response = await deliver(
            dev_stack, "mes", issued["payload"], issued["event_type"], issued["webhook_id"]
        )
        answers[(response.status_code, response.json()["status"])] += 1
    assert answers == Counter({(200, "duplicate"): FLOOD})
    length, after = await history_counts(dev_stack, "3400002")
    assert after[SIGNALED] == before[SIGNALED]  # none of the replays became a signal
    assert length < 100, f"history grew to {length} events"

    # The next genuine event of this order still goes through.
    await plant.line.confirm_segment("SPRINGFIELD", "3400002", "SEG-FILL", 1000, "PC")
    state = await plant.wait_for_saga("3400002", lambda s: len(s["postings"]) == 4, "4 postings")
    assert state["duplicate_events"] == 0


def release_event(outbox: list[dict[str, Any]], order_id: str) -> dict[str, Any]:
    return next(
        e
        for e in outbox
        if e["event_type"] == ERP_RELEASED
        and e["payload"]["data"]["ManufacturingOrder"] == order_id
    )


async def test_concurrent_duplicates_of_one_trigger_get_only_2xx(dev_stack: Stack) -> None:
    """Right after ERP releases the orders (its own deliveries racing ours)."""
    plant = PlantScenario(dev_stack.http, urls(dev_stack), people=dev_stack.idp)
    await plant.seed()
    for order_id in ("3400003", "3400004"):
        await plant.new_order(order_id, f"B{order_id}")
        await plant.release(order_id)
    outbox = (await dev_stack.http.get(f"{dev_stack.url('erp')}/admin/outbox")).json()

    # One message delivered 200 times at once: it reaches Temporal once.
    same = release_event(outbox, "3400003")["payload"]
    copies = await asyncio.gather(
        *(deliver(dev_stack, "erp", same, ERP_RELEASED, "msg_flood_1") for _ in range(CONCURRENT))
    )
    codes = Counter(r.status_code for r in copies)
    assert codes == Counter({202: 1, 200: CONCURRENT - 1}), [r.text for r in copies][:3]
    assert all(r.json()["status"] == "duplicate" for r in copies if r.status_code == 200)

    # One event under 200 message ids at once: each reaches Temporal with one update id.
    event = release_event(outbox, "3400004")["payload"]
    copies = await asyncio.gather(
        *(deliver(dev_stack, "erp", event, ERP_RELEASED, None) for _ in range(CONCURRENT))
    )
    codes = Counter(r.status_code for r in copies)
    assert set(codes) <= {200, 202}, [r.text for r in copies if r.status_code >= 300][:3]
    runs = [
        wf.run_id
        async for wf in dev_stack.client.list_workflows(
            f"WorkflowId = '{workflow_id('P100', '3400004')}'"
        )
    ]
    assert len(runs) == 1
    await plant.wait_for_stage("3400004", "in_progress")
    _, kinds = await history_counts(dev_stack, "3400004")
    assert kinds[UPDATE_ACCEPTED] == 1  # ERP's own delivery and ours: one update


async def test_a_burst_of_distinct_triggers_for_one_order_never_gets_a_500(
    dev_stack: Stack,
) -> None:
    """200 different release events of one order at once (distinct update ids): beyond
    Temporal's 10 updates in flight it turns them away; the saga exists, so they are
    duplicates (2xx), or, while it does not yet, 503 with Retry-After. Never a 500."""
    plant = PlantScenario(dev_stack.http, urls(dev_stack), people=dev_stack.idp)
    await plant.seed()
    await plant.new_order("3400005", "B3400005")
    await plant.release("3400005")
    # A client that waits as long as a sender would: Temporal's client retries a turned-away
    # update with backoff before the gateway answers, so some answers take seconds.
    limits = httpx.Limits(max_connections=CONCURRENT)
    async with httpx.AsyncClient(timeout=120, limits=limits) as sender:
        answers = await asyncio.gather(
            *(
                deliver(dev_stack, "erp", erp_released("3400005"), ERP_RELEASED, None, sender)
                for _ in range(CONCURRENT)
            )
        )
    codes = Counter(r.status_code for r in answers)
    assert set(codes) <= {200, 202, 503}, [r.text for r in answers if r.status_code == 500][:3]
    assert all(r.headers.get("retry-after") for r in answers if r.status_code == 503)
    starts = [r for r in answers if r.status_code == 202 and r.json()["status"] == "started"]
    assert len(starts) <= 1  # one saga; its starter may be told "duplicate" if aborted
    await plant.wait_for_stage("3400005", "in_progress")
