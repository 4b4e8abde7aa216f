"""Holds first: a failing result puts the hold on ERP stock, the MES lot and shipping in the
same workflow task that reads the nonconformance, not one round trip after it."""

from collections import defaultdict

from temporalio.api.enums.v1 import EventType

from stack.embedded import Stack
from stack.scenario import OPERATOR, PlantScenario
from tests.sagas.flows import on_hold
from workflows.production_order import workflow_id

SCHEDULED = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
HOLD_AND_READ = {
    "qms.get_nonconformance",
    "erp.set_lot_restriction",
    "mes.hold_lot",
    "erp.set_delivery_block",
}


async def test_the_hold_is_sent_with_the_nonconformance_read(
    stack: Stack, plant: PlantScenario
) -> None:
    _, state = await on_hold(plant, "2000093", "B2000193")
    hold = state["holds"][-1]
    assert hold["erp_blocked"] and hold["mes_held"] and hold["shipping_blocked"]
    assert hold["raised_by"] == OPERATOR  # QMS's record, read alongside
    history = await stack.client.get_workflow_handle(workflow_id("P100", "2000093")).fetch_history()
    by_task: dict[int, set[str]] = defaultdict(set)
    for event in history.events:
        if event.event_type == SCHEDULED:
            attributes = event.activity_task_scheduled_event_attributes
            by_task[attributes.workflow_task_completed_event_id].add(attributes.activity_type.name)
    assert any(HOLD_AND_READ <= scheduled for scheduled in by_task.values()), dict(by_task)
