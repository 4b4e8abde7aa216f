"""Starting sagas from triggers: update-with-start on a business-key workflow id, so a
repeated trigger finds the running saga instead of starting a second one. Used by the gateway
(webhooks) and by activities that chain one saga to the next.

A trigger whose saga is already running is answered "duplicate" without an update. Racing
triggers (the saga not running yet) carry an update id derived from the event itself, so
Temporal deduplicates repeats of one event: they never count toward its per-workflow limits on
updates (2,000 in total, 10 in flight), and a repeat gets the first one's answer. When
Temporal turns a trigger away for load (in-flight limit, aborted update, resource exhausted),
a saga that already exists means the trigger was a duplicate; with no saga yet it is
:class:`SagaBusy` (the gateway answers 503).
"""

import hashlib
from typing import Any, Protocol

from pydantic import BaseModel
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowExecutionStatus,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

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

# Temporal's answers to load or to a race between copies of one update, not to the trigger.
OVERLOADED = {
    RPCStatusCode.RESOURCE_EXHAUSTED,
    RPCStatusCode.ABORTED,
    RPCStatusCode.UNAVAILABLE,
    RPCStatusCode.DEADLINE_EXCEEDED,
    RPCStatusCode.CANCELLED,
}


class SagaBusy(Exception):
    """Temporal cannot take this trigger now and no saga exists yet: retry later."""

    def __init__(self, workflow_id: str):
        super().__init__(f"{workflow_id}: Temporal cannot take the trigger now")
        self.workflow_id = workflow_id


def trigger_update_id(event: BaseModel) -> str:
    """The same event always gives the same update id (a digest of its canonical JSON)."""
    digest = hashlib.sha256(event.model_dump_json().encode()).hexdigest()
    return f"trigger-{type(event).__name__}-{digest[:32]}"


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
    # A repeat of one event is deduplicated by Temporal and answered with the first outcome,
    # so whether this call started the saga is read beforehand.
    prior = await _status(gw, wf_id)
    if prior == WorkflowExecutionStatus.RUNNING:
        # The trigger found its saga: no update is sent, so however many repeats arrive,
        # none counts toward the saga's update limits (10 in flight, 2,000 in total).
        return {"workflow_id": wf_id, "status": "duplicate", "started": False}
    try:
        state = await execute_update_with_start(
            gw.client, trigger, start, operation, id=trigger_update_id(start.trigger)
        )
    except (WorkflowAlreadyStartedError, RPCError) as err:
        if isinstance(err, WorkflowAlreadyStartedError) or "already" in err.message.lower():
            return finished
        if err.status in OVERLOADED:
            return await _duplicate_or_busy(gw, wf_id)
        raise
    except (WorkflowUpdateRPCTimeoutOrCancelledError, WorkflowUpdateFailedError) as err:
        if isinstance(err, WorkflowUpdateFailedError) and not _aborted(err):
            raise
        return await _duplicate_or_busy(gw, wf_id)
    if prior == WorkflowExecutionStatus.COMPLETED:
        return finished
    refusal = getattr(state, "refusal", "")
    if refusal:  # the system of record said no: nothing was dispatched, the id stays free
        return {
            "workflow_id": wf_id,
            "status": "refused",
            "started": False,
            "error": refusal,
            "message": state.reason,
        }
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


def _aborted(err: WorkflowUpdateFailedError) -> bool:
    """An update the server gave up on (its workflow closed or reset meanwhile), as opposed
    to one the saga's validator or handler refused."""
    return "abort" in str(err.cause or err).lower()


async def _status(gw: StartContext, wf_id: str) -> WorkflowExecutionStatus | None:
    try:
        return (await gw.client.get_workflow_handle(wf_id).describe()).status
    except RPCError:
        return None


async def _duplicate_or_busy(gw: StartContext, wf_id: str) -> dict[str, Any]:
    try:
        await gw.client.get_workflow_handle(wf_id).describe()
    except RPCError as err:
        raise SagaBusy(wf_id) from err
    return {"workflow_id": wf_id, "status": "duplicate", "started": False}
