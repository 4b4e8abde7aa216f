"""Production orders through the adapter: canonical translation, release and its event,
technical completion, and the ERP's refusals."""

from decimal import Decimal

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.erp_sap.events import RELEASED, parse_erp_event
from adapters.errors import BusinessRefusal, NotFound
from canonical.commands import CompleteOrder
from canonical.enums import ErpOrderStatus
from canonical.events import ProductionOrderReleased
from refsystems.erp.planner import create_order, release_order
from stack.services import RunningService
from tests.erp.conftest import UNUSED_URL, Receiver, keys
from tests.erp.support import ledger
from tests.helpers import eventually, settings_for


async def test_demo_order_reads_as_a_canonical_work_order(adapter: SapErpAdapter) -> None:
    order = await adapter.get_production_order("P100", "1000001")

    assert order.status is ErpOrderStatus.CREATED
    assert (order.plant, order.quantity, order.unit) == ("P100", Decimal(1000), "EA")
    assert (order.item.item_id, order.item.revision, order.item.base_unit) == ("FG-1000", "", "EA")
    assert order.item.description == ""  # S/4's order has no material text
    assert order.output_lot == "B1000001"
    assert [(op.operation_id, op.work_center, op.description) for op in order.operations] == [
        ("0010", "MIX01", "Mix"),
        ("0020", "FILL01", "Fill"),
        ("0030", "PACK01", "Pack"),
    ]
    assert {(op.planned_quantity, op.unit) for op in order.operations} == {(Decimal(1000), "EA")}
    assert [(c.item_id, c.required_quantity, c.unit, c.lot) for c in order.components] == [
        ("RM-200", Decimal(50), "KG", "B2000001"),
        ("PK-300", Decimal(1000), "EA", "B3000001"),
    ]
    assert order.delivery_ids == ["80000001"]


async def test_release_emits_the_business_event_the_gateway_parses(
    erp_with_events: RunningService, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    erp = erp_with_events
    settings = settings_for(erp.url, UNUSED_URL, UNUSED_URL)
    adapter = SapErpAdapter(settings, client)
    await release_order(erp.url, "1000001", client, correlation_id="planner-1")

    delivered = await eventually(lambda: _received(receiver), lambda got: len(got) == 1)
    headers, payload = delivered[0]["headers"], delivered[0]["payload"]
    assert headers["x-event-type"] == payload["type"] == RELEASED
    assert headers["x-source-system"] == "erp"
    assert headers["x-correlation-id"] == payload["id"]
    assert payload["data"] == {
        "ManufacturingOrder": "1000001",
        "ProductionPlant": "1010",
        "Material": "FG-1000",
    }
    event = parse_erp_event(payload, headers["x-event-type"], settings)
    assert isinstance(event, ProductionOrderReleased)
    assert (event.order_id, event.plant, event.correlation_id) == ("1000001", "P100", payload["id"])
    assert (await adapter.get_production_order("P100", "1000001")).status is ErpOrderStatus.RELEASED
    assert len(await ledger(client, erp.url, action="release_order")) == 1


async def _received(receiver: Receiver) -> list:
    return list(receiver.received)


async def test_releasing_twice_is_refused(erp: RunningService, client: httpx.AsyncClient) -> None:
    await release_order(erp.url, "1000001", client)
    with pytest.raises(BusinessRefusal) as refused:
        await release_order(erp.url, "1000001", client)
    assert refused.value.code == "OrderAlreadyReleased"
    assert "CO/125" in refused.value.reason


async def test_order_of_another_plant_or_unknown_is_not_found(adapter: SapErpAdapter) -> None:
    with pytest.raises(NotFound):
        await adapter.get_production_order("P200", "1000001")
    with pytest.raises(NotFound):
        await adapter.get_production_order("P100", "9999999")
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.get_production_order("P999", "1000001")
    assert refused.value.code == "UnknownPlant"


async def test_technical_completion_needs_a_released_order_and_happens_once(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.complete_order(CompleteOrder(**keys(order_id="1000001")))
    assert refused.value.code == "OrderNotReleased"

    await release_order(erp.url, "1000001", client)
    receipt = await adapter.complete_order(CompleteOrder(**keys(order_id="1000001")))
    assert (receipt.system, receipt.document, receipt.replayed) == ("erp", "1000001", False)
    order = await adapter.get_production_order("P100", "1000001")
    assert order.status is ErpOrderStatus.TECHNICALLY_COMPLETE

    with pytest.raises(BusinessRefusal) as again:
        await adapter.complete_order(CompleteOrder(**keys(order_id="1000001")))
    assert again.value.code == "OrderCompleted"


async def test_admin_factory_creates_orders_with_their_delivery(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    created = await create_order(
        erp.url,
        {
            "Material": "FG-1000",
            "ProductionPlant": "1010",
            "TotalQuantity": "200",
            "Batch": "B1000002",
            "to_ProductionOrderOperation": {
                "results": [{"ManufacturingOrderOperation": "0010", "WorkCenter": "MIX01"}]
            },
            "to_ProductionOrderComponent": [{"Material": "RM-200", "RequiredQuantity": "10"}],
            "WithOutboundDelivery": True,
        },
        client,
    )
    assert created["ManufacturingOrder"] == "1000002"  # numbering continues after the seed
    order = await adapter.get_production_order("P100", "1000002")
    assert (order.quantity, order.output_lot, order.delivery_ids) == (
        Decimal(200),
        "B1000002",
        ["80000002"],
    )
    with pytest.raises(BusinessRefusal) as refused:
        await create_order(erp.url, {**_minimal_order(), "ManufacturingOrder": "1000002"}, client)
    assert refused.value.code == "Duplicate"
    with pytest.raises(BusinessRefusal) as unknown:
        await create_order(erp.url, {**_minimal_order(), "Material": "NOPE"}, client)
    assert unknown.value.code == "UnknownItem"


def _minimal_order() -> dict:
    return {
        "Material": "FG-1000",
        "ProductionPlant": "1010",
        "TotalQuantity": "1",
        "Batch": "B1000009",
        "to_ProductionOrderOperation": [{"ManufacturingOrderOperation": "0010"}],
    }
