"""A quality hold in ERP: the lot's restriction with its stock, and the delivery block."""

from decimal import Decimal

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import BusinessRefusal
from canonical.commands import (
    GoodsIssue,
    GoodsReceipt,
    SetDeliveryBlock,
    SetLotRestriction,
    StockQuery,
)
from canonical.enums import StockStatus
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import ledger, odata_get

DELIVERIES = "API_OUTBOUND_DELIVERY_SRV"


def restrict(item: str, lot: str, blocked: bool) -> SetLotRestriction:
    return SetLotRestriction(**keys(item_id=item, lot_id=lot, blocked=blocked, reason="NC-1"))


async def test_blocking_a_lot_restricts_its_stock_and_stops_issues_until_lifted(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    blocked = await adapter.set_lot_restriction(restrict("RM-200", "B2000001", True))
    assert blocked.document == "RM-200/B2000001"  # the batch status: no goods movement
    rows = await odata_get(
        client,
        erp.url,
        "API_MATERIAL_STOCK_SRV",
        "A_MatlStkInAcctMod",
        **{"$filter": "Batch eq 'B2000001' and MatlWrhsStkQtyInMatlBaseUnit gt 0"},
    )
    # S/4HANA: a restricted batch's unrestricted stock is restricted-use stock
    assert [r["InventoryStockType"] for r in rows["results"]] == ["08"]
    lot = await adapter.get_lot_stock(StockQuery(plant="P100", item_id="RM-200", lot_id="B2000001"))
    assert lot.restricted
    assert (lot.quantities[StockStatus.UNRESTRICTED], lot.quantities[StockStatus.BLOCKED]) == (
        Decimal(0),
        Decimal(500),
    )
    assert lot.unit == "KG"
    with pytest.raises(BusinessRefusal) as refused:
        issue = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
        await adapter.post_goods_issue(GoodsIssue(**keys(**issue, quantity=Decimal(1))))
    assert refused.value.code == "LotBlocked"

    await adapter.set_lot_restriction(restrict("RM-200", "B2000001", False))
    lot = await adapter.get_lot_stock(StockQuery(plant="P100", item_id="RM-200", lot_id="B2000001"))
    assert not lot.restricted
    assert lot.quantities[StockStatus.UNRESTRICTED] == Decimal(500)
    actions = [e["action"] for e in await ledger(client, erp.url) if e["entity"] != "demo"]
    assert actions[-2:] == ["batch_restriction", "batch_restriction"]


async def test_a_restricted_output_lot_is_received_into_restricted_use_stock(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    flagged = await adapter.set_lot_restriction(restrict("FG-1000", "B1000001", True))
    assert flagged.document == "FG-1000/B1000001"  # nothing in stock yet: only the flag
    fields = {"order_id": "1000001", "item_id": "FG-1000", "lot_id": "B1000001", "unit": "EA"}
    await adapter.post_goods_receipt(GoodsReceipt(**keys(**fields, quantity=Decimal(1000))))
    lot = await adapter.get_lot_stock(
        StockQuery(plant="P100", item_id="FG-1000", lot_id="B1000001")
    )
    assert lot.quantities[StockStatus.BLOCKED] == Decimal(1000)
    assert lot.quantities[StockStatus.UNRESTRICTED] == Decimal(0)


async def test_delivery_block_holds_shipping_until_lifted(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    fields = {"order_id": "1000001", "item_id": "FG-1000", "lot_id": "B1000001", "unit": "EA"}
    await adapter.post_goods_receipt(GoodsReceipt(**keys(**fields, quantity=Decimal(1000))))

    block = SetDeliveryBlock(**keys(lot_id="B1000001", blocked=True))
    blocked = await adapter.set_delivery_block(block)
    assert (blocked.document, blocked.replayed) == ("80000001", False)
    header = await odata_get(client, erp.url, DELIVERIES, "A_OutbDeliveryHeader('80000001')")
    assert header["DeliveryBlockReason"] == "QH"
    refused = await _post_goods_issue(client, erp.url)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "VL/352")

    await adapter.set_delivery_block(SetDeliveryBlock(**keys(lot_id="B1000001", blocked=False)))
    header = await odata_get(client, erp.url, DELIVERIES, "A_OutbDeliveryHeader('80000001')")
    assert header["DeliveryBlockReason"] == ""
    shipped = await _post_goods_issue(client, erp.url)
    report = shipped.json()["d"]["results"]  # S/4's picking report, one line per item
    assert [(r["SystemMessageType"], r["Batch"]) for r in report] == [("S", "B1000001")]
    header = await odata_get(client, erp.url, DELIVERIES, "A_OutbDeliveryHeader('80000001')")
    assert header["OverallGoodsMovementStatus"] == "C"

    with pytest.raises(BusinessRefusal) as too_late:
        await adapter.set_delivery_block(SetDeliveryBlock(**keys(lot_id="B1000001", blocked=True)))
    assert too_late.value.code == "DeliveryShipped"
    entries = await ledger(client, erp.url, action="delivery_block")
    assert [e["details"]["DeliveryBlockReason"] for e in entries] == ["QH", ""]


async def test_the_block_can_be_merged_like_sap_clients_do(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    url = f"{erp.url}{SERVICE_ROOT}/{DELIVERIES}/A_OutbDeliveryHeader('80000001')"
    headers = {"x-csrf-token": await _token(client, erp.url), "If-Match": "*"}
    merged = await client.request("MERGE", url, json={"DeliveryBlockReason": "01"}, headers=headers)
    assert merged.status_code == 204
    too_long = await client.patch(url, json={"DeliveryBlockReason": "QHX"}, headers=headers)
    assert too_long.status_code == 400
    header = await odata_get(client, erp.url, DELIVERIES, "A_OutbDeliveryHeader('80000001')")
    assert header["DeliveryBlockReason"] == "01"


async def _post_goods_issue(client: httpx.AsyncClient, erp_url: str) -> httpx.Response:
    return await client.post(
        f"{erp_url}{SERVICE_ROOT}/{DELIVERIES}/PostGoodsIssue",
        params={"DeliveryDocument": "'80000001'"},
        headers={"x-csrf-token": await _token(client, erp_url)},
    )


async def test_a_lot_without_deliveries_has_nothing_to_block(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    receipt = await adapter.set_delivery_block(
        SetDeliveryBlock(**keys(lot_id="B2000001", blocked=True))
    )
    assert (receipt.document, receipt.replayed) == ("", False)
    assert await ledger(client, erp.url, action="delivery_block") == []


async def _token(client: httpx.AsyncClient, erp_url: str) -> str:
    response = await client.head(
        f"{erp_url}{SERVICE_ROOT}/{DELIVERIES}/", headers={"x-csrf-token": "Fetch"}
    )
    return response.headers["x-csrf-token"]
