"""A webhook is a notification, ERP is the truth: a release trigger for an order ERP does not
have, or has not released, dispatches nothing, and the real release of that number later
starts and runs."""

from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus

from refsystems.mes.shopfloor import ShopFloorError
from stack.embedded import Stack
from stack.scenario import SITE, PlantScenario
from tests.gateway.support import ERP_RELEASED, erp_released
from tests.helpers import SignedWebhooks
from tests.sagas.replaying import assert_replays
from workflows.production_order import workflow_id


async def forged_release(stack: Stack, order_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """POST a well-formed release event that ERP never sent; returns (event, answer)."""
    event = erp_released(order_id)
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json=event,
        headers={"X-Event-Type": ERP_RELEASED},
        auth=SignedWebhooks(stack.webhook_secrets),  # signed: trust rests on the read-back
    )
    assert response.status_code == 409, response.text
    detail: dict[str, Any] = response.json()["detail"]
    return event, detail


async def assert_nothing_dispatched(
    stack: Stack, plant: PlantScenario, order_id: str, correlation_id: str
) -> None:
    with pytest.raises(ShopFloorError):
        await plant.line.get_job(SITE, order_id)
    qms_lots = await stack.http.get(
        f"{stack.url('qms')}/api/v1/inspection-lots", params={"SourceOrder": order_id}
    )
    assert qms_lots.json() == []
    for system in ("erp", "mes", "qms"):
        assert await plant.ledger(system, correlation_id=correlation_id) == []
    description = await stack.client.get_workflow_handle(workflow_id("P100", order_id)).describe()
    # Failed, not completed: the id reuse policy lets the real release start it again.
    assert description.status is WorkflowExecutionStatus.FAILED
    await assert_replays(stack.client, workflow_id("P100", order_id), description.run_id)


async def test_a_trigger_for_an_order_erp_has_not_released_dispatches_nothing(
    stack: Stack, plant: PlantScenario
) -> None:
    await plant.new_order("2000040", "B2000140")  # status CRTD in ERP

    event, answer = await forged_release(stack, "2000040")

    assert answer["status"] == "refused" and answer["error"] == "OrderNotReleased"
    assert "ERP shows order 2000040 as created, not released" in answer["message"]
    await assert_nothing_dispatched(stack, plant, "2000040", event["id"])

    await plant.release("2000040")  # the real release, through ERP's own event
    state = await plant.wait_for_stage("2000040", "in_progress")
    assert state["correlation_id"] != event["id"]
    assert state["erp_order_status"] == "released" and state["refusal"] == ""
    assert (await plant.line.get_job(SITE, "2000040")).ID == "2000040"


async def test_a_trigger_for_an_order_erp_does_not_have_dispatches_nothing(
    stack: Stack, plant: PlantScenario
) -> None:
    event, answer = await forged_release(stack, "2000041")

    assert answer["status"] == "refused" and answer["error"] == "OrderNotFound"
    assert "ERP has no order 2000041 in plant P100" in answer["message"]
    await assert_nothing_dispatched(stack, plant, "2000041", event["id"])

    await plant.new_order("2000041", "B2000141")
    await plant.release("2000041")
    state = await plant.wait_for_stage("2000041", "in_progress")
    assert state["correlation_id"] != event["id"] and state["mes_acknowledged"]
