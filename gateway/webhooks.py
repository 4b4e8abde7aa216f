"""Webhooks from ERP, MES and QMS.

The ERP's "production order released" starts the saga (update-with-start on a business-key
id, so a repeated trigger finds the running saga); MES and QMS events become signals to it.
A malformed event gets a 422 naming the field, and nothing is started or signalled.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException
from opentelemetry import trace
from temporalio.client import WithStartWorkflowOperation
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from adapters.errors import EventRejected
from adapters.registry import event_parser, informational_events
from canonical.events import ProductionOrderReleased
from gateway.deps import Gateway
from gateway.errors import raise_for_rpc
from runtime.telemetry import tag_correlation
from workflows import search_attributes as sa
from workflows.production_order import workflow_id
from workflows.production_order.messages import MesEventSignal, ProductionOrderStart
from workflows.production_order.workflow import ProductionOrderWorkflow

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
tracer = trace.get_tracer("plantflow.gateway")

Payload = Annotated[dict[str, Any], Body(description="The event in the sending system's dialect")]
EventType = Annotated[str | None, Header(alias="X-Event-Type")]


def _kind(payload: dict[str, Any], event_type: str | None) -> str:
    """The X-Event-Type header, else the type the payload names (CloudEvents' ``type``)."""
    return event_type or str(payload.get("type") or payload.get("EventType") or "")


def _parse(gw: Gateway, system: str, payload: dict[str, Any], event_type: str | None) -> Any:
    kind = _kind(payload, event_type)
    try:
        return event_parser(gw.settings, system)(payload, kind, gw.settings)
    except EventRejected as exc:
        raise HTTPException(
            422, {"error": "EventRejected", "field": exc.field, "message": exc.message}
        ) from exc


@router.post("/erp", status_code=202)
async def erp_event(gw: Gateway, payload: Payload, event_type: EventType = None) -> dict[str, Any]:
    """ERP business events. 'Production order released' starts (or finds) the order's saga."""
    event = _parse(gw, "erp", payload, event_type)
    if not isinstance(event, ProductionOrderReleased):
        return {"status": "ignored", "reason": f"no saga starts on {type(event).__name__}"}
    with tracer.start_as_current_span("erp production order released"):
        tag_correlation(event.correlation_id)
        return await start_production_order(gw, event)


async def start_production_order(gw: Gateway, event: ProductionOrderReleased) -> dict[str, Any]:
    wf_id = workflow_id(event.plant, event.order_id)
    start = ProductionOrderStart(trigger=event, steps=gw.step_policy)
    operation = WithStartWorkflowOperation(
        ProductionOrderWorkflow.run,
        start,
        id=wf_id,
        task_queue=gw.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        # A saga that ended is not started again by a late duplicate, unless it failed.
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        search_attributes=TypedSearchAttributes(
            [
                SearchAttributePair(sa.PLANT, event.plant),
                SearchAttributePair(sa.WORK_ORDER, event.order_id),
                SearchAttributePair(sa.SAGA_STAGE, "validating"),
            ]
        ),
        static_summary=f"Production order {event.order_id} · plant {event.plant}",
        static_details=f"Started by ERP release event {event.correlation_id}",
    )
    try:
        state = await gw.client.execute_update_with_start_workflow(
            ProductionOrderWorkflow.on_trigger, start, start_workflow_operation=operation
        )
    except WorkflowAlreadyStartedError:
        return {"workflow_id": wf_id, "status": "already_finished", "started": False}
    except RPCError as err:
        if "already" in err.message.lower():
            return {"workflow_id": wf_id, "status": "already_finished", "started": False}
        raise
    started = state.triggers_received == 1
    return {
        "workflow_id": wf_id,
        "status": "started" if started else "duplicate",
        "started": started,
        "stage": state.stage.value,
    }


@router.post("/mes", status_code=202)
async def mes_event(gw: Gateway, payload: Payload, event_type: EventType = None) -> dict[str, Any]:
    """MES execution events, signalled to the order's saga (which drops duplicates).
    State-change notices the saga caused itself (held, released...) are acknowledged only."""
    kind = _kind(payload, event_type)
    if kind in informational_events(gw.settings, "mes"):
        return {"status": "ignored", "reason": f"{kind} is informational"}
    event = _parse(gw, "mes", payload, event_type)
    wf_id = workflow_id(event.plant, event.order_id)
    with tracer.start_as_current_span(f"mes {event.kind}"):
        tag_correlation(event.correlation_id)
        try:
            await gw.client.get_workflow_handle(wf_id).signal(
                ProductionOrderWorkflow.on_mes_event, MesEventSignal(event=event)
            )
        except RPCError as err:
            raise_for_rpc(wf_id, err)
    return {"workflow_id": wf_id, "status": "signalled", "event_id": event.event_id}


@router.post("/qms", status_code=202)
async def qms_event(gw: Gateway, payload: Payload, event_type: EventType = None) -> dict[str, Any]:
    """QMS events. Production results already reach the saga through its own QMS calls,
    so these are acknowledged and kept in QMS's outbox history."""
    event = _parse(gw, "qms", payload, event_type)
    return {"status": "noted", "event_id": event.event_id, "kind": event.kind}
