"""A disposition pending past the plant's deadline escalates; the order does not fail."""

from datetime import timedelta

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.sagas.flows import disposition, on_hold
from workflows import search_attributes as sa


async def test_overdue_disposition_escalates_and_keeps_waiting(
    stack: Stack, plant: PlantScenario
) -> None:
    _, state = await on_hold(plant, "2000020", "B2000120")
    assert state["holds"][-1]["escalated_at"] is None

    await stack.env.sleep(timedelta(hours=8, minutes=5))  # P100's deadline is 8 hours
    state = await plant.wait_for_saga(
        "2000020", lambda s: s["holds"][-1]["escalated_at"] is not None, "escalation"
    )
    assert state["stage"] == "awaiting_disposition"
    description = await stack.client.get_workflow_handle(state["workflow_id"]).describe()
    assert description.typed_search_attributes.get(sa.ESCALATED) is True
    assert description.status is not None and description.status.name == "RUNNING"

    response = await plant.approve("2000020", disposition(state, "use_as_is"))
    assert response.status_code == 200
    await plant.wait_for_saga(
        "2000020", lambda s: s["quality_status"] == "use_as_is", "late disposition applied"
    )
    description = await stack.client.get_workflow_handle(state["workflow_id"]).describe()
    assert description.typed_search_attributes.get(sa.ESCALATED) is False
