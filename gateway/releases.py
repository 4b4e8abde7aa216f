"""People's side of a finished-goods release: state, audit trail, certificate, approval."""

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from canonical.commands import LotQuery
from gateway.attention import resolve
from gateway.deps import Gateway
from gateway.errors import raise_for_rpc, update_refused
from gateway.listing import list_by
from gateway.problems import UPDATE_ERRORS, check_path_ids, error_responses
from workflows.attention import AttentionResolution
from workflows.finished_goods import workflow_id
from workflows.finished_goods.messages import (
    AuditEntry,
    ReconcileRequest,
    ReleaseApproval,
    ReleaseState,
)
from workflows.finished_goods.workflow import FinishedGoodsReleaseWorkflow
from workflows.operator import ResolutionOutcome

router = APIRouter(
    prefix="/releases",
    tags=["finished goods release"],
    dependencies=[Depends(check_path_ids)],
    responses=error_responses(404, 422),
)


@router.get("")
async def list_releases(
    gw: Gateway, plant: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Lots by release status (e.g. awaiting_checkpoints, awaiting_approval), with the
    checkpoints each still waits for."""
    return await list_by(
        gw.client, "FinishedGoodsReleaseWorkflow", {"Plant": plant, "ReleaseStatus": status}
    )


@router.get("/{plant}/{item}/{lot}")
async def get_state(gw: Gateway, plant: str, item: str, lot: str) -> ReleaseState:
    """The lot's release: each checkpoint's state, the decision, the audit trail."""
    wf_id = workflow_id(plant, item, lot)
    try:
        return await gw.client.get_workflow_handle(wf_id).query(
            FinishedGoodsReleaseWorkflow.state_query
        )
    except RPCError as err:
        raise_for_rpc(wf_id, err)


@router.get("/{plant}/{item}/{lot}/audit")
async def get_audit(gw: Gateway, plant: str, item: str, lot: str) -> list[AuditEntry]:
    """Every checkpoint, decision and system update of the lot's release, oldest first."""
    return (await get_state(gw, plant, item, lot)).audit


@router.get(
    "/{plant}/{item}/{lot}/certificate",
    # A plain Response, so the error bodies stay application/json in the OpenAPI document.
    response_class=Response,
    responses={200: {"content": {"text/html": {}}, "description": "The certificate as kept"}},
)
async def get_certificate(gw: Gateway, plant: str, item: str, lot: str) -> Response:
    """The lot's certificate of analysis, as the QMS keeps it (404 until the lot is released)."""
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
    gw: Gateway, plant: str, item: str, lot: str, request: ReleaseApproval
) -> dict[str, Any]:
    """Sign the release (approve or reject). 409 with the reason when refused: not every
    checkpoint done, no quality role, or the approver produced the lot's records."""
    wf_id = workflow_id(plant, item, lot)
    signature = await _update(gw, wf_id, FinishedGoodsReleaseWorkflow.approve_release, request)
    result: dict[str, Any] = signature.model_dump(mode="json")
    return result


@router.post("/{plant}/{item}/{lot}/reconcile", responses=UPDATE_ERRORS)
async def reconcile(
    gw: Gateway, plant: str, item: str, lot: str, request: ReconcileRequest
) -> ReleaseState:
    """Ask each system with a pending checkpoint for its answer now (a missed event)."""
    wf_id = workflow_id(plant, item, lot)
    state: ReleaseState = await _update(
        gw, wf_id, FinishedGoodsReleaseWorkflow.request_reconcile, request
    )
    return state


@router.post("/{plant}/{item}/{lot}/attention", responses=UPDATE_ERRORS)
async def resolve_attention(
    gw: Gateway, plant: str, item: str, lot: str, resolution: AttentionResolution
) -> ResolutionOutcome:
    """Retry or skip parked steps, or stop the release (409 when refused)."""
    return await resolve(gw, workflow_id(plant, item, lot), resolution)
