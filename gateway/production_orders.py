"""People's side of a production-order saga: its state, dispositions, parked steps."""

from typing import Any

from fastapi import APIRouter, Depends
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from gateway.acting import may_list, may_read, resolver, signer, visible_rows
from gateway.attention import resolve
from gateway.deps import Gateway
from gateway.errors import raise_for_rpc, update_refused
from gateway.identity import Caller
from gateway.listing import list_by
from gateway.problems import UPDATE_ERRORS, check_path_ids, error_responses
from workflows.operator import ResolutionOutcome
from workflows.production_order import workflow_id
from workflows.production_order.messages import (
    AttentionBody,
    AttentionResolution,
    DispositionAccepted,
    DispositionBody,
    DispositionRequest,
    ProductionOrderState,
)
from workflows.production_order.workflow import ProductionOrderWorkflow

router = APIRouter(
    prefix="/production-orders",
    tags=["production orders"],
    dependencies=[Depends(check_path_ids)],
    responses=error_responses(401, 403, 404, 422),
)


@router.get("/{plant}/{order_id}")
async def get_state(gw: Gateway, caller: Caller, plant: str, order_id: str) -> ProductionOrderState:
    """The saga's current state, as its query reports it."""
    may_read(gw.settings, caller, plant)
    wf_id = workflow_id(plant, order_id)
    try:
        state: ProductionOrderState = await gw.query(wf_id, ProductionOrderWorkflow.state_query)
        return state
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.post("/{plant}/{order_id}/disposition", responses=UPDATE_ERRORS)
async def approve_disposition(
    gw: Gateway, caller: Caller, plant: str, order_id: str, body: DispositionBody
) -> DispositionAccepted:
    """Sign a disposition as the token's person (quality role, logged in within the last few
    minutes). A refusal (the NC's own raiser, nothing on hold, a digest of another record) is
    a 409 whose message says why; nothing is recorded in the saga's history then."""
    fields = signer(gw, caller, plant, "sign a disposition")
    request = DispositionRequest(**body.model_dump(), **fields, approver=caller.user_id)
    wf_id = workflow_id(plant, order_id)
    try:
        return await gw.client.get_workflow_handle(wf_id).execute_update(
            ProductionOrderWorkflow.approve_disposition, request
        )
    except WorkflowUpdateFailedError as err:
        raise update_refused(err) from err
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.post("/{plant}/{order_id}/attention", responses=UPDATE_ERRORS)
async def resolve_attention(
    gw: Gateway, caller: Caller, plant: str, order_id: str, body: AttentionBody
) -> ResolutionOutcome:
    """Retry or skip parked steps, compensate the saga, or acknowledge supervisor
    exceptions, as the token's supervisor or quality manager (409 with the reason when
    refused)."""
    operator = resolver(gw, caller, plant, body.action)
    resolution = AttentionResolution(**body.model_dump(), operator=operator)
    return await resolve(gw, workflow_id(plant, order_id), resolution)


@router.get("")
async def list_sagas(
    gw: Gateway, caller: Caller, plant: str | None = None, stage: str | None = None
) -> list[dict[str, Any]]:
    """Sagas filtered by plant and stage, from Temporal's visibility store (only the plants
    whose people table lists the caller)."""
    may_list(gw.settings, caller, plant)
    rows = await list_by(gw.client, "ProductionOrderWorkflow", {"Plant": plant, "SagaStage": stage})
    return visible_rows(gw.settings, caller, rows)
