"""Purchase orders: the admin factory and demo data, and cancellation the S/4 way (deletion
code 'L' on every item), which emits PurchaseOrder.Cancelled once."""

from typing import Any

import httpx
import pytest

from adapters.erp_sap.events import PO_CANCELLED, parse_erp_event
from adapters.errors import BusinessRefusal
from canonical.events import PurchaseOrderCancelled
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.planner import create_purchase_order
from stack.services import RunningService
from tests.erp.conftest import UNUSED_URL, Receiver
from tests.erp.support import ledger, odata_get, outbox
from tests.helpers import eventually, settings_for

PO_SRV = "API_PURCHASEORDER_PROCESS_SRV"


async def test_cancelling_every_item_cancels_the_order_once(
    erp_with_events: RunningService, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    erp = erp_with_events
    created = await create_purchase_order(erp.url, _two_item_order(), client)
    number = created["PurchaseOrder"]
    assert number == "4500000003"
    items = created["to_PurchaseOrderItem"]["results"]
    assert [i["PurchaseOrderItem"] for i in items] == ["00010", "00020"]
    assert all("StockType" not in i for i in items), "S/4's PO item has no StockType"
    root = f"{erp.url}{SERVICE_ROOT}/{PO_SRV}/"
    url = f"{root}A_PurchaseOrderItem(PurchaseOrder='{number}',"
    fetched = await client.head(root, headers={"x-csrf-token": "Fetch"})
    # If-Match '*': overwrite whatever the item holds (its ETag is tested elsewhere)
    headers = {"x-csrf-token": fetched.headers["x-csrf-token"], "If-Match": "*"}
    body = {"PurchasingDocumentDeletionCode": "L"}
    first = await client.patch(f"{url}PurchaseOrderItem='00010')", json=body, headers=headers)
    assert first.status_code == 204
    header = await odata_get(client, erp.url, PO_SRV, f"A_PurchaseOrder('{number}')")
    assert header["PurchasingDocumentDeletionCode"] == ""
    assert await outbox(client, erp.url, PO_CANCELLED) == []

    last = await client.request(
        "MERGE", f"{url}PurchaseOrderItem='20')", json=body, headers=headers
    )
    assert last.status_code == 204
    again = await client.patch(f"{url}PurchaseOrderItem='00020')", json=body, headers=headers)
    assert again.status_code == 204
    header = await odata_get(client, erp.url, PO_SRV, f"A_PurchaseOrder('{number}')")
    assert header["PurchasingDocumentDeletionCode"] == "L"

    delivered = await eventually(_received(receiver), lambda got: len(got) == 1)
    payload = delivered[0]["payload"]
    assert payload["type"] == PO_CANCELLED
    assert payload["data"] == {"PurchaseOrder": number, "Supplier": "17300002", "Plant": "1010"}
    settings = settings_for(erp.url, UNUSED_URL, UNUSED_URL)
    event = parse_erp_event(payload, PO_CANCELLED, settings)
    assert isinstance(event, PurchaseOrderCancelled)
    assert (event.purchase_order, event.plant, event.correlation_id) == (
        number,
        "P100",
        payload["id"],
    )
    assert len(await outbox(client, erp.url, PO_CANCELLED)) == 1
    assert len(await ledger(client, erp.url, action="purchase_order_deletion")) == 3


def _two_item_order(**changes: Any) -> dict[str, Any]:
    item = {"Material": "PK-300", "Plant": "1010", "OrderQuantity": "500", "StockType": "X"}
    return {
        "CompanyCode": "1010",
        "Supplier": "17300002",
        "to_PurchaseOrderItem": {"results": [item, {**item, "OrderQuantity": "250"}]},
        **changes,
    }


async def test_purchase_order_factory_refusals(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    with pytest.raises(BusinessRefusal) as supplier:
        await create_purchase_order(erp.url, _two_item_order(Supplier="99999999"), client)
    assert supplier.value.code == "UnknownSupplier"
    with pytest.raises(BusinessRefusal) as duplicate:
        await create_purchase_order(erp.url, _two_item_order(PurchaseOrder="4500000001"), client)
    assert duplicate.value.code == "Duplicate"
    suppliers = await odata_get(client, erp.url, "API_BUSINESS_PARTNER", "A_Supplier")
    assert [(s["Supplier"], s["SupplierName"]) for s in suppliers["results"]] == [
        ("17300001", "Acme Chemicals"),
        ("17300002", "Budget Tubes"),
    ]
    demo = await odata_get(
        client,
        erp.url,
        PO_SRV,
        "A_PurchaseOrder('4500000002')",
        **{"$expand": "to_PurchaseOrderItem"},
    )
    item = demo["to_PurchaseOrderItem"]["results"][0]
    assert (demo["Supplier"], item["Material"], item["OrderQuantity"]) == (
        "17300002",
        "PK-300",
        "20000.000",
    )


def _received(receiver: Receiver) -> Any:
    async def probe() -> list[dict[str, Any]]:
        return receiver.received

    return probe
