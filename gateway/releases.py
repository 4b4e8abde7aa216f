"""People's side of a finished-goods release: state, audit trail, certificate, approval."""

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from canonical.commands import LotQuery
from gateway.acting import may_list, may_read, resolver, signer, visible_rows
from gateway.attention import resolve
from gateway.deps import Gateway
from gateway.errors import raise_for_rpc, update_refused
from gateway.identity import Caller
from gateway.listing import list_by
from gateway.problems import UPDATE_ERRORS, check_path_ids, error_responses
from workflows.attention import AttentionBody, AttentionResolution
from workflows.finished_goods import workflow_id
from workflows.finished_goods.messages import (
    AuditEntry,
    ReconcileRequest,
    ReleaseApproval,
    ReleaseApprovalBody,
    ReleaseState,
)
from workflows.finished_goods.workflow import FinishedGoodsReleaseWorkflow
from workflows.operator import ResolutionOutcome

router = APIRouter(
    prefix="/releases",
    tags=["finished goods release"],
    dependencies=[Depends(check_path_ids)],
    responses=error_responses(401, 403, 404, 422),
)


@router.get("")
async def list_releases(
    gw: Gateway, caller: Caller, plant: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Lots by release status (e.g. awaiting_checkpoints, awaiting_approval), with the
    checkpoints each still waits for (only the plants whose people table lists the caller)."""
    may_list(gw.settings, caller, plant)
    rows = await list_by(
        gw.client, "FinishedGoodsReleaseWorkflow", {"Plant": plant, "ReleaseStatus": status}
    )
    return visible_rows(gw.settings, caller, rows)


@router.get("/{plant}/{item}/{lot}")
async def get_state(gw: Gateway, caller: Caller, plant: str, item: str, lot: str) -> ReleaseState:
    """The lot's release: each checkpoint's state, the decision, the audit trail."""
    may_read(gw.settings, caller, plant)
    wf_id = workflow_id(plant, item, lot)
    try:
        state: ReleaseState = await gw.query(wf_id, FinishedGoodsReleaseWorkflow.state_query)
        return state
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.get("/{plant}/{item}/{lot}/audit")
async def get_audit(
    gw: Gateway, caller: Caller, plant: str, item: str, lot: str
) -> list[AuditEntry]:
    """Every checkpoint, decision and system update of the lot's release, oldest first."""
    return (await get_state(gw, caller, plant, item, lot)).audit


@router.get(
    "/{plant}/{item}/{lot}/certificate",
    # A plain Response, so the error bodies stay application/json in the OpenAPI document.
    response_class=Response,
    responses={200: {"content": {"text/html": {}}, "description": "The certificate as kept"}},
)
async def get_certificate(gw: Gateway, caller: Caller, plant: str, item: str, lot: str) -> Response:
    """The lot's certificate of analysis, as the QMS keeps it (404 until the lot is released)."""
    may_read(gw.settings, caller, plant)
    certificate = await gw.qms().get_certificate(LotQuery(plant=plant, item_id=item, lot_id=lot))
    if certificate is None:
        raise HTTPException(
            404, f"no certificate of analysis for {item} lot {lot} in plant {plant}"
        )
    return Response(certificate.content, media_type=certificate.media_type)


async def _update(gw: Gateway, wf_id: str, update: Any, body: Any) -> Any:
    try:
        return await gw.client.get_workflow_handle(wf_id).execute_update(update, body)
    except WorkflowUpdateFailedError as err:
        raise update_refused(err) from err
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.post("/{plant}/{item}/{lot}/approval", responses=UPDATE_ERRORS)
async def approve(
    gw: Gateway, caller: Caller, plant: str, item: str, lot: str, body: ReleaseApprovalBody
) -> dict[str, Any]:
    """Sign the release (approve or reject) as the token's person. 409 with the reason when
    refused: not every checkpoint done, the approver produced the lot's records, or a digest
    of another record."""
    fields = signer(gw, caller, plant, "sign a release decision")
    request = ReleaseApproval(**body.model_dump(), **fields, approver=caller.user_id)
    wf_id = workflow_id(plant, item, lot)
    signature = await _update(gw, wf_id, FinishedGoodsReleaseWorkflow.approve_release, request)
    result: dict[str, Any] = signature.model_dump(mode="json")
    return result


@router.post("/{plant}/{item}/{lot}/reconcile", responses=UPDATE_ERRORS)
async def reconcile(gw: Gateway, caller: Caller, plant: str, item: str, lot: str) -> ReleaseState:
    """Ask each system with a pending checkpoint for its answer now (a missed event)."""
    may_read(gw.settings, caller, plant)
    request = ReconcileRequest(requested_by=caller.user_id)
    wf_id = workflow_id(plant, item, lot)
    state: ReleaseState = await _update(
        gw, wf_id, FinishedGoodsReleaseWorkflow.request_reconcile, request
    )
    return state


@router.post("/{plant}/{item}/{lot}/attention", responses=UPDATE_ERRORS)
async def resolve_attention(
    gw: Gateway, caller: Caller, plant: str, item: str, lot: str, body: AttentionBody
) -> ResolutionOutcome:
    """Retry or skip parked steps, or stop the release, as the token's supervisor or quality
    manager (409 when refused)."""
    operator = resolver(gw, caller, plant, body.action)
    resolution = AttentionResolution(**body.model_dump(), operator=operator)
    return await resolve(gw, workflow_id(plant, item, lot), resolution)
