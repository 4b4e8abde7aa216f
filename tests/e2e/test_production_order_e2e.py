"""End to end on the real Temporal dev server: the demo's own walk-through, then the proof
a user would ask for: every posting exactly once, and a repeated ERP trigger started nothing."""

from collections import Counter
from typing import Any

from stack.demo import walk_order
from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.helpers import SignedWebhooks

RELEASED = "sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"


async def repost_release(stack: Stack, order_id: str) -> dict[str, Any]:
    """Deliver ERP's release event for the order to the gateway once more (a new delivery,
    signed as ERP signs, so the gateway's replay guard does not answer it)."""
    outbox = (await stack.http.get(f"{stack.url('erp')}/admin/outbox")).json()
    event = next(
        e
        for e in outbox
        if e["event_type"] == RELEASED and e["payload"]["data"]["ManufacturingOrder"] == order_id
    )
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json=event["payload"],
        headers={"X-Event-Type": RELEASED},
        auth=SignedWebhooks(stack.webhook_secrets),
    )
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


def counts(ledger: list[dict[str, Any]]) -> Counter[str]:
    return Counter(row["action"] for row in ledger)


async def test_order_through_hold_and_release_posts_everything_exactly_once(
    dev_stack: Stack,
) -> None:
    urls = {name: dev_stack.url(name) for name in ("gateway", "erp", "mes", "qms")}
    plant = PlantScenario(dev_stack.http, urls, people=dev_stack.idp)
    await plant.seed()
    notes: list[str] = []
    state = await walk_order(plant, "3000001", "B3000101", notes.append)
    assert state["stage"] == "completed" and state["quality_status"] == "accepted"
    assert len(notes) == 7  # every step of the walk-through reported progress

    correlation = state["correlation_id"]
    erp = await plant.ledger("erp", correlation_id=correlation)
    mes = await plant.ledger("mes", correlation_id=correlation)
    qms = await plant.ledger("qms", correlation_id=correlation)
    for ledger in (erp, mes, qms):
        # One request may record several changes (a failed result opens a notification too),
        # but never the same change twice.
        writes = [(row["idempotency_key"], row["action"]) for row in ledger]
        assert len(writes) == len(set(writes)), "a write was posted twice"
    erp_counts = counts(erp)
    assert erp_counts["goods_movement 261"] == 2
    assert erp_counts["confirmation"] == 3
    assert erp_counts["goods_movement 101"] == 1
    assert erp_counts["technically_complete"] == 1
    # blocked at the hold, lifted after re-inspection, blocked again by the lot's release saga
    assert erp_counts["delivery_block"] == 3
    mes_counts = counts(mes)
    assert mes_counts["dispatch"] == 1 and mes_counts["hold"] == 1 and mes_counts["rework"] == 1
    qms_counts = counts(qms)
    assert qms_counts["create_inspection_lot"] == 1
    assert qms_counts["record_result"] == 2
    assert qms_counts["record_disposition"] == 1
    assert qms_counts["usage_decision"] == 1

    again = await repost_release(dev_stack, "3000001")
    assert again == {
        "workflow_id": state["workflow_id"],
        "status": "already_finished",
        "started": False,
    }
    found = [
        wf.id
        async for wf in dev_stack.client.list_workflows(
            "Plant = 'P100' AND WorkOrder = '3000001' AND SagaStage = 'completed'"
        )
    ]
    assert found == [state["workflow_id"]]


async def test_repeated_release_while_running_finds_the_same_saga(dev_stack: Stack) -> None:
    urls = {name: dev_stack.url(name) for name in ("gateway", "erp", "mes", "qms")}
    plant = PlantScenario(dev_stack.http, urls, people=dev_stack.idp)
    await plant.seed()
    await plant.new_order("3000002", "B3000102")
    await plant.release("3000002")
    state = await plant.wait_for_stage("3000002", "in_progress")
    again = await repost_release(dev_stack, "3000002")
    assert again["status"] == "duplicate" and again["workflow_id"] == state["workflow_id"]
    state = await plant.saga("3000002")
    # The same event carries the same update id: Temporal deduplicated it.
    assert state["triggers_received"] == 1
    runs = [
        wf.run_id
        async for wf in dev_stack.client.list_workflows(f"WorkflowId = '{state['workflow_id']}'")
    ]
    assert len(runs) == 1
