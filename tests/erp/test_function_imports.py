"""Every function import of the production order service (and CancelItem of the material
document service) called by SAP's own client, pyodata, with the return types S/4HANA
publishes: each changes the order's status the way SAP does, refuses what SAP refuses, and
the order's status list shows the result."""

from typing import Any

import httpx
import pyodata
import pytest
from pyodata.exceptions import HttpError

from refsystems.erp.planner import create_order, release_order
from stack.services import RunningService
from tests.erp.support import ledger
from tests.erp.test_pyodata_client import in_thread, sap_client


def _call(client: pyodata.Client, name: str, **params: str) -> Any:
    function = getattr(client.functions, name)
    for param, value in params.items():
        function = function.parameter(param, value)
    return function.execute()


def _refusal(client: pyodata.Client, name: str, **params: str) -> tuple[int, str]:
    with pytest.raises(HttpError) as refused:
        _call(client, name, **params)
    error = refused.value.response.json()["error"]
    return refused.value.response.status_code, error["code"]


def _statuses(client: pyodata.Client, order_id: str) -> list[str]:
    order = client.entity_sets.A_ProductionOrder_2.get_entity(order_id).execute()
    return [
        s.StatusShortName for s in order.nav("to_ProductionOrderStatus").get_entities().execute()
    ]


async def test_the_order_lifecycle_through_every_function_import(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    unreleased = await create_order(
        erp.url,
        {
            "Material": "FG-1000",
            "ProductionPlant": "1010",
            "TotalQuantity": "10",
            "Batch": "B1000009",
            "to_ProductionOrderOperation": [{"ManufacturingOrderOperation": "0010"}],
        },
        client,
    )

    def drive() -> dict[str, Any]:
        orders = sap_client(erp, "API_PRODUCTION_ORDER_2_SRV")
        seen: dict[str, Any] = {}
        released = _call(
            orders,
            "ReleaseOperation",
            ManufacturingOrder="1000001",
            ManufacturingOrderOperation="0010",
        )
        seen["released_op"] = released["ReleaseOperation"]["SystemMessageType"]
        seen["released_again"] = _refusal(
            orders,
            "ReleaseOperation",
            ManufacturingOrder="1000001",
            ManufacturingOrderOperation="0010",
        )
        seen["close_before_teco"] = _refusal(orders, "CloseOrder", ManufacturingOrder="1000001")
        _call(orders, "ReleaseOrder", ManufacturingOrder="1000001")
        _call(orders, "OrderReleasedByMES", ManufacturingOrder="1000001")
        operation = (
            orders.entity_sets.A_ProductionOrderOperation_2.get_entities()
            .filter("ManufacturingOrder eq '1000001' and ManufacturingOrderOperation eq '0020'")
            .execute()[0]
        )
        scheduled = _call(
            orders,
            "ScheduleProductionOrderOperation",
            ManufacturingOrder="1000001",
            OrderInternalBillOfOperations=operation.OrderInternalBillOfOperations,
            OrderIntBillOfOperationsItem=operation.OrderIntBillOfOperationsItem,
            OpSchedulingMode="1",
            OpSchedulingStrategy="0001",
        )
        seen["scheduled"] = scheduled["ScheduleProductionOrderOperation"][
            "ManufacturingOrderOperation"
        ]
        _call(orders, "DeliveryCompletedOrder", ManufacturingOrder="1000001")
        _call(orders, "TechlyCmpltOrder", ManufacturingOrder="1000001")
        closed = _call(orders, "CloseOrder", ManufacturingOrder="1000001")
        seen["closed"] = closed["CloseOrder"]["SystemMessageVariable1"]
        seen["statuses"] = _statuses(orders, "1000001")

        other = unreleased["ManufacturingOrder"]
        seen["indicator_before_flag"] = _refusal(
            orders, "DeletionIndOrder", ManufacturingOrder=other
        )
        _call(orders, "DiscardOrder", ManufacturingOrder=other)
        _call(orders, "DeletionIndOrder", ManufacturingOrder=other)
        seen["discarded"] = _statuses(orders, other)
        seen["no_planned_order"] = _refusal(orders, "ConvertPlndOrder", PlannedOrder="99")
        return seen

    seen = await in_thread(drive)
    assert seen["released_op"] == "S"
    assert seen["released_again"] == (400, "CO/125")
    assert seen["close_before_teco"] == (400, "CO/124")
    assert seen["scheduled"] == "0020"
    assert seen["closed"] == "1000001"
    assert seen["statuses"] == ["REL", "DLV", "TECO", "CLSD"]
    assert seen["indicator_before_flag"] == (400, "CO/302")
    assert seen["discarded"] == ["CRTD", "DLFL", "DLT"]
    assert seen["no_planned_order"] == (404, "/IWBEP/CM_MGW_RT/020")


async def test_cancel_item_reverses_one_item_once(erp: RunningService) -> None:
    """A two-item goods issue: CancelItem reverses the second item (262) and answers with
    the reversal's item; a second CancelItem is refused; Cancel then reverses the rest."""
    item = {
        "Material": "RM-200",
        "Plant": "1010",
        "StorageLocation": "0001",
        "Batch": "B2000001",
        "GoodsMovementType": "261",
        "ManufacturingOrder": "1000001",
        "QuantityInEntryUnit": "2",
        "EntryUnit": "KG",
    }

    def drive() -> dict[str, Any]:
        _call(
            sap_client(erp, "API_PRODUCTION_ORDER_2_SRV"),
            "ReleaseOrder",
            ManufacturingOrder="1000001",
        )
        documents = sap_client(erp, "API_MATERIAL_DOCUMENT_SRV")
        body = {"GoodsMovementCode": "03", "to_MaterialDocumentItem": [item, item]}
        doc = documents.entity_sets.A_MaterialDocumentHeader.create_entity().set(**body).execute()
        key = {
            "MaterialDocumentYear": doc.MaterialDocumentYear,
            "MaterialDocument": doc.MaterialDocument,
        }
        reversal = _call(documents, "CancelItem", **key, MaterialDocumentItem="2")
        again = _refusal(documents, "CancelItem", **key, MaterialDocumentItem="2")
        rest = _call(documents, "Cancel", **key)
        items = (
            documents.entity_sets.A_MaterialDocumentItem.get_entities()
            .filter(f"MaterialDocument eq '{doc.MaterialDocument}'")
            .execute()
        )
        return {
            "reversal": (reversal.GoodsMovementType, reversal.ReversedMaterialDocumentItem),
            "again": again,
            "rest": rest.MaterialDocument != reversal.MaterialDocument,
            "cancelled": [i.GoodsMovementIsCancelled for i in items],
        }

    seen = await in_thread(drive)
    assert seen == {
        "reversal": ("262", "2"),
        "again": (400, "M7/362"),
        "rest": True,
        "cancelled": [True, True],
    }


async def test_a_delivery_goods_issue_is_reversed_once(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    """PostGoodsIssue then ReverseGoodsIssue (S/4's Return messages): the stock is back,
    the delivery open again; a second reversal is refused."""
    await release_order(erp.url, "1000001", client)
    receipt = {
        "GoodsMovementCode": "02",
        "to_MaterialDocumentItem": [
            {
                "Material": "FG-1000",
                "Plant": "1010",
                "StorageLocation": "0001",
                "Batch": "B1000001",
                "GoodsMovementType": "101",
                "ManufacturingOrder": "1000001",
                "QuantityInEntryUnit": "1000",
                "EntryUnit": "ST",
            }
        ],
    }

    def drive() -> dict[str, Any]:
        documents = sap_client(erp, "API_MATERIAL_DOCUMENT_SRV")
        documents.entity_sets.A_MaterialDocumentHeader.create_entity().set(**receipt).execute()
        deliveries = sap_client(erp, "API_OUTBOUND_DELIVERY_SRV")

        # pyodata cannot read a collection of complex types (it looks for an entity set), so
        # these two go through its session as plain requests, with S/4's parameter literals.
        def call(name: str, **params: str) -> Any:
            url = f"{deliveries.url}{name}"
            return deliveries.connection.post(url, params=params, timeout=10)

        delivery = {"DeliveryDocument": "'80000001'"}
        on = {"ActualGoodsMovementDate": "datetime'2026-12-01T00:00:00'"}
        shipped = call("PostGoodsIssue", **delivery).json()["d"]["results"]
        reversed_ = call("ReverseGoodsIssue", **delivery, **on).json()["d"]["results"]
        refused = call("ReverseGoodsIssue", **delivery, **on)
        header = deliveries.entity_sets.A_OutbDeliveryHeader.get_entity("80000001").execute()
        return {
            "shipped": [r["SystemMessageType"] for r in shipped],
            "reversed": [(r["SystemMessageType"], r["DeliveryDocument"]) for r in reversed_],
            "again": (refused.status_code, refused.json()["error"]["code"]),
            "status": header.OverallGoodsMovementStatus,
        }

    seen = await in_thread(drive)
    assert seen == {
        "shipped": ["S"],
        "reversed": [("S", "80000001")],
        "again": (400, "VL/353"),
        "status": "A",
    }
    assert len(await ledger(client, erp.url, action="goods_movement 602")) == 1
