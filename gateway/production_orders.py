"""People's side of a production-order saga: its state, dispositions, parked steps."""

from typing import Any

from fastapi import APIRouter, HTTPException
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from gateway.deps import Gateway
from gateway.errors import raise_for_rpc, update_refused
from workflows.production_order import workflow_id
from workflows.production_order.messages import (
    AttentionResolution,
    DispositionAccepted,
    DispositionRequest,
    ProductionOrderState,
)
from workflows.production_order.workflow import ProductionOrderWorkflow

router = APIRouter(prefix="/production-orders", tags=["production orders"])


@router.get("/{plant}/{order_id}")
async def get_state(gw: Gateway, plant: str, order_id: str) -> ProductionOrderState:
    """The saga's current state, as its query reports it."""
    wf_id = workflow_id(plant, order_id)
    try:
        return await gw.client.get_workflow_handle(wf_id).query(ProductionOrderWorkflow.state_query)
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.post("/{plant}/{order_id}/disposition")
async def approve_disposition(
    gw: Gateway, plant: str, order_id: str, request: DispositionRequest
) -> DispositionAccepted:
    """Sign a disposition. A refusal (wrong role, the NC's own raiser, nothing on hold) is a
    409 whose message says why; nothing is recorded in the saga's history then."""
    wf_id = workflow_id(plant, order_id)
    try:
        return await gw.client.get_workflow_handle(wf_id).execute_update(
            ProductionOrderWorkflow.approve_disposition, request
        )
    except WorkflowUpdateFailedError as err:
        raise update_refused(err) from err
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.post("/{plant}/{order_id}/attention")
async def resolve_attention(
    gw: Gateway, plant: str, order_id: str, resolution: AttentionResolution
) -> ProductionOrderState:
    """Retry a parked step, or compensate the saga."""
    wf_id = workflow_id(plant, order_id)
    try:
        return await gw.client.get_workflow_handle(wf_id).execute_update(
            ProductionOrderWorkflow.resolve_attention, resolution
        )
    except WorkflowUpdateFailedError as err:
        raise update_refused(err) from err
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.get("")
async def list_sagas(
    gw: Gateway, plant: str | None = None, stage: str | None = None
) -> list[dict[str, Any]]:
    """Sagas filtered by plant and stage, from Temporal's visibility store."""
    clauses = ["WorkflowType = 'ProductionOrderWorkflow'"]
    if plant:
        clauses.append(f"Plant = '{_quoted(plant)}'")
    if stage:
        clauses.append(f"SagaStage = '{_quoted(stage)}'")
    rows = []
    async for wf in gw.client.list_workflows(" AND ".join(clauses)):
        attrs = {k.name: v for k, v in ((p.key, p.value) for p in wf.typed_search_attributes)}
        rows.append(
            {"workflow_id": wf.id, "status": wf.status.name if wf.status else None, **attrs}
        )
    return rows


def _quoted(value: str) -> str:
    if not value.replace("-", "").replace("_", "").isalnum():
        raise HTTPException(422, f"invalid filter value {value!r}")
    return value
