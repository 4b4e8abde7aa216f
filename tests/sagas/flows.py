"""Steps several saga tests share."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx

from stack.embedded import Stack
from stack.scenario import OPERATOR, SITE, PlantScenario
from stack.waiting import poll_until
from tests.sagas.conftest import OUTAGE_BUDGET
from workflows import search_attributes as sa


async def released(plant: PlantScenario, order_id: str, lot_id: str) -> str:
    """Create and release an order; wait until MES acknowledged. Returns the delivery."""
    delivery = await plant.new_order(order_id, lot_id)
    await plant.release(order_id)
    await plant.wait_for_stage(order_id, "in_progress")
    return delivery


async def on_hold(
    plant: PlantScenario, order_id: str, lot_id: str, inspector: str = OPERATOR
) -> tuple[str, dict[str, Any]]:
    """An order whose viscosity failed: waiting for a disposition. Returns (delivery, state)."""
    delivery = await released(plant, order_id, lot_id)
    await plant.start_and_mix(order_id)
    await plant.measure(order_id, "S1", Decimal("15500"), person=inspector)
    state = await plant.wait_for_stage(order_id, "awaiting_disposition")
    return delivery, state


def disposition(state: dict[str, Any], decision: str, approver: str = "qa.lee") -> dict[str, str]:
    return {
        "nonconformance_id": state["holds"][-1]["nonconformance_id"],
        "decision": decision,
        "approver": approver,
        "reason": f"{decision} after review of the viscosity excursion",
    }


CONFIRMATIONS = "/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV"


async def outlast_outage(stack: Stack, saga_state: Callable[[], Awaitable[dict[str, Any]]]) -> None:
    """Once a saga waits on a system that is down, let the system's outage budget run out, so
    the step parks (skipped on the time-skipping server; dev-server tests configure a budget
    of seconds)."""
    if stack.env.supports_time_skipping:
        await poll_until(saga_state, lambda s: bool(s.get("waiting")), "waiting on a system")
        await stack.env.sleep(OUTAGE_BUDGET + timedelta(minutes=1))


async def outlast_outage_budget(stack: Stack, plant: PlantScenario, order_id: str) -> None:
    """``outlast_outage`` for a production order."""
    await outlast_outage(stack, lambda: plant.saga(order_id))


async def parked_on_confirmation(stack: Stack, plant: PlantScenario, order_id: str) -> dict:
    """ERP's confirmation service is down for good: the step outlasts ERP's outage budget
    (``OUTAGE_BUDGET``, skipped on the time-skipping server; the dev server's tests configure
    seconds) and parks."""
    await released(plant, order_id, f"B2{order_id[1:]}"[:8])
    await plant.start_and_mix(order_id)
    await plant.wait_for_saga(order_id, lambda s: len(s["postings"]) == 3, "3 postings")
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": CONFIRMATIONS}
    (await stack.http.post(f"{stack.url('erp')}/admin/faults", json=fault)).raise_for_status()
    await plant.line.confirm_segment(SITE, order_id, "SEG-FILL", 1000, "PC", person_id=OPERATOR)
    await outlast_outage_budget(stack, plant, order_id)
    state = await plant.wait_for_stage(order_id, "needs_attention")
    assert state["attention"]["step"] == "confirm operation 0020"
    assert state["attention"]["error_type"] == "SystemUnavailable"
    description = await stack.client.get_workflow_handle(state["workflow_id"]).describe()
    assert description.typed_search_attributes.get(sa.NEEDS_ATTENTION) is True
    (await stack.http.delete(f"{stack.url('erp')}/admin/faults")).raise_for_status()
    return state


async def resolve(
    plant: PlantScenario,
    order_id: str,
    action: str,
    operator: str,
    reason: str = "ERP outage handled by IT",
    **target: str,
) -> httpx.Response:
    """``operator``'s action on the order's parked steps (``target``: attention_id, step,
    system, error_type), sent with their token (the body does not name them)."""
    return await plant.http.post(
        f"{plant.urls['gateway']}/production-orders/P100/{order_id}/attention",
        json={"action": action, "reason": reason, **target},
        headers=await plant.as_person(operator),
    )
