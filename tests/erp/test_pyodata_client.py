"""SAP's own Python OData client (pyodata, strict metadata parser) drives the reference ERP:
it builds every service from the served $metadata, reads, filters, navigates, calls function
imports and deep-inserts a goods movement as a repeatable request, as it would against a
plant's S/4HANA. pyodata is synchronous (requests), so it runs in a thread beside the ERP."""

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import pyodata
import pytest
import requests

from adapters.erp_sap.repeatability import CreationTimes
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.api.entity_sets import UNKEPT
from refsystems.erp.schemas.entities import ENTITY_TYPES
from stack.services import RunningService

T = TypeVar("T")
SERVICES = sorted({kind.SERVICE for kind in ENTITY_TYPES.values()})


async def in_thread(call: Callable[[], T]) -> T:
    return await asyncio.to_thread(call)


def sap_client(erp: RunningService, service: str) -> pyodata.Client:
    """A pyodata client the way SAP documents it: the session fetches a CSRF token first."""
    session = requests.Session()
    url = f"{erp.url}{SERVICE_ROOT}/{service}/"
    fetched = session.head(url, headers={"x-csrf-token": "Fetch"}, timeout=10)
    session.headers["x-csrf-token"] = fetched.headers["x-csrf-token"]
    return pyodata.Client(url, session)


@pytest.mark.parametrize("service", SERVICES)
async def test_pyodata_builds_every_service_from_the_served_metadata(
    erp: RunningService, service: str
) -> None:
    client = await in_thread(lambda: sap_client(erp, service))
    served = {entity_set.name for entity_set in client.schema.entity_sets}
    kinds = {**ENTITY_TYPES, **UNKEPT}
    expected = {name for name, kind in kinds.items() if kind.SERVICE == service}
    assert served == expected


async def test_pyodata_reads_filters_navigates_and_releases_an_order(erp: RunningService) -> None:
    def drive() -> dict[str, Any]:
        orders = sap_client(erp, "API_PRODUCTION_ORDER_2_SRV")
        order = orders.entity_sets.A_ProductionOrder_2.get_entity("1000001").execute()
        in_plant = (
            orders.entity_sets.A_ProductionOrder_2.get_entities()
            .filter("ProductionPlant eq '1010'")
            .execute()
        )
        items = order.nav("to_ProductionOrderItem").get_entities().execute()
        operations = order.nav("to_ProductionOrderOperation").get_entities().execute()
        released = orders.functions.ReleaseOrder.parameter(
            "ManufacturingOrder", "1000001"
        ).execute()
        again = orders.entity_sets.A_ProductionOrder_2.get_entity("1000001").execute()
        statuses = again.nav("to_ProductionOrderStatus").get_entities().execute()
        return {
            "order": (order.Material, order.ProductionPlant, str(order.TotalQuantity)),
            "in_plant": [o.ManufacturingOrder for o in in_plant],
            "batch": [(i.ManufacturingOrderItem, i.Batch) for i in items],
            "operations": [op.ManufacturingOrderOperation for op in operations],
            "released": released,
            "is_released": again.OrderIsReleased,
            "statuses": [(st.StatusCode, st.StatusShortName) for st in statuses],
        }

    seen = await in_thread(drive)
    assert seen["order"] == ("FG-1000", "1010", "1000.000")
    assert "1000001" in seen["in_plant"]
    assert seen["batch"] == [("0001", "B1000001")]
    assert seen["operations"] == ["0010", "0020", "0030"]
    message = seen["released"]["ReleaseOrder"]
    assert (message["SystemMessageType"], message["SystemMessageVariable1"]) == ("S", "1000001")
    assert seen["is_released"] == "X"
    assert seen["statuses"] == [("I0002", "REL")]


async def test_pyodata_deep_inserts_a_goods_issue_as_a_repeatable_request(
    erp: RunningService,
) -> None:
    headers = CreationTimes().headers("pyodata-goods-issue")
    body = {
        "GoodsMovementCode": "03",
        "to_MaterialDocumentItem": [
            {
                "Material": "RM-200",
                "Plant": "1010",
                "StorageLocation": "0001",
                "Batch": "B2000001",
                "GoodsMovementType": "261",
                "ManufacturingOrder": "1000001",
                "QuantityInEntryUnit": "5",
                "EntryUnit": "KG",
            }
        ],
    }

    def drive() -> list[tuple[str, str, Any]]:
        orders = sap_client(erp, "API_PRODUCTION_ORDER_2_SRV")
        orders.functions.ReleaseOrder.parameter("ManufacturingOrder", "1000001").execute()
        documents = sap_client(erp, "API_MATERIAL_DOCUMENT_SRV")
        numbers = []
        for _ in range(2):  # the second is a repeat of the same RequestID
            create = documents.entity_sets.A_MaterialDocumentHeader.create_entity().set(**body)
            create.add_headers(headers)
            doc = create.execute()
            numbers.append(doc.MaterialDocument)
        assert numbers[0] == numbers[1]
        items = (
            documents.entity_sets.A_MaterialDocumentItem.get_entities()
            .filter(f"MaterialDocument eq '{numbers[0]}'")
            .execute()
        )
        return [
            (i.GoodsMovementType, str(i.QuantityInEntryUnit), i.GoodsMovementIsCancelled)
            for i in items
        ]

    assert await in_thread(drive) == [("261", "5.000", False)]
