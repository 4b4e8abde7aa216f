"""What goes wrong at a plant: a step that keeps failing, a blocked component lot, MES
delivering an event twice, an order the plant's mappings cannot carry."""

from decimal import Decimal

import pytest

from canonical.enums import StockStatus
from refsystems.mes.shopfloor import ShopFloorError
from stack.embedded import Stack
from stack.scenario import OPERATOR, SITE, PlantScenario
from tests.helpers import SignedWebhooks
from tests.sagas.flows import parked_on_confirmation, released, resolve
from tests.sagas.probes import erp_lot, erp_postings, mes_state
from workflows import search_attributes as sa


async def test_operator_compensates_a_parked_saga(stack: Stack, plant: PlantScenario) -> None:
    state = await parked_on_confirmation(stack, plant, "2000030")
    refused = await resolve(plant, "2000030", "compensate", "qa.ortiz")
    assert refused.status_code == 403
    assert "quality_manager, supervisor" in refused.json()["detail"]["message"]

    response = await resolve(plant, "2000030", "compensate", "sup.king")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage("2000030", "compensated")
    assert "sup.king chose to compensate" in state["reason"]
    assert all(p["reversed"] for p in state["postings"])
    correlation = state["correlation_id"]
    assert len(await erp_postings(plant, "goods_movement 262", correlation)) == 2
    assert len(await erp_postings(plant, "confirmation_cancel", correlation)) == 1
    assert await mes_state(plant, "2000030") == "Aborted"
    base = await erp_lot(stack, "RM-200", "B2000001")
    assert base.quantities.get(StockStatus.UNRESTRICTED) == Decimal(500)  # the issue was reversed


async def test_operator_retries_a_parked_step_and_it_posts_once(
    stack: Stack, plant: PlantScenario
) -> None:
    await parked_on_confirmation(stack, plant, "2000031")
    response = await resolve(plant, "2000031", "retry", "qa.lee")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_saga(
        "2000031", lambda s: len(s["postings"]) == 4, "retried confirmation posted"
    )
    assert state["stage"] == "in_progress" and state["attention"] is None
    confirmations = await erp_postings(plant, "confirmation", state["correlation_id"])
    assert len(confirmations) == 2  # 0010 and the retried 0020, once each


async def test_blocked_component_lot_is_refused_and_raised(
    stack: Stack, plant: PlantScenario
) -> None:
    await released(plant, "2000032", "B2000132")
    await plant.line.start_job(SITE, "2000032", OPERATOR)
    await plant.line.consume_material(
        SITE, "2000032", "RM-200", "B2000002", 1000, "g", "SEG-MIX", OPERATOR
    )
    state = await plant.wait_for_saga("2000032", lambda s: bool(s["exceptions"]), "exception")
    assert state["exceptions"][0]["kind"] == "LotBlocked"
    assert state["stage"] == "in_progress"
    assert await erp_postings(plant, "goods_movement 261", state["correlation_id"]) == []
    blocked = await erp_lot(stack, "RM-200", "B2000002")
    assert blocked.quantities.get(StockStatus.BLOCKED) == Decimal(100)
    description = await stack.client.get_workflow_handle(state["workflow_id"]).describe()
    assert description.typed_search_attributes.get(sa.NEEDS_ATTENTION) is True


async def test_duplicate_mes_events_are_posted_once(stack: Stack, plant: PlantScenario) -> None:
    await released(plant, "2000033", "B2000133")
    await plant.start_and_mix("2000033")
    await plant.wait_for_saga("2000033", lambda s: len(s["postings"]) == 3, "3 postings")
    outbox = (await stack.http.get(f"{stack.url('mes')}/admin/outbox")).json()
    issued = [e for e in outbox if e["event_type"] == "MaterialActual.Recorded"]
    assert len(issued) == 2
    for event in issued:  # MES's interface delivers both again, as the same messages
        response = await stack.http.post(
            f"{stack.url('gateway')}/webhooks/mes",
            json=event["payload"],
            headers={"X-Event-Type": event["event_type"]},
            auth=SignedWebhooks(stack.webhook_secrets, webhook_id=event["webhook_id"]),
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "duplicate"  # the gateway signalled nothing
    assert (await plant.saga("2000033"))["duplicate_events"] == 0
    for event in issued:  # ... and as new messages: the saga drops the events it has seen
        response = await stack.http.post(
            f"{stack.url('gateway')}/webhooks/mes",
            json=event["payload"],
            headers={"X-Event-Type": event["event_type"]},
            auth=SignedWebhooks(stack.webhook_secrets),
        )
        assert response.status_code == 202
    state = await plant.wait_for_saga(
        "2000033", lambda s: s["duplicate_events"] == 2, "duplicates counted"
    )
    assert len(await erp_postings(plant, "goods_movement 261", state["correlation_id"])) == 2
    assert len(state["postings"]) == 3


async def test_order_the_plant_cannot_map_is_rejected_before_dispatch(
    stack: Stack, plant: PlantScenario
) -> None:
    from refsystems.erp.planner import create_order
    from refsystems.erp.seed import demo_order

    body = demo_order().model_dump(mode="json", exclude_none=True)
    body.update(ManufacturingOrder="2000034", Batch="B2000134", OutboundDelivery="8002000034")
    body["to_ProductionOrderOperation"].append(
        {"ManufacturingOrderOperation": "0040", "WorkCenter": "LAB01", "MfgOrderOperationText": "?"}
    )
    await create_order(plant.urls["erp"], body, stack.http)
    await plant.release("2000034")
    state = await plant.wait_for_stage("2000034", "rejected")
    assert "no MES segment for ERP operation '0040'" in state["reason"]
    with pytest.raises(ShopFloorError):
        await plant.line.get_job(SITE, "2000034")
    assert await erp_postings(plant, "goods_movement 261", state["correlation_id"]) == []
