"""People's side of a receipt-inspection saga: its state, quality overrides, parked steps."""

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
from workflows.attention import AttentionBody, AttentionResolution
from workflows.operator import ResolutionOutcome
from workflows.supplier_receipt import workflow_id
from workflows.supplier_receipt.messages import (
    OverrideBody,
    OverrideRequest,
    ReceiptDecision,
    ReceiptState,
)
from workflows.supplier_receipt.workflow import SupplierReceiptInspectionWorkflow

router = APIRouter(
    prefix="/receipts",
    tags=["supplier receipts"],
    dependencies=[Depends(check_path_ids)],
    responses=error_responses(401, 403, 404, 422),
)


@router.get("")
async def list_receipts(
    gw: Gateway,
    caller: Caller,
    plant: str | None = None,
    status: str | None = None,
    supplier: str | None = None,
) -> list[dict[str, Any]]:
    """Receipt inspections by plant, status (e.g. awaiting_results) and supplier (only the
    plants whose people table lists the caller)."""
    may_list(gw.settings, caller, plant)
    rows = await list_by(
        gw.client,
        "SupplierReceiptInspectionWorkflow",
        {"Plant": plant, "InspectionStatus": status, "Supplier": supplier},
    )
    return visible_rows(gw.settings, caller, rows)


@router.get("/{plant}/{item}/{lot}")
async def get_state(gw: Gateway, caller: Caller, plant: str, item: str, lot: str) -> ReceiptState:
    """One received lot's inspection: sample plan, tally, decision and audit trail."""
    may_read(gw.settings, caller, plant)
    wf_id = workflow_id(plant, item, lot)
    try:
        state: ReceiptState = await gw.query(wf_id, SupplierReceiptInspectionWorkflow.state_query)
        return state
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.post("/{plant}/{item}/{lot}/override", responses=UPDATE_ERRORS)
async def override(
    gw: Gateway, caller: Caller, plant: str, item: str, lot: str, body: OverrideBody
) -> ReceiptDecision:
    """A quality engineer's signed decision (accept, reject or partial) replacing the computed
    one, as the token's person. Refused with 409 for a lot already decided or a digest of
    another record."""
    fields = signer(gw, caller, plant, "sign a receipt decision")
    request = OverrideRequest(**body.model_dump(), **fields, engineer=caller.user_id)
    wf_id = workflow_id(plant, item, lot)
    try:
        return await gw.client.get_workflow_handle(wf_id).execute_update(
            SupplierReceiptInspectionWorkflow.override_decision, request
        )
    except WorkflowUpdateFailedError as err:
        raise update_refused(err) from err
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.post("/{plant}/{item}/{lot}/attention", responses=UPDATE_ERRORS)
async def resolve_attention(
    gw: Gateway, caller: Caller, plant: str, item: str, lot: str, body: AttentionBody
) -> ResolutionOutcome:
    """Retry or skip parked steps, or compensate the inspection, as the token's supervisor or
    quality manager (409 when refused)."""
    operator = resolver(gw, caller, plant, body.action)
    resolution = AttentionResolution(**body.model_dump(), operator=operator)
    return await resolve(gw, workflow_id(plant, item, lot), resolution)
