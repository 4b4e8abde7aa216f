"""A planner's (and warehouse clerk's) client for the reference ERP, used by the CLI, the
demo and tests: load the demo data, create orders and release them the way a planner
does in S/4HANA (ReleaseOrder, with SAP's CSRF handshake), post the goods receipt of a
finished lot against an order, create purchase orders, post the goods receipt of a
delivery against one, and cancel one (deletion code 'L')."""

from decimal import Decimal
from typing import Any

import httpx

from adapters.erp_sap.codes import refusal_code
from adapters.erp_sap.odata import (
    ODataSession,
    edm_datetime,
    edm_decimal,
    function_params,
    key,
    today,
)
from adapters.erp_sap.repeatability import CreationTimes
from adapters.http import CORRELATION_HEADER, send

PRODUCTION_ORDERS = "API_PRODUCTION_ORDER_2_SRV"
PURCHASE_ORDERS = "API_PURCHASEORDER_PROCESS_SRV"
MATERIAL_DOCUMENTS = "API_MATERIAL_DOCUMENT_SRV"

_CREATION_TIMES = CreationTimes()


def _headers(idempotency_key: str | None, correlation_id: str) -> dict[str, str]:
    """With a key, the write is a repeatable request (its RequestID derived from the key)."""
    headers = {CORRELATION_HEADER: correlation_id} if correlation_id else {}
    if idempotency_key:
        headers.update(_CREATION_TIMES.headers(idempotency_key))
    return headers


async def seed_demo(base_url: str, client: httpx.AsyncClient) -> list[str]:
    """Load the demo master data and order 1000001 (idempotent); returns what was created."""
    response = await send(
        client, "erp", "POST", f"{base_url.rstrip('/')}/admin/seed-demo", refusal_code
    )
    created: list[str] = response.json()["created"]
    return created


async def create_order(
    base_url: str, order: dict[str, Any], client: httpx.AsyncClient
) -> dict[str, Any]:
    """Create a production order (ERP dialect body, see ProductionOrderIn); status created."""
    response = await send(
        client,
        "erp",
        "POST",
        f"{base_url.rstrip('/')}/admin/production-orders",
        refusal_code,
        json=order,
    )
    created: dict[str, Any] = response.json()["d"]
    return created


async def release_order(
    base_url: str,
    order_id: str,
    client: httpx.AsyncClient,
    idempotency_key: str | None = None,
    correlation_id: str = "",
) -> dict[str, Any]:
    """Release the order (ReleaseOrder); the ERP then emits ProductionOrder.Released.

    Without an idempotency key, releasing twice is refused (OrderAlreadyReleased)."""
    session = ODataSession(client, base_url, refusal_code)
    response = await session.write(
        "POST",
        PRODUCTION_ORDERS,
        "ReleaseOrder",
        _headers(idempotency_key, correlation_id),
        params=function_params(ManufacturingOrder=order_id),
    )
    message: dict[str, Any] = response.json()["d"]["ReleaseOrder"]
    return message


async def post_production_goods_receipt(
    base_url: str,
    order_id: str,
    batch: str,
    quantity: Decimal | str,
    unit: str,
    client: httpx.AsyncClient,
    to_quality_inspection: bool = True,
    idempotency_key: str | None = None,
    correlation_id: str = "",
) -> dict[str, Any]:
    """Receive a finished lot against a released production order (movement 101,
    GoodsMovementCode 02), into quality-inspection stock unless told otherwise (blocked if
    the batch is restricted); the ERP then emits MaterialDocument.Created naming the order.
    ``batch`` must be the order's output batch, ``unit`` an ERP unit (ST). Returns the
    material document with its items."""
    session = ODataSession(client, base_url, refusal_code)
    order = await session.get(
        PRODUCTION_ORDERS, f"A_ProductionOrder_2{key(order_id)}", correlation_id=correlation_id
    )
    item = {
        "Material": order["Material"],
        "Plant": order["ProductionPlant"],
        "StorageLocation": order["StorageLocation"],
        "Batch": batch,
        "GoodsMovementType": "101",
        "GoodsMovementRefDocType": "F",
        "ManufacturingOrder": order_id,
        "QuantityInEntryUnit": edm_decimal(Decimal(quantity)),
        "EntryUnit": unit,
        "InventoryUsabilityCode": "X" if to_quality_inspection else "",
    }
    return await _post_material_document(
        session, "02", item, _headers(idempotency_key, correlation_id)
    )


async def _post_material_document(
    session: ODataSession, code: str, item: dict[str, str], headers: dict[str, str]
) -> dict[str, Any]:
    body = {
        "GoodsMovementCode": code,
        "PostingDate": edm_datetime(today()),
        "DocumentDate": edm_datetime(today()),
        "to_MaterialDocumentItem": [item],
    }
    response = await session.write(
        "POST", MATERIAL_DOCUMENTS, "A_MaterialDocumentHeader", headers, json=body
    )
    document: dict[str, Any] = response.json()["d"]
    return document


async def create_purchase_order(
    base_url: str, body: dict[str, Any], client: httpx.AsyncClient
) -> dict[str, Any]:
    """Create a purchase order (ERP dialect body, see PurchaseOrderIn); answers it with items."""
    response = await send(
        client,
        "erp",
        "POST",
        f"{base_url.rstrip('/')}/admin/purchase-orders",
        refusal_code,
        json=body,
    )
    created: dict[str, Any] = response.json()["d"]
    return created


async def post_po_goods_receipt(
    base_url: str,
    purchase_order: str,
    item: str,
    batch: str,
    quantity: Decimal | str,
    unit: str,
    client: httpx.AsyncClient,
    idempotency_key: str | None = None,
    correlation_id: str = "",
) -> dict[str, Any]:
    """Receive a supplier's delivery against a PO item (movement 101, GoodsMovementCode 01)
    into the stock the ERP keeps for the item (quality inspection for the demo items); the
    ERP then emits MaterialDocument.Created. ``unit`` is the ERP unit (KG, ST). Returns the material
    document with its items."""
    session = ODataSession(client, base_url, refusal_code)
    headers = _headers(idempotency_key, correlation_id)
    po_item = await session.get(
        PURCHASE_ORDERS,
        f"A_PurchaseOrderItem{key(PurchaseOrder=purchase_order, PurchaseOrderItem=item)}",
        correlation_id=correlation_id,
    )
    line = {
        "Material": po_item["Material"],
        "Plant": po_item["Plant"],
        "StorageLocation": po_item["StorageLocation"],
        "Batch": batch,
        "GoodsMovementType": "101",
        "GoodsMovementRefDocType": "B",
        "PurchaseOrder": purchase_order,
        "PurchaseOrderItem": po_item["PurchaseOrderItem"],
        "QuantityInEntryUnit": edm_decimal(Decimal(quantity)),
        "EntryUnit": unit,
    }
    return await _post_material_document(session, "01", line, headers)


async def cancel_purchase_order(
    base_url: str,
    purchase_order: str,
    client: httpx.AsyncClient,
    idempotency_key: str | None = None,
    correlation_id: str = "",
) -> list[str]:
    """Cancel the order as S/4 users do: deletion code 'L' on every item not yet deleted
    (the last one makes the ERP emit PurchaseOrder.Cancelled). Returns the items flagged."""
    session = ODataSession(client, base_url, refusal_code)
    items = await session.results(
        PURCHASE_ORDERS,
        f"A_PurchaseOrder{key(purchase_order)}/to_PurchaseOrderItem",
        {},
        correlation_id,
    )
    flagged = []
    for po_item in items:
        if po_item["PurchasingDocumentDeletionCode"] == "L":
            continue
        number = po_item["PurchaseOrderItem"]
        item_key = f"{idempotency_key}:{number}" if idempotency_key else None
        etag = po_item["__metadata"].get("etag", "*")
        await session.write(
            "PATCH",
            PURCHASE_ORDERS,
            f"A_PurchaseOrderItem{key(PurchaseOrder=purchase_order, PurchaseOrderItem=number)}",
            {**_headers(item_key, correlation_id), "If-Match": etag},
            json={"PurchasingDocumentDeletionCode": "L"},
        )
        flagged.append(number)
    return flagged
