"""What a trigger costs the saga's history: its answer is small, a repeat writes nothing, and
a search attribute is written only when its value changes."""

from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.gateway.support import ERP_RELEASED, new_order_id
from tests.helpers import SignedWebhooks
from workflows.production_order import workflow_id
from workflows.trigger import TriggerAnswer

UPDATE_COMPLETED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED
UPSERTED = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES


async def events(stack: Stack, wf_id: str) -> list[HistoryEvent]:
    return list((await stack.client.get_workflow_handle(wf_id).fetch_history()).events)


async def repost(stack: Stack, event: dict[str, Any]) -> dict[str, Any]:
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json=event,
        headers={"X-Event-Type": ERP_RELEASED},
        auth=SignedWebhooks(stack.webhook_secrets),
    )
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_a_trigger_answers_small_and_its_repeats_write_nothing(
    stack: Stack, plant: PlantScenario
) -> None:
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")
    await plant.release(order_id)  # ERP's own event starts the saga
    await plant.wait_for_stage(order_id, "in_progress")  # now it waits for MES
    wf_id = workflow_id("P100", order_id)
    before = await events(stack, wf_id)

    [completed] = [e for e in before if e.event_type == UPDATE_COMPLETED]
    payloads = completed.workflow_execution_update_completed_event_attributes.outcome.success
    [answer] = await stack.client.data_converter.decode(payloads.payloads)
    assert answer == TriggerAnswer(triggers_received=1).model_dump()  # not the whole state

    outbox = (await stack.http.get(f"{stack.url('erp')}/admin/outbox")).json()
    release = next(
        e["payload"]
        for e in outbox
        if e["payload"].get("data", {}).get("ManufacturingOrder") == order_id
    )
    for _ in range(3):
        assert (await repost(stack, release))["status"] == "duplicate"
    assert len(await events(stack, wf_id)) == len(before)


async def test_search_attributes_are_written_only_when_they_change(
    stack: Stack, plant: PlantScenario
) -> None:
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")
    await plant.release(order_id)
    await plant.wait_for_stage(order_id, "in_progress")
    history = await events(stack, workflow_id("P100", order_id))
    started = history[0].workflow_execution_started_event_attributes.search_attributes
    current = {name: p.data for name, p in started.indexed_fields.items()}
    upserts = [e for e in history if e.event_type == UPSERTED]
    assert upserts
    for event in upserts:
        fields = event.upsert_workflow_search_attributes_event_attributes.search_attributes
        for name, payload in fields.indexed_fields.items():
            assert current.get(name) != payload.data, f"{name} upserted unchanged"
            current[name] = payload.data
