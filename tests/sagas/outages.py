"""Putting a system down or throttling it, and reading what the saga recorded meanwhile."""

from decimal import Decimal
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.converter import decode_typed_search_attributes

from stack.embedded import Stack
from stack.scenario import OPERATOR, SITE, PlantScenario
from tests.sagas.flows import released
from workflows import search_attributes as sa

CONFIRMATIONS = "/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV"


async def fault(stack: Stack, system: str, **spec: Any) -> None:
    """Switch a fault on; the wall clock ends it, so tests clear it themselves."""
    spec.setdefault("seconds", 3600)
    response = await stack.http.post(f"{stack.url(system)}/admin/faults", json=spec)
    response.raise_for_status()


async def clear_faults(stack: Stack, system: str) -> None:
    (await stack.http.delete(f"{stack.url(system)}/admin/faults")).raise_for_status()


async def confirmation_hits_fault(
    stack: Stack, plant: PlantScenario, order_id: str, lot_id: str, **spec: Any
) -> dict[str, Any]:
    """Mixing posted (3 postings), then ERP's confirmation service misbehaves as the line
    confirms filling. Returns the saga's state once it waits on ERP."""
    await released(plant, order_id, lot_id)
    await plant.start_and_mix(order_id)
    await plant.wait_for_saga(order_id, lambda s: len(s["postings"]) == 3, "3 postings")
    await fault(stack, "erp", path_prefix=CONFIRMATIONS, **spec)
    await plant.line.confirm_segment(SITE, order_id, "SEG-FILL", 1000, "PC", person_id=OPERATOR)
    return await plant.wait_for_saga(order_id, lambda s: bool(s["waiting"]), "waiting on ERP")


async def waiting_on(stack: Stack, workflow_id: str) -> str | None:
    description = await stack.client.get_workflow_handle(workflow_id).describe()
    return description.typed_search_attributes.get(sa.WAITING_ON)


async def stages_recorded(handle: WorkflowHandle[Any, Any]) -> set[str]:
    """Every SagaStage the saga ever published (its history, not just its last state)."""
    stages: set[str] = set()
    async for event in handle.fetch_history_events():
        if event.HasField("upsert_workflow_search_attributes_event_attributes"):
            attrs = event.upsert_workflow_search_attributes_event_attributes.search_attributes
            stage = decode_typed_search_attributes(attrs).get(sa.SAGA_STAGE)
            if stage:
                stages.add(stage)
    return stages


async def finish_order(plant: PlantScenario, order_id: str, lot_id: str) -> dict[str, Any]:
    """The rest of a good order: a passing sample, the last operation, completion."""
    await plant.measure(order_id, "S1", Decimal("12000"))
    await plant.wait_for_saga(
        order_id, lambda s: s["quality_status"] == "in_tolerance", "in-tolerance result"
    )
    await plant.line.confirm_segment(
        SITE, order_id, "SEG-PACK", 1000, "PC", final=True, person_id=OPERATOR
    )
    await plant.line.complete_job(SITE, order_id, 1000, "PC", lot_id, OPERATOR)
    return await plant.wait_for_stage(order_id, "completed")
