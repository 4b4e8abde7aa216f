"""The reference ERP speaks S/4HANA's OData V2: envelopes, value formats, query options,
errors, and $metadata documents that match what the services answer."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import httpx

from adapters.erp_sap.adapter import SapErpAdapter
from canonical.commands import ConfirmOperation, GoodsIssue
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.planner import release_order
from refsystems.erp.schemas.entities import ENTITY_TYPES
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import inspected_lot

EDM = "{http://schemas.microsoft.com/ado/2008/09/edm}"


async def _get(client: httpx.AsyncClient, url: str, **params: str) -> httpx.Response:
    return await client.get(url, params=params)


async def test_metadata_describes_exactly_what_every_entity_set_answers(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    issue = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
    await adapter.post_goods_issue(GoodsIssue(**keys(**issue, quantity=Decimal(1))))
    confirm = {"order_id": "1000001", "operation_id": "0010", "unit": "EA"}
    await adapter.confirm_operation(ConfirmOperation(**keys(**confirm, yield_quantity=Decimal(1))))
    await inspected_lot(client, erp.url)

    for entity_set, kind in ENTITY_TYPES.items():
        root = f"{erp.url}{SERVICE_ROOT}/{kind.SERVICE}"
        metadata = await client.get(f"{root}/$metadata")
        assert metadata.headers["content-type"].startswith("application/xml")
        schema = ET.fromstring(metadata.content).find(f".//{EDM}Schema")
        assert schema is not None and schema.get("Namespace") == kind.SERVICE
        entity_type = schema.find(f"{EDM}EntityType[@Name='{entity_set}Type']")
        assert entity_type is not None, entity_set
        declared = {p.get("Name") for p in entity_type.findall(f"{EDM}Property")}
        navigation = {p.get("Name") for p in entity_type.findall(f"{EDM}NavigationProperty")}
        keys_ = [p.get("Name") for p in entity_type.findall(f"{EDM}Key/{EDM}PropertyRef")]
        container = schema.find(f"{EDM}EntityContainer/{EDM}EntitySet[@Name='{entity_set}']")
        assert container is not None, entity_set

        rows = (await _get(client, f"{root}/{entity_set}", **{"$top": "1"})).json()["d"]["results"]
        assert rows, f"no {entity_set} to compare"
        answered = set(rows[0]) - {"__metadata"}
        assert answered == declared | navigation, entity_set
        assert keys_ == list(kind.KEYS)
        assert rows[0]["__metadata"]["type"] == f"{kind.SERVICE}.{entity_set}Type"


async def test_values_are_sap_formatted(erp: RunningService, client: httpx.AsyncClient) -> None:
    root = f"{erp.url}{SERVICE_ROOT}/API_PRODUCTION_ORDER_2_SRV"
    order = (await client.get(f"{root}/A_ProductionOrder_2(%271000001%27)")).json()["d"]
    assert order["TotalQuantity"] == "1000.000"
    assert re.fullmatch(r"/Date\(\d+\)/", order["MfgOrderCreationDate"])
    assert (order["OrderIsCreated"], order["OrderIsReleased"]) == ("X", "")
    assert order["to_ProductionOrderOperation"]["__deferred"]["uri"].endswith(
        "A_ProductionOrder_2('1000001')/to_ProductionOrderOperation"
    )
    ops = await client.get(f"{root}/A_ProductionOrder_2('1000001')/to_ProductionOrderOperation")
    assert [o["ManufacturingOrderOperation"] for o in ops.json()["d"]["results"]] == [
        "0010",
        "0020",
        "0030",
    ]


async def test_filter_top_inlinecount_select_and_count(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    stock = f"{erp.url}{SERVICE_ROOT}/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod"
    page = await _get(
        client,
        stock,
        **{
            "$filter": "Material eq 'RM-200' and Plant eq '1010'",
            "$top": "1",
            "$inlinecount": "allpages",
            "$select": "Batch,MatlWrhsStkQtyInMatlBaseUnit",
        },
    )
    body = page.json()["d"]
    assert body["__count"] == "2"
    assert [set(r) - {"__metadata"} for r in body["results"]] == [
        {"Batch", "MatlWrhsStkQtyInMatlBaseUnit"}
    ]
    count = await _get(client, f"{stock}/$count", **{"$filter": "InventoryStockType eq '07'"})
    assert (count.text, count.headers["content-type"].split(";")[0]) == ("1", "text/plain")
    batches = f"{erp.url}{SERVICE_ROOT}/API_BATCH_SRV/Batch"
    restricted = await _get(client, batches, **{"$filter": "MatlBatchIsInRstrcdUseStock eq true"})
    assert [b["Batch"] for b in restricted.json()["d"]["results"]] == ["B2000002"]


async def test_errors_come_in_sap_shape(erp: RunningService, client: httpx.AsyncClient) -> None:
    root = f"{erp.url}{SERVICE_ROOT}/API_PRODUCTION_ORDER_2_SRV"
    missing = await client.get(f"{root}/A_ProductionOrder_2('4711')")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "/IWBEP/CM_MGW_RT/020"
    assert missing.json()["error"]["message"]["lang"] == "en"

    unsupported = await _get(
        client, f"{root}/A_ProductionOrder_2", **{"$filter": "Material like 'X'"}
    )
    assert unsupported.status_code == 400
    assert unsupported.json()["error"]["code"] == "/IWBEP/CM_MGW_RT/022"

    unknown = await _get(client, f"{root}/A_ProductionOrder_2", **{"$filter": "Nope eq 'X'"})
    assert unknown.status_code == 400
    assert "Nope" in unknown.json()["error"]["message"]["value"]


async def test_invalid_payloads_are_refused_with_the_property_named(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    root = f"{erp.url}{SERVICE_ROOT}/API_MATERIAL_DOCUMENT_SRV"
    token = (await client.head(f"{root}/", headers={"x-csrf-token": "Fetch"})).headers[
        "x-csrf-token"
    ]
    body = {
        "d": {
            "GoodsMovementCode": "03",
            "to_MaterialDocumentItem": {"results": [{"Material": "RM-200", "Plant": "1010"}]},
        }
    }
    refused = await client.post(
        f"{root}/A_MaterialDocumentHeader", json=body, headers={"x-csrf-token": token}
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "/IWBEP/CM_MGW_RT/004"
    assert "to_MaterialDocumentItem/0/Batch" in error["message"]["value"]
