"""Test and demo factories (not SAP APIs): demo master data, production orders, purchase
orders, and expiring CSRF sessions."""

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from refsystems.erp.api.production_orders import order_expander
from refsystems.erp.api.purchase_orders import po_expander
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.odata import QueryOptions, single
from refsystems.erp.rules import orders, purchasing
from refsystems.erp.schemas.entities import ProductionOrder
from refsystems.erp.schemas.purchasing import PurchaseOrder
from refsystems.erp.schemas.requests import ProductionOrderIn, PurchaseOrderIn
from refsystems.erp.seed import seed_demo

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/seed-demo", dependencies=[WriteLock])
def seed(session: SessionDep, ctx: Ctx) -> dict[str, list[str]]:
    """Load the demo master data, batches, stock and the (unreleased) demo order 1000001."""
    created = seed_demo(session, ctx)
    session.commit()
    return {"created": created}


@router.post("/production-orders", status_code=201, dependencies=[WriteLock])
def create_production_order(
    body: ProductionOrderIn, request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    """Create an order in status created (release it with the ReleaseOrder function import)."""
    order = orders.create(session, body, ctx)
    session.commit()
    expand = QueryOptions(expand=list(ProductionOrder.NAVIGATION))
    return single(
        request,
        ProductionOrder,
        ProductionOrder.model_validate(order),
        expand,
        order_expander(session),
    )


@router.post("/purchase-orders", status_code=201, dependencies=[WriteLock])
def create_purchase_order(
    body: PurchaseOrderIn, request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    """Create a purchase order with its items, ready for goods receipt."""
    order = purchasing.create(session, body, ctx)
    session.commit()
    expand = QueryOptions(expand=list(PurchaseOrder.NAVIGATION))
    entity = PurchaseOrder.model_validate(order)
    return single(request, PurchaseOrder, entity, expand, po_expander(session))


@router.delete("/csrf-tokens", status_code=204)
def expire_csrf_tokens(request: Request) -> Response:
    """Expire every CSRF token, as a Gateway session timeout would."""
    request.app.state.csrf_tokens.clear()
    return Response(status_code=204)


class GatewayIn(BaseModel):
    repeatable_requests: bool


@router.put("/gateway")
def set_gateway(request: Request, body: GatewayIn) -> GatewayIn:
    """Play a gateway with (or without) repeatable requests, as a plant's may be set up."""
    request.app.state.gateway.repeatable_requests = body.repeatable_requests
    return body


@router.get("/gateway")
def read_gateway(request: Request) -> GatewayIn:
    return GatewayIn(repeatable_requests=request.app.state.gateway.repeatable_requests)
