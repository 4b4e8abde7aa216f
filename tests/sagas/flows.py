"""Steps several saga tests share."""

from decimal import Decimal
from typing import Any

from stack.scenario import OPERATOR, PlantScenario


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
