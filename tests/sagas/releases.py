"""Steps the release tests share: a finished lot made by the production-order saga."""

from decimal import Decimal
from typing import Any

from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario


async def finished_lot(
    plant: PlantScenario, releasing: ReleaseScenario, order_id: str, lot_id: str
) -> tuple[str, dict[str, Any]]:
    """Make a lot of FG-1000 that passes in-process inspection; wait for its release saga to
    wait for checkpoints. Returns the outbound delivery and the release state."""
    delivery = await plant.new_order(order_id, lot_id)
    await plant.release(order_id)
    await plant.wait_for_stage(order_id, "in_progress")
    await plant.start_and_mix(order_id)
    await plant.measure(order_id, "S1", Decimal("12000"))
    await plant.finish_line(order_id, lot_id)
    await plant.wait_for_stage(order_id, "completed")
    state = await releasing.wait_for_status("FG-1000", lot_id, "awaiting_checkpoints")
    return delivery, state
