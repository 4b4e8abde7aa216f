"""Goods issue (261), goods receipt (101) and their reversal, through the adapter."""

from decimal import Decimal

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import BusinessRefusal
from canonical.commands import GoodsIssue, GoodsReceipt, ReverseDocument, StockQuery
from canonical.enums import StockStatus
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import ledger, odata_get

DOCS = "API_MATERIAL_DOCUMENT_SRV"


def issue(lot: str = "B2000001", quantity: str = "50", **extra: str) -> GoodsIssue:
    fields = {"order_id": "1000001", "item_id": "RM-200", "lot_id": lot, "unit": "KG"}
    return GoodsIssue(**keys(**{**fields, "quantity": Decimal(quantity), **extra}))


def receipt(
    lot: str = "B1000001", quantity: str = "1000", item: str = "FG-1000", unit: str = "EA"
) -> GoodsReceipt:
    fields = {"order_id": "1000001", "item_id": item, "lot_id": lot, "unit": unit}
    return GoodsReceipt(**keys(**fields, quantity=Decimal(quantity)))


async def stock(adapter: SapErpAdapter, item: str, lot: str) -> dict[StockStatus, Decimal]:
    lot_stock = await adapter.get_lot_stock(StockQuery(plant="P100", item_id=item, lot_id=lot))
    return lot_stock.quantities


@pytest.fixture
async def released(erp: RunningService, client: httpx.AsyncClient) -> RunningService:
    await release_order(erp.url, "1000001", client)
    return erp


async def test_goods_issue_posts_261_in_sap_units_and_books_the_component(
    released: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    posted = await adapter.post_goods_issue(issue(quantity="0.5"))
    number, year = posted.document.split("/")
    assert (posted.system, number, posted.replayed) == ("erp", "4900000001", False)

    doc = await odata_get(
        client,
        released.url,
        DOCS,
        f"A_MaterialDocumentHeader(MaterialDocumentYear='{year}',MaterialDocument='{number}')",
        **{"$expand": "to_MaterialDocumentItem"},
    )
    item = doc["to_MaterialDocumentItem"]["results"][0]
    assert doc["GoodsMovementCode"] == "03"
    assert (item["GoodsMovementType"], item["QuantityInEntryUnit"], item["EntryUnit"]) == (
        "261",
        "0.500",
        "KG",
    )
    assert (await stock(adapter, "RM-200", "B2000001"))[StockStatus.UNRESTRICTED] == Decimal(
        "499.5"
    )
    components = await odata_get(
        client,
        released.url,
        "API_PRODUCTION_ORDER_2_SRV",
        "A_ProductionOrder_2('1000001')/to_ProductionOrderComponent",
    )
    assert components["results"][0]["WithdrawnQuantity"] == "0.500"
    entries = await ledger(client, released.url, action="goods_movement 261")
    assert [e["entity_key"] for e in entries] == [posted.document]


async def test_canonical_pieces_are_posted_as_sap_st(
    released: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    fields = {"item_id": "PK-300", "lot": "B3000001", "quantity": "1000", "unit": "EA"}
    posted = await adapter.post_goods_issue(issue(**fields))
    items = await odata_get(
        client, released.url, DOCS, "A_MaterialDocumentItem", **{"$filter": "Batch eq 'B3000001'"}
    )
    assert items["results"][0]["EntryUnit"] == "ST"
    assert posted.document.startswith("4900000001/")
    assert (await stock(adapter, "PK-300", "B3000001"))[StockStatus.UNRESTRICTED] == Decimal(9000)


async def test_blocked_lot_and_insufficient_stock_are_refused_and_nothing_moves(
    released: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    with pytest.raises(BusinessRefusal) as blocked:
        await adapter.post_goods_issue(issue(lot="B2000002", quantity="10"))
    assert blocked.value.code == "LotBlocked"
    assert "M7/088" in blocked.value.reason

    with pytest.raises(BusinessRefusal) as short:
        await adapter.post_goods_issue(issue(quantity="500.001"))
    assert short.value.code == "InsufficientStock"

    with pytest.raises(BusinessRefusal) as unknown:
        await adapter.post_goods_issue(issue(lot="B0000000"))
    assert unknown.value.code == "UnknownLot"

    assert await stock(adapter, "RM-200", "B2000001") == {
        StockStatus.UNRESTRICTED: Decimal(500),
        StockStatus.QUALITY_INSPECTION: Decimal(0),
        StockStatus.BLOCKED: Decimal(0),
        StockStatus.RETURNED: Decimal(0),
    }
    assert await ledger(client, released.url, action="goods_movement 261") == []


async def test_postings_need_a_released_order(erp: RunningService, adapter: SapErpAdapter) -> None:
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.post_goods_issue(issue())
    assert refused.value.code == "OrderNotReleased"


async def test_goods_receipt_posts_101_of_the_output_lot_only(
    released: RunningService, adapter: SapErpAdapter
) -> None:
    posted = await adapter.post_goods_receipt(receipt())
    assert posted.document.startswith("49000000")
    assert (await stock(adapter, "FG-1000", "B1000001"))[StockStatus.UNRESTRICTED] == Decimal(1000)

    with pytest.raises(BusinessRefusal) as wrong:
        await adapter.post_goods_receipt(receipt(lot="B2000001", item="RM-200", unit="KG"))
    assert wrong.value.code == "WrongLot"


async def test_a_document_is_reversed_exactly_once(
    released: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    posted = await adapter.post_goods_issue(issue())
    reversed_ = await adapter.reverse_material_document(
        ReverseDocument(**keys(document=posted.document))
    )
    assert reversed_.document != posted.document
    assert (await stock(adapter, "RM-200", "B2000001"))[StockStatus.UNRESTRICTED] == Decimal(500)
    assert len(await ledger(client, released.url, action="goods_movement 262")) == 1

    with pytest.raises(BusinessRefusal) as twice:
        await adapter.reverse_material_document(ReverseDocument(**keys(document=posted.document)))
    assert twice.value.code == "AlreadyReversed"
    with pytest.raises(BusinessRefusal) as of_reversal:
        await adapter.reverse_material_document(
            ReverseDocument(**keys(document=reversed_.document))
        )
    assert of_reversal.value.code == "NotReversible"
    with pytest.raises(BusinessRefusal) as malformed:
        await adapter.reverse_material_document(ReverseDocument(**keys(document="4900000001")))
    assert malformed.value.code == "InvalidDocument"


async def test_reversing_a_receipt_takes_the_stock_back_out(
    released: RunningService, adapter: SapErpAdapter
) -> None:
    posted = await adapter.post_goods_receipt(receipt(quantity="400"))
    await adapter.reverse_material_document(ReverseDocument(**keys(document=posted.document)))
    assert (await stock(adapter, "FG-1000", "B1000001"))[StockStatus.UNRESTRICTED] == Decimal(0)
