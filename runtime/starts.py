"""Starting sagas from triggers: update-with-start on a business-key workflow id, so a
repeated trigger finds the running saga instead of starting a second one. Used by the gateway
(webhooks) and by activities that chain one saga to the next."""

from typing import Any, Protocol

from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from canonical.events import FinishedLotReceived, GoodsReceiptPosted, ProductionOrderReleased
from runtime.with_start import execute_update_with_start
from workflows import finished_goods, production_order, supplier_receipt
from workflows import search_attributes as sa
from workflows.finished_goods.messages import ReleaseStart
from workflows.finished_goods.workflow import FinishedGoodsReleaseWorkflow
from workflows.production_order.messages import ProductionOrderStart, StepPolicy
from workflows.production_order.workflow import ProductionOrderWorkflow
from workflows.supplier_receipt.messages import ReceiptInspectionStart
from workflows.supplier_receipt.workflow import SupplierReceiptInspectionWorkflow


class StartContext(Protocol):
    """What starting a saga needs: the gateway's context and the chaining activities have it."""

    client: Client
    task_queue: str
    step_policy: StepPolicy


async def start_saga(
    gw: StartContext,
    run: Any,
    trigger: Any,
    start: Any,
    wf_id: str,
    attributes: dict[SearchAttributeKey[str], str],
    summary: str,
    details: str,
) -> dict[str, Any]:
    operation = WithStartWorkflowOperation(
        run,
        start,
        id=wf_id,
        task_queue=gw.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        # A saga that ended is not started again by a late duplicate, unless it failed.
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        search_attributes=TypedSearchAttributes(
            [SearchAttributePair(key, value) for key, value in attributes.items()]
        ),
        static_summary=summary,
        static_details=details,
    )
    finished = {"workflow_id": wf_id, "status": "already_finished", "started": False}
    try:
        state = await execute_update_with_start(gw.client, trigger, start, operation)
    except (WorkflowAlreadyStartedError, RPCError) as err:
        if isinstance(err, WorkflowAlreadyStartedError) or "already" in err.message.lower():
            return finished
        raise
    started = state.triggers_received == 1
    return {
        "workflow_id": wf_id,
        "status": "started" if started else "duplicate",
        "started": started,
    }


async def start_production_order(
    gw: StartContext, event: ProductionOrderReleased
) -> dict[str, Any]:
    return await start_saga(
        gw,
        ProductionOrderWorkflow.run,
        ProductionOrderWorkflow.on_trigger,
        ProductionOrderStart(trigger=event, steps=gw.step_policy),
        production_order.workflow_id(event.plant, event.order_id),
        {sa.PLANT: event.plant, sa.WORK_ORDER: event.order_id, sa.SAGA_STAGE: "validating"},
        f"Production order {event.order_id} · plant {event.plant}",
        f"Started by ERP release event {event.correlation_id}",
    )


async def start_receipt_inspection(gw: StartContext, event: GoodsReceiptPosted) -> dict[str, Any]:
    return await start_saga(
        gw,
        SupplierReceiptInspectionWorkflow.run,
        SupplierReceiptInspectionWorkflow.on_trigger,
        ReceiptInspectionStart(trigger=event, steps=gw.step_policy),
        supplier_receipt.workflow_id(event.plant, event.item_id, event.lot_id),
        {
            sa.PLANT: event.plant,
            sa.SUPPLIER: event.supplier,
            sa.PURCHASE_ORDER: event.purchase_order,
            sa.ITEM: event.item_id,
            sa.LOT: event.lot_id,
            sa.INSPECTION_STATUS: "planning",
        },
        f"Receipt {event.lot_id} · {event.item_id} from {event.supplier} · plant {event.plant}",
        f"Started by ERP goods receipt {event.material_document} (PO {event.purchase_order})",
    )


async def start_release(gw: StartContext, event: FinishedLotReceived) -> dict[str, Any]:
    return await start_saga(
        gw,
        FinishedGoodsReleaseWorkflow.run,
        FinishedGoodsReleaseWorkflow.on_trigger,
        ReleaseStart(trigger=event, steps=gw.step_policy),
        finished_goods.workflow_id(event.plant, event.item_id, event.lot_id),
        {
            sa.PLANT: event.plant,
            sa.ITEM: event.item_id,
            sa.LOT: event.lot_id,
            sa.RELEASE_STATUS: "blocking_shipment",
        },
        f"Release of lot {event.lot_id} · {event.item_id} · plant {event.plant}",
        f"Started by ERP goods receipt {event.material_document}"
        + (f" for order {event.order_id}" if event.order_id else ""),
    )
