"""API_PURCHASEORDER_PROCESS_SRV (purchase orders and items; an item is cancelled by a
PATCH or MERGE of PurchasingDocumentDeletionCode 'L') and API_BUSINESS_PARTNER's
A_Supplier (read only)."""

from fastapi import Request, Response
from sqlmodel import Session, col, select

from refsystems.erp.api.entity_sets import add_entity_set, add_unkept_sets
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.etags import require_match
from refsystems.erp.odata import Expander, parse_key, service_router
from refsystems.erp.purchasing_tables import PurchaseOrderItemRow, PurchaseOrderRow, SupplierRow
from refsystems.erp.rules import purchasing
from refsystems.erp.schemas.base import ODataEntity
from refsystems.erp.schemas.purchasing import (
    BUSINESS_PARTNER_SRV,
    PURCHASE_ORDER_SRV,
    PurchaseOrder,
    PurchaseOrderItem,
    Supplier,
)
from refsystems.erp.schemas.requests import PurchaseOrderItemPatch

router = service_router(PURCHASE_ORDER_SRV, ["A_PurchaseOrder", "A_PurchaseOrderItem"])
supplier_router = service_router(BUSINESS_PARTNER_SRV, ["A_Supplier"])


def po_expander(session: Session) -> Expander:
    def expand(entity: ODataEntity, _nav: str) -> list[ODataEntity]:
        assert isinstance(entity, PurchaseOrder)
        items = purchasing.items_of(session, entity.PurchaseOrder)
        return [PurchaseOrderItem.model_validate(item) for item in items]

    return expand


add_entity_set(
    router,
    PurchaseOrder,
    rows=lambda s: select(PurchaseOrderRow).order_by(col(PurchaseOrderRow.PurchaseOrder)),
    one=lambda s, key: purchasing.get_purchase_order(s, key["PurchaseOrder"]),
    expander=po_expander,
)
add_entity_set(
    router,
    PurchaseOrderItem,
    rows=lambda s: select(PurchaseOrderItemRow).order_by(
        col(PurchaseOrderItemRow.PurchaseOrder), col(PurchaseOrderItemRow.PurchaseOrderItem)
    ),
    one=lambda s, key: purchasing.get_item(s, key["PurchaseOrder"], key["PurchaseOrderItem"]),
)
add_entity_set(
    supplier_router,
    Supplier,
    rows=lambda s: select(SupplierRow).order_by(col(SupplierRow.Supplier)),
    one=lambda s, key: purchasing.get_supplier(s, key["Supplier"]),
)


# MERGE (SAP's OData V2 update verb) runs the same handler; OpenAPI has no MERGE, so only
# PATCH is documented (one route with both methods repeated its operation id).
@router.api_route(
    "/A_PurchaseOrderItem({key})",
    methods=["MERGE"],
    status_code=204,
    dependencies=[WriteLock],
    include_in_schema=False,
)
@router.patch("/A_PurchaseOrderItem({key})", status_code=204, dependencies=[WriteLock])
def update_item(
    key: str, body: PurchaseOrderItemPatch, request: Request, session: SessionDep, ctx: Ctx
) -> Response:
    """Cancel ('L') or restore ('') a PO item; the last cancelled item cancels the order.
    Needs the item's ETag in If-Match."""
    ids = parse_key(key, PurchaseOrderItem.KEYS, "A_PurchaseOrderItem")
    current = purchasing.get_item(session, ids["PurchaseOrder"], ids["PurchaseOrderItem"])
    require_match(request, PurchaseOrderItem.model_validate(current))
    purchasing.set_deletion_code(
        session,
        ids["PurchaseOrder"],
        ids["PurchaseOrderItem"],
        body.PurchasingDocumentDeletionCode,
        ctx,
    )
    session.commit()
    return Response(status_code=204)


add_unkept_sets(router, PURCHASE_ORDER_SRV)
