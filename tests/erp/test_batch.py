"""``$batch`` driven by SAP's own client, pyodata: reads (composite keys included) and a
change set of two goods issues in one request; a change set whose second posting is refused
posts nothing at all (no document, no stock moved, nothing in the ledger)."""

from typing import Any

import httpx
import pytest
from pyodata.exceptions import HttpError

from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.support import ledger, odata_get
from tests.erp.test_pyodata_client import in_thread, sap_client

ISSUE = {
    "Material": "RM-200",
    "Plant": "1010",
    "StorageLocation": "0001",
    "Batch": "B2000001",
    "GoodsMovementType": "261",
    "ManufacturingOrder": "1000001",
    "EntryUnit": "KG",
}
STOCK_FILTER = "Material eq 'RM-200' and Batch eq 'B2000001' and InventoryStockType eq '01'"


def _goods_issue(quantity: str) -> dict[str, Any]:
    item = {**ISSUE, "QuantityInEntryUnit": quantity}
    return {"GoodsMovementCode": "03", "to_MaterialDocumentItem": [item]}


async def _unrestricted(client: httpx.AsyncClient, erp: RunningService) -> str:
    found = await odata_get(
        client, erp.url, "API_MATERIAL_STOCK_SRV", "A_MatlStkInAcctMod", **{"$filter": STOCK_FILTER}
    )
    (row,) = found["results"]
    return str(row["MatlWrhsStkQtyInMatlBaseUnit"])


@pytest.fixture
async def released(erp: RunningService, client: httpx.AsyncClient) -> RunningService:
    await release_order(erp.url, "1000001", client)
    return erp


async def test_a_batch_reads_and_commits_a_change_set(
    released: RunningService, client: httpx.AsyncClient
) -> None:
    erp = released
    before = await _unrestricted(client, erp)

    def drive() -> list[Any]:
        orders = sap_client(erp, "API_PRODUCTION_ORDER_2_SRV")
        operation = (
            orders.entity_sets.A_ProductionOrderOperation_2.get_entities().top(1).execute()[0]
        )
        batch = orders.create_batch()
        batch.add_request(orders.entity_sets.A_ProductionOrder_2.get_entity("1000001"))
        batch.add_request(
            orders.entity_sets.A_ProductionOrderOperation_2.get_entity(
                OrderInternalBillOfOperations=operation.OrderInternalBillOfOperations,
                OrderIntBillOfOperationsItem=operation.OrderIntBillOfOperationsItem,
            )
        )
        read = batch.execute()

        documents = sap_client(erp, "API_MATERIAL_DOCUMENT_SRV")
        batch = documents.create_batch()
        change_set = documents.create_changeset()
        for quantity in ("5", "7"):
            create = documents.entity_sets.A_MaterialDocumentHeader.create_entity()
            change_set.add_request(create.set(**_goods_issue(quantity)))
        batch.add_request(change_set)
        (posted,) = batch.execute()
        return [
            read[0].ManufacturingOrder,
            read[1].ManufacturingOrderOperation,
            [doc.GoodsMovementCode for doc in posted],
            len({doc.MaterialDocument for doc in posted}),
        ]

    assert await in_thread(drive) == ["1000001", "0010", ["03", "03"], 2]
    assert float(before) - float(await _unrestricted(client, erp)) == 12
    assert len(await ledger(client, erp.url, action="goods_movement 261")) == 2


async def test_a_change_set_with_a_refused_part_posts_nothing(
    released: RunningService, client: httpx.AsyncClient
) -> None:
    erp = released
    before = await _unrestricted(client, erp)

    def drive() -> tuple[int, str]:
        documents = sap_client(erp, "API_MATERIAL_DOCUMENT_SRV")
        batch = documents.create_batch()
        change_set = documents.create_changeset()
        for quantity in ("5", "999999"):  # the second is more than the lot holds
            create = documents.entity_sets.A_MaterialDocumentHeader.create_entity()
            change_set.add_request(create.set(**_goods_issue(quantity)))
        batch.add_request(change_set)
        with pytest.raises(HttpError) as refused:
            batch.execute()
        answer = refused.value.response
        return answer.status_code, answer.json()["error"]["code"]

    assert await in_thread(drive) == (400, "M7/021")
    assert await _unrestricted(client, erp) == before
    documents = await odata_get(
        client, erp.url, "API_MATERIAL_DOCUMENT_SRV", "A_MaterialDocumentHeader"
    )
    assert documents["results"] == []
    assert await ledger(client, erp.url, action="goods_movement 261") == []
