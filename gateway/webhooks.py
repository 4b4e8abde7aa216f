"""Webhooks from ERP, MES, QMS and the supplier portal.

Every route takes the event through one dependency (``gateway.webhook_auth.SignedBy``): an
unsigned, wrongly signed or stale request is a 401, a replayed webhook id a 200 "duplicate",
and in neither case does anything reach Temporal. ERP triggers start sagas (update-with-start
on a business-key id, so a repeated trigger finds the running saga); MES and QMS events become
signals to the saga they belong to. A malformed event gets a 422 naming the field, and nothing
is started or signalled. When Temporal cannot take more right now the answer is a 503 with
Retry-After, never a 500.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException
from opentelemetry import trace
from temporalio.client import WorkflowExecutionStatus
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from adapters.errors import BusinessRefusal, EventRejected, SystemUnavailable
from adapters.registry import event_parser, informational_events
from canonical.commands import StockQuery
from canonical.events import (
    FinishedLotReceived,
    GoodsReceiptPosted,
    InspectionResultRecorded,
    PackagingVerified,
    ProductionOrderReleased,
    PurchaseOrderCancelled,
)
from gateway.deps import Gateway
from gateway.errors import raise_for_rpc
from gateway.problems import error_responses
from gateway.webhook_auth import SignedBy, SignedWebhook
from runtime.starts import (
    OVERLOADED,
    SagaBusy,
    start_production_order,
    start_receipt_inspection,
    start_release,
)
from runtime.telemetry import tag_correlation
from workflows import finished_goods, supplier_receipt
from workflows import search_attributes as sa
from workflows.finished_goods.messages import LabSignal, PackagingSignal
from workflows.finished_goods.workflow import FinishedGoodsReleaseWorkflow
from workflows.production_order import workflow_id
from workflows.production_order.messages import MesEventSignal
from workflows.production_order.workflow import ProductionOrderWorkflow
from workflows.supplier_receipt.cancellation import (
    PurchaseOrderCancellationWorkflow,
    cancellation_id,
)
from workflows.supplier_receipt.messages import PurchaseOrderCancelledSignal, QmsResultSignal
from workflows.supplier_receipt.workflow import SupplierReceiptInspectionWorkflow

router = APIRouter(
    prefix="/webhooks", tags=["webhooks"], responses=error_responses(400, 404, 413, 422, 503)
)
tracer = trace.get_tracer("plantflow.gateway")

EventType = Annotated[str | None, Header(alias="X-Event-Type")]
ErpWebhook = Annotated[SignedWebhook, Depends(SignedBy("erp"), scope="function")]
MesWebhook = Annotated[SignedWebhook, Depends(SignedBy("mes"), scope="function")]
QmsWebhook = Annotated[SignedWebhook, Depends(SignedBy("qms"), scope="function")]
LimsWebhook = Annotated[SignedWebhook, Depends(SignedBy("lims"), scope="function")]
PortalWebhook = Annotated[SignedWebhook, Depends(SignedBy("supplier_portal"), scope="function")]
RETRY_AFTER_SECONDS = 2

# The body is read (and its signature checked) by the dependency, so OpenAPI is told here.
SIGNED: dict[str, Any] = {
    "openapi_extra": {
        "parameters": [
            {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
            for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
        ],
        "requestBody": {
            "required": True,
            "description": "The event in the sending system's dialect, signed in the Standard "
            "Webhooks scheme (headers webhook-id, webhook-timestamp, webhook-signature)",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
    },
    "responses": {
        200: {"description": "A webhook id accepted before: no effect"},
        **error_responses(401, 503),
    },
}


def _busy(wf_id: str) -> HTTPException:
    return HTTPException(
        503,
        {"error": "TemporalBusy", "message": f"{wf_id} cannot take more right now; retry"},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _signal_failed(wf_id: str, err: RPCError) -> HTTPException:
    """A flooded saga (too many signals or updates at once) is a 503, not a 500."""
    if err.status == RPCStatusCode.RESOURCE_EXHAUSTED:
        return _busy(wf_id)
    raise_for_rpc(wf_id, err)


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


ERP_ROUTE: dict[str, Any] = {
    **SIGNED,
    "responses": {
        **SIGNED["responses"],
        409: {
            **error_responses(409)[409],
            "description": "ERP does not show the order released (OrderNotFound, "
            "OrderNotReleased): nothing started, the order number stays free; or a finished "
            "lot whose order was compensated (LotWithdrawn): no release starts",
        },
    },
}


@router.post("/erp", status_code=202, **ERP_ROUTE)
async def erp_event(gw: Gateway, hook: ErpWebhook, event_type: EventType = None) -> dict[str, Any]:
    """ERP business events: a production order released starts (or finds) its saga; a goods
    receipt for a purchase order starts the lot's inspection; a cancelled purchase order is
    signalled to the inspections of its receipts."""
    event = _parse(gw, "erp", hook.payload, event_type)
    if isinstance(event, GoodsReceiptPosted | FinishedLotReceived):
        await _require_known_lot(gw, event)
    try:
        return await _erp_event(gw, event)
    except SagaBusy as busy:
        raise _busy(busy.workflow_id) from busy
    except RPCError as err:
        if err.status in OVERLOADED:  # a lookup or a fan-out start turned away for load
            raise _busy("the saga") from err
        raise


async def _erp_event(gw: Gateway, event: Any) -> dict[str, Any]:
    if isinstance(event, ProductionOrderReleased):
        with tracer.start_as_current_span("erp production order released"):
            tag_correlation(event.correlation_id)
            started = await start_production_order(gw, event)
            if started["status"] == "refused":  # ERP does not have the order released
                raise HTTPException(409, started)
            return started
    if isinstance(event, GoodsReceiptPosted):
        with tracer.start_as_current_span("erp goods receipt posted"):
            tag_correlation(event.correlation_id)
            return await start_receipt_inspection(gw, event)
    if isinstance(event, FinishedLotReceived):
        with tracer.start_as_current_span("erp finished lot received"):
            tag_correlation(event.correlation_id)
            withdrawn = await _withdrawn_lot(gw, event)
            if withdrawn:
                raise HTTPException(
                    409,
                    {"status": "refused", "error": "LotWithdrawn", "message": withdrawn},
                )
            if await _has_production_saga(gw, event):
                return {
                    "status": "ignored",
                    "reason": "its production-order saga starts the release",
                }
            return await start_release(gw, event)
    if isinstance(event, PurchaseOrderCancelled):
        with tracer.start_as_current_span("erp purchase order cancelled"):
            tag_correlation(event.correlation_id)
            return await purchase_order_cancelled(gw, event)
    return {"status": "ignored", "reason": f"no saga acts on {type(event).__name__}"}


async def _require_known_lot(gw: Gateway, event: GoodsReceiptPosted | FinishedLotReceived) -> None:
    """A receipt of a material (and batch) ERP does not know is refused before any saga starts:
    ERP, not the webhook, is the record of what exists."""
    query = StockQuery(plant=event.plant, item_id=event.item_id, lot_id=event.lot_id)
    try:
        await gw.erp().get_lot_stock(query)
    except BusinessRefusal as exc:  # NotFound, UnknownLot: ERP has no such material or batch
        message = (
            f"ERP knows no batch {event.lot_id} of material {event.item_id} in plant "
            f"{event.plant} ({exc.reason})"
        )
        raise HTTPException(
            422, {"error": "UnknownMaterial", "field": "data.Material", "message": message}
        ) from None
    except SystemUnavailable as exc:
        retry = str(round(exc.retry_after or 5))
        raise HTTPException(
            503, {"error": "SystemUnavailable", "message": str(exc)}, {"Retry-After": retry}
        ) from None


async def _search_attribute(gw: Gateway, wf_id: str, key: Any) -> str | None:
    """A saga's search attribute, or None if there is no such saga."""
    try:
        description = await gw.client.get_workflow_handle(wf_id).describe()
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    value = description.typed_search_attributes.get(key)
    return str(value) if value is not None else None


async def _withdrawn_lot(gw: Gateway, event: FinishedLotReceived) -> str | None:
    """Why a finished lot may not be released: its release was withdrawn, or its order's
    saga was compensated (the lot stays blocked). None when it may."""
    release_id = finished_goods.workflow_id(event.plant, event.item_id, event.lot_id)
    if await _search_attribute(gw, release_id, sa.RELEASE_STATUS) == "withdrawn":
        return (
            f"lot {event.lot_id} of {event.item_id} was withdrawn ({release_id}): its order "
            "was compensated, so the lot is blocked and is not released"
        )
    if event.order_id:
        order_saga = workflow_id(event.plant, event.order_id)
        if await _search_attribute(gw, order_saga, sa.SAGA_STAGE) == "compensated":
            return (
                f"order {event.order_id} was compensated ({order_saga}): its lot "
                f"{event.lot_id} is blocked and is not released"
            )
    return None


async def _has_production_saga(gw: Gateway, event: FinishedLotReceived) -> bool:
    """Lots made under a production-order saga are released by it (one trigger, one
    correlation id); lots produced elsewhere (no saga, or one that refused the order) are
    started from ERP's receipt event."""
    if not event.order_id:
        return False
    handle = gw.client.get_workflow_handle(workflow_id(event.plant, event.order_id))
    try:
        description = await handle.describe()
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return description.status in (
        WorkflowExecutionStatus.RUNNING,
        WorkflowExecutionStatus.COMPLETED,
    )


async def purchase_order_cancelled(gw: Gateway, event: PurchaseOrderCancelled) -> dict[str, Any]:
    """Hand the cancellation to a durable fan-out that signals each receipt's saga."""
    wf_id = cancellation_id(event.plant, event.purchase_order)
    try:
        await gw.client.start_workflow(
            PurchaseOrderCancellationWorkflow.run,
            PurchaseOrderCancelledSignal(event=event),
            id=wf_id,
            task_queue=gw.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            static_summary=f"Purchase order {event.purchase_order} cancelled · plant {event.plant}",
        )
    except WorkflowAlreadyStartedError:
        return {"workflow_id": wf_id, "status": "duplicate", "started": False}
    return {"workflow_id": wf_id, "status": "started", "started": True}


@router.post("/mes", status_code=202, **SIGNED)
async def mes_event(gw: Gateway, hook: MesWebhook, event_type: EventType = None) -> dict[str, Any]:
    """MES execution events, signalled to the order's saga (which drops duplicates).
    State-change notices the saga caused itself (held, released...) are acknowledged only."""
    kind = _kind(hook.payload, event_type)
    if kind in informational_events(gw.settings, "mes"):
        return {"status": "ignored", "reason": f"{kind} is informational"}
    event = _parse(gw, "mes", hook.payload, event_type)
    if isinstance(event, PackagingVerified):
        return await _signal_release(
            gw,
            event,
            FinishedGoodsReleaseWorkflow.on_packaging_verified,
            PackagingSignal(event=event),
        )
    wf_id = workflow_id(event.plant, event.order_id)
    with tracer.start_as_current_span(f"mes {event.kind}"):
        tag_correlation(event.correlation_id)
        try:
            await gw.client.get_workflow_handle(wf_id).signal(
                ProductionOrderWorkflow.on_mes_event, MesEventSignal(event=event)
            )
        except RPCError as err:
            raise _signal_failed(wf_id, err) from err
    return {"workflow_id": wf_id, "status": "signalled", "event_id": event.event_id}


@router.post("/qms", status_code=202, **SIGNED)
async def qms_event(gw: Gateway, hook: QmsWebhook, event_type: EventType = None) -> dict[str, Any]:
    """QMS events. Results on goods-receipt lots are signalled to the lot's inspection saga;
    production results already reach their saga through its own QMS calls, so those (and
    notices the sagas caused themselves) are acknowledged only."""
    kind = _kind(hook.payload, event_type)
    if kind in informational_events(gw.settings, "qms"):
        return {"status": "ignored", "reason": f"{kind} is informational"}
    event = _parse(gw, "qms", hook.payload, event_type)
    if not (
        isinstance(event, InspectionResultRecorded)
        and event.origin == "goods_receipt"
        and event.item_id
        and event.lot_id
    ):
        return {"status": "noted", "event_id": event.event_id, "kind": event.kind}
    wf_id = supplier_receipt.workflow_id(event.plant, event.item_id, event.lot_id)
    with tracer.start_as_current_span("qms receipt result"):
        tag_correlation(event.correlation_id)
        try:
            await gw.client.get_workflow_handle(wf_id).signal(
                SupplierReceiptInspectionWorkflow.on_qms_result, QmsResultSignal(event=event)
            )
        except RPCError as err:
            raise _signal_failed(wf_id, err) from err
    return {"workflow_id": wf_id, "status": "signalled", "event_id": event.event_id}


@router.post("/lims", status_code=202, **SIGNED)
async def lims_event(
    gw: Gateway, hook: LimsWebhook, event_type: EventType = None
) -> dict[str, Any]:
    """LIMS events: authorised results are signalled to the lot's release saga."""
    kind = _kind(hook.payload, event_type)
    if kind in informational_events(gw.settings, "lims"):
        return {"status": "ignored", "reason": f"{kind} is informational"}
    event = _parse(gw, "lims", hook.payload, event_type)
    return await _signal_release(
        gw, event, FinishedGoodsReleaseWorkflow.on_lab_results, LabSignal(event=event)
    )


async def _signal_release(gw: Gateway, event: Any, signal: Any, body: Any) -> dict[str, Any]:
    wf_id = finished_goods.workflow_id(event.plant, event.item_id, event.lot_id)
    with tracer.start_as_current_span(f"release checkpoint {type(event).__name__}"):
        tag_correlation(event.correlation_id)
        try:
            await gw.client.get_workflow_handle(wf_id).signal(signal, body)
        except RPCError as err:
            raise _signal_failed(wf_id, err) from err
    return {"workflow_id": wf_id, "status": "signalled", "event_id": event.event_id}


@router.post("/supplier-portal", status_code=202, **SIGNED)
async def supplier_portal_event(
    hook: PortalWebhook, event_type: EventType = None
) -> dict[str, Any]:
    """Supplier portal notices (SCARs, scorecards): no saga waits on them; acknowledged."""
    return {"status": "noted", "kind": _kind(hook.payload, event_type)}
