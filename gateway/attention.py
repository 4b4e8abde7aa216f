"""Operator actions on parked steps (and steps waiting out an outage), the same for every
saga: one saga at a time (each saga's router calls ``resolve``) or in bulk over every parked
or waiting saga matching a filter."""

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from canonical.plant_config import ConfigError
from gateway.acting import may_list, may_read, resolver
from gateway.deps import Gateway
from gateway.errors import raise_for_rpc, update_refused
from gateway.identity import Caller, plants_of
from gateway.listing import literal
from gateway.problems import UPDATE_ERRORS, check_path_ids, error_responses, problem
from workflows.attention import AttentionBody, AttentionResolution, SagaType
from workflows.operator import OperatorDesk, ResolutionOutcome
from workflows.outages import UNAVAILABLE, display_name

router = APIRouter(
    prefix="/attention",
    tags=["operator actions"],
    dependencies=[Depends(check_path_ids)],
    responses=error_responses(401, 403, 404, 422),
)


ID_PREFIXES = ("production-order-", "receipt-inspection-", "finished-goods-release-")

WORKFLOW_TYPES = {
    SagaType.PRODUCTION_ORDER: "ProductionOrderWorkflow",
    SagaType.RECEIPT: "SupplierReceiptInspectionWorkflow",
    SagaType.RELEASE: "FinishedGoodsReleaseWorkflow",
}


async def resolve(gw: Gateway, wf_id: str, resolution: AttentionResolution) -> ResolutionOutcome:
    """One saga's operator action; a refusal is a 409 naming why, a missing saga a 404."""
    try:
        return await gw.client.get_workflow_handle(wf_id).execute_update(
            OperatorDesk.resolve_attention, resolution
        )
    except WorkflowUpdateFailedError as err:
        raise update_refused(err) from err
    except RPCError as err:
        raise_for_rpc(wf_id, err)


class ParkedSaga(BaseModel):
    workflow_id: str
    workflow_type: str
    plant: str | None = None
    parked_systems: list[str] = Field(default_factory=list)
    parked_errors: list[str] = Field(default_factory=list)
    waiting_on: list[str] = Field(
        default_factory=list, description="Systems whose outage a step waits out (WaitingOn)"
    )


class BulkResolution(AttentionBody):
    """An action for every saga of a plant with a parked step (or open exception) matching
    the filter."""

    plant: str = Field(min_length=1, description="Bulk actions stay within one plant")
    saga_type: SagaType | None = None


class BulkItem(BaseModel):
    workflow_id: str
    outcome: ResolutionOutcome | None = None
    refused: str | None = None


class BulkOutcome(BaseModel):
    matched: int
    resolved: list[BulkItem] = Field(default_factory=list)
    refused: list[BulkItem] = Field(default_factory=list)


def attention_query(
    plant: str | None, saga_type: SagaType | None, system: str | None, error_type: str | None
) -> str:
    """Visibility narrows the sagas (parked, or waiting out an outage: ``WaitingOn``); the
    step filter is applied by each saga itself."""
    clauses = ["(NeedsAttention = true OR WaitingOn IS NOT NULL)", "ExecutionStatus = 'Running'"]
    if saga_type is not None:
        clauses.append(f"WorkflowType = '{WORKFLOW_TYPES[saga_type]}'")
    else:
        names = ", ".join(f"'{name}'" for name in WORKFLOW_TYPES.values())
        clauses.append(f"WorkflowType IN ({names})")
    if plant:
        clauses.append(f"Plant = '{literal('plant', plant)}'")
    if system:
        waiting_on = display_name(literal("system", system).replace("_", "-"))
        clauses.append(f"(ParkedSystem = '{system}' OR WaitingOn = '{waiting_on}')")
    if error_type:
        error = literal("error_type", error_type)
        waits = " OR WaitingOn IS NOT NULL" if error == UNAVAILABLE else ""
        clauses.append(f"(ParkedError = '{error}'{waits})")
    return " AND ".join(clauses)


async def parked_sagas(gw: Gateway, query: str) -> list[ParkedSaga]:
    rows = []
    async for wf in gw.client.list_workflows(query):
        attrs = {pair.key.name: pair.value for pair in wf.typed_search_attributes}
        rows.append(
            ParkedSaga(
                workflow_id=wf.id,
                workflow_type=wf.workflow_type,
                plant=attrs.get("Plant"),
                parked_systems=list(attrs.get("ParkedSystem") or []),
                parked_errors=list(attrs.get("ParkedError") or []),
                waiting_on=str(attrs.get("WaitingOn") or "").split(),
            )
        )
    return rows


@router.get("")
async def list_parked(
    gw: Gateway,
    caller: Caller,
    plant: str | None = None,
    saga_type: SagaType | None = None,
    system: str | None = None,
    error_type: str | None = None,
) -> list[ParkedSaga]:
    """Sagas with a step waiting for an operator, a step waiting out an outage (``WaitingOn``)
    or an open supervisor exception (only the plants whose people table lists the caller)."""
    may_list(gw.settings, caller, plant)
    rows = await parked_sagas(gw, attention_query(plant, saga_type, system, error_type))
    mine = plants_of(gw.settings, caller)
    return [saga for saga in rows if saga.plant in mine]


def saga_id(wf_id: str) -> str:
    if not wf_id.startswith(ID_PREFIXES):
        raise problem(
            404,
            "UnknownSaga",
            f"{wf_id} is not a production order, receipt inspection or release saga",
            field="workflow_id",
        )
    return wf_id


def plant_of(wf_id: str) -> str:
    """The plant in a saga's id (``<kind>-<plant>-...``; plant ids have no '-')."""
    prefix = next(p for p in ID_PREFIXES if wf_id.startswith(p))
    return wf_id[len(prefix) :].split("-", 1)[0]


@router.get("/sagas/{wf_id}")
async def show_one(gw: Gateway, caller: Caller, wf_id: str) -> dict[str, Any]:
    """One saga's parked steps, supervisor exceptions and operator actions."""
    may_read(gw.settings, caller, plant_of(saga_id(wf_id)))
    try:
        state = await gw.query(saga_id(wf_id), "state_query")
    except RPCError as err:
        raise_for_rpc(wf_id, err)
    fields = ("workflow_id", "plant", "parked", "waiting", "exceptions", "operator_actions")
    return {name: state.get(name) for name in fields if name in state}


@router.post("/sagas/{wf_id}", responses=UPDATE_ERRORS)
async def resolve_one(
    gw: Gateway, caller: Caller, wf_id: str, body: AttentionBody
) -> ResolutionOutcome:
    """The same action as each saga's own /attention route, by workflow id (as listed), as
    the token's supervisor or quality manager of the saga's plant."""
    operator = resolver(gw, caller, plant_of(saga_id(wf_id)), body.action)
    resolution = AttentionResolution(**body.model_dump(), operator=operator)
    return await resolve(gw, wf_id, resolution)


@router.post("/bulk", responses=error_responses(400, 413))
async def resolve_in_bulk(gw: Gateway, caller: Caller, request: BulkResolution) -> BulkOutcome:
    """Retry, skip, compensate or acknowledge on every matching saga of one plant, as the
    token's supervisor or quality manager of that plant. Each saga checks the operator's
    permission and the step filter itself; its refusal is listed, not raised."""
    try:
        gw.settings.plant(request.plant)
    except ConfigError as exc:
        raise problem(404, "UnknownPlant", str(exc), "plant") from None
    operator = resolver(gw, caller, request.plant, request.action)
    query = attention_query(request.plant, request.saga_type, request.system, request.error_type)
    sagas = await parked_sagas(gw, query)
    resolution = AttentionResolution.model_validate(
        {**request.model_dump(exclude={"plant", "saga_type"}), "operator": operator}
    )
    outcome = BulkOutcome(matched=len(sagas))
    for saga in sagas:
        handle = gw.client.get_workflow_handle(saga.workflow_id)
        try:
            result = await handle.execute_update(OperatorDesk.resolve_attention, resolution)
        except WorkflowUpdateFailedError as err:
            message = update_refused(err).detail
            refusal = message["message"] if isinstance(message, dict) else str(message)
            outcome.refused.append(BulkItem(workflow_id=saga.workflow_id, refused=refusal))
        except RPCError as err:  # finished since the listing
            outcome.refused.append(BulkItem(workflow_id=saga.workflow_id, refused=err.message))
        else:
            outcome.resolved.append(BulkItem(workflow_id=saga.workflow_id, outcome=result))
    return outcome
