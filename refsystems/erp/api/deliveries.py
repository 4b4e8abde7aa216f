"""API_OUTBOUND_DELIVERY_SRV: deliveries and their items; the delivery block (PATCH or
MERGE of DeliveryBlockReason) and PostGoodsIssue, which a block stops."""

from typing import Any

from fastapi import Request, Response
from sqlmodel import Session, col, select

from refsystems.erp.api.entity_sets import add_entity_set, add_unkept_sets
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.etags import require_match
from refsystems.erp.odata import (
    Expander,
    datetime_param,
    function_param,
    parse_key,
    service_router,
)
from refsystems.erp.rules import deliveries
from refsystems.erp.schemas.entities import (
    OUTBOUND_DELIVERY_SRV,
    ODataEntity,
    OutbDeliveryHeader,
    OutbDeliveryItem,
)
from refsystems.erp.schemas.requests import DeliveryHeaderPatch
from refsystems.erp.tables import DeliveryItemRow, DeliveryRow

router = service_router(OUTBOUND_DELIVERY_SRV, ["A_OutbDeliveryHeader", "A_OutbDeliveryItem"])


def _expander(session: Session) -> Expander:
    def expand(entity: ODataEntity, _nav: str) -> list[ODataEntity]:
        assert isinstance(entity, OutbDeliveryHeader)
        items = deliveries.items_of(session, entity.DeliveryDocument)
        return [OutbDeliveryItem.model_validate(item) for item in items]

    return expand


add_entity_set(
    router,
    OutbDeliveryHeader,
    rows=lambda s: select(DeliveryRow).order_by(col(DeliveryRow.DeliveryDocument)),
    one=lambda s, key: deliveries.get_delivery(s, key["DeliveryDocument"]),
    expander=_expander,
)
add_entity_set(
    router,
    OutbDeliveryItem,
    rows=lambda s: select(DeliveryItemRow).order_by(
        col(DeliveryItemRow.DeliveryDocument), col(DeliveryItemRow.DeliveryDocumentItem)
    ),
)


# MERGE (SAP's OData V2 update verb) runs the same handler; OpenAPI has no MERGE, so only
# PATCH is documented (one route with both methods repeated its operation id).
@router.api_route(
    "/A_OutbDeliveryHeader({key})",
    methods=["MERGE"],
    status_code=204,
    dependencies=[WriteLock],
    include_in_schema=False,
)
@router.patch("/A_OutbDeliveryHeader({key})", status_code=204, dependencies=[WriteLock])
def update_delivery(
    key: str, body: DeliveryHeaderPatch, request: Request, session: SessionDep, ctx: Ctx
) -> Response:
    """Set or lift the delivery block ('' = no block); needs the header's ETag in If-Match."""
    number = parse_key(key, OutbDeliveryHeader.KEYS, "A_OutbDeliveryHeader")["DeliveryDocument"]
    require_match(
        request, OutbDeliveryHeader.model_validate(deliveries.get_delivery(session, number))
    )
    deliveries.set_block(session, number, body.DeliveryBlockReason, ctx)
    session.commit()
    return Response(status_code=204)


@router.post("/PostGoodsIssue", dependencies=[WriteLock])
def post_goods_issue(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    """Ship the delivery: refused while it is blocked or its batch is restricted. Answers, as
    S/4HANA does, with its picking report: one success message per item."""
    delivery = deliveries.post_goods_issue(
        session, function_param(request, "DeliveryDocument"), ctx
    )
    session.commit()
    report = [
        {
            "__metadata": {"type": f"{OUTBOUND_DELIVERY_SRV}.PickingReport"},
            "SystemMessageIdentification": "VL",
            "SystemMessageNumber": "311",
            "SystemMessageType": "S",
            "SystemMessageVariable1": delivery.DeliveryDocument,
            "SystemMessageVariable2": "",
            "SystemMessageVariable3": "",
            "SystemMessageVariable4": "",
            "Batch": item.Batch,
            "DeliveryQuantityUnit": item.DeliveryQuantityUnit,
            "ActualDeliveryQuantity": f"{item.ActualDeliveryQuantity:.3f}",
            "DeliveryDocumentItemText": "",
            "Material": item.Material,
            "DeliveryDocumentItem": item.DeliveryDocumentItem,
            "DeliveryDocument": item.DeliveryDocument,
        }
        for item in deliveries.items_of(session, delivery.DeliveryDocument)
    ]
    return {"d": {"results": report}}


@router.post("/ReverseGoodsIssue", dependencies=[WriteLock])
def reverse_goods_issue(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    """Reverse the delivery's goods issue; answers S/4's Return messages."""
    number = function_param(request, "DeliveryDocument")
    datetime_param(request, "ActualGoodsMovementDate")  # validated; stock moves today
    delivery = deliveries.reverse_goods_issue(session, number, ctx)
    session.commit()
    message = {
        "__metadata": {"type": f"{OUTBOUND_DELIVERY_SRV}.Return"},
        "CollectiveProcessing": "",
        "DeliveryDocument": delivery.DeliveryDocument,
        "DeliveryDocumentItem": "",
        "ScheduleLine": "",
        "CollectiveProcessingMsgCounter": "",
        "SystemMessageIdentification": "VL",
        "SystemMessageNumber": "311",
        "SystemMessageType": "S",
        "SystemMessageVariable1": delivery.DeliveryDocument,
        "SystemMessageVariable2": "",
        "SystemMessageVariable3": "",
        "SystemMessageVariable4": "",
        "CollectiveProcessingType": "",
    }
    return {"d": {"results": [message]}}


add_unkept_sets(router, OUTBOUND_DELIVERY_SRV)
