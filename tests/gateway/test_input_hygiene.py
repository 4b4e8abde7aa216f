"""Issue 9's invalid inputs, sent to the running gateway: each gets its 4xx, naming the field,
and nothing is started (asked of the real Temporal server)."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.gateway.support import (
    ERP_RELEASED,
    assert_no_saga,
    assert_rejected,
    erp_released,
    mes_segment_recorded,
)
from tests.helpers import SignedWebhooks
from workflows import supplier_receipt

GOODS_RECEIPT = "sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1"
HOSTILE_IDS = {
    "bidi-override": "10\u202e00001",
    "nul": "1000\x00001",
    "zero-width-space": "1000\u200b001",
    "path-traversal": "../x%2F21",
}


def SIGNED(stack: Stack) -> SignedWebhooks:  # noqa: N802
    """Signed as the sending system signs: these inputs must fail on their content."""
    return SignedWebhooks(stack.webhook_secrets)


def goods_receipt(**data: Any) -> dict[str, Any]:
    """ERP's MaterialDocument.Created for a supplier receipt of PK-300 into inspection."""
    return {
        "specversion": "1.0",
        "type": GOODS_RECEIPT,
        "source": "/default/sap.s4.beh/0LOCAL",
        "id": str(uuid.uuid4()),
        "time": "2026-03-02T08:00:00+00:00",
        "data": {
            "MaterialDocument": "4900000099",
            "MaterialDocumentYear": "2026",
            "GoodsMovementType": "101",
            "PurchaseOrder": "4500000002",
            "PurchaseOrderItem": "00010",
            "Supplier": "17300002",
            "Material": "PK-300",
            "Plant": "1010",
            "Batch": "B3000001",
            "QuantityInEntryUnit": "20000.000",
            "EntryUnit": "ST",
            "InventoryStockType": "02",
            **data,
        },
    }


async def assert_no_receipt_saga(client: Client, item: str, lot: str) -> None:
    with pytest.raises(RPCError) as err:
        await client.get_workflow_handle(supplier_receipt.workflow_id("P100", item, lot)).describe()
    assert err.value.status == RPCStatusCode.NOT_FOUND


async def post_receipt(stack: Stack, body: dict[str, Any]) -> httpx.Response:
    headers = {"X-Event-Type": GOODS_RECEIPT}
    return await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp", json=body, headers=headers, auth=SIGNED(stack)
    )


@pytest.mark.parametrize("order_id", HOSTILE_IDS.values(), ids=HOSTILE_IDS.keys())
async def test_a_hostile_order_id_starts_nothing(stack: Stack, order_id: str) -> None:
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json=erp_released(order_id),
        headers={"X-Event-Type": ERP_RELEASED},
        auth=SIGNED(stack),
    )
    assert_rejected(response, "data.ManufacturingOrder")
    await assert_no_saga(stack.client, "P100", order_id)


@pytest.mark.parametrize("order_id", HOSTILE_IDS.values(), ids=HOSTILE_IDS.keys())
async def test_a_hostile_mes_order_id_signals_nothing(stack: Stack, order_id: str) -> None:
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/mes",
        json={**mes_segment_recorded(order_id), "CorrelationID": "corr-plain"},
        headers={"X-Event-Type": "SegmentResponse.Recorded"},
        auth=SIGNED(stack),
    )
    assert_rejected(response, "JobOrderID")


@pytest.mark.parametrize(
    ("field", "value", "culprit"),
    [
        ("QuantityInEntryUnit", "1e30", "data.QuantityInEntryUnit"),
        ("QuantityInEntryUnit", "Infinity", "data.QuantityInEntryUnit"),
        ("QuantityInEntryUnit", "NaN", "data.QuantityInEntryUnit"),
        ("QuantityInEntryUnit", "-5", "data.QuantityInEntryUnit"),
        ("Batch", "X0001", "data.Batch"),  # P100's lot_pattern is ^B[0-9]{7,9}$
        ("Batch", "B300\u200b0001", "data.Batch"),
        ("Material", "PK-300\u202e", "data.Material"),
        ("Material", "x" * 41, "data.Material"),
    ],
    ids=["1e30", "infinity", "nan", "negative", "lot-pattern", "zwsp-lot", "bidi-material", "long"],
)
async def test_a_receipt_out_of_bounds_starts_nothing(
    stack: Stack, field: str, value: str, culprit: str
) -> None:
    response = await post_receipt(stack, goods_receipt(**{field: value}))
    assert_rejected(response, culprit)
    await assert_no_receipt_saga(stack.client, "PK-300", "B3000001")


async def test_an_unknown_material_is_refused_before_any_saga(
    stack: Stack, plant: PlantScenario
) -> None:
    response = await post_receipt(stack, goods_receipt(Material="NOPE-404", Batch="B3000001"))
    assert response.status_code == 422, response.text
    assert response.json()["detail"]["error"] == "UnknownMaterial"
    assert response.json()["detail"]["field"] == "data.Material"
    assert "NOPE-404" in response.json()["detail"]["message"]
    await assert_no_receipt_saga(stack.client, "NOPE-404", "B3000001")


async def _chunks(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * size
        sent += size


async def test_a_body_over_the_limit_is_413_before_parsing(stack: Stack) -> None:
    url = f"{stack.url('gateway')}/webhooks/erp"
    headers = {"X-Event-Type": ERP_RELEASED, "content-type": "application/json"}
    streamed = await stack.http.post(url, content=_chunks(2 * 1024 * 1024), headers=headers)
    assert streamed.status_code == 413, streamed.text
    declared = {**headers, "content-length": str(2 * 1024 * 1024)}
    async with httpx.AsyncClient(timeout=10) as fresh:  # the refused connection is closed
        answer = await fresh.post(url, content=_chunks(2 * 1024 * 1024), headers=declared)
    assert answer.status_code == 413


async def test_a_body_under_the_limit_still_reaches_the_parser(stack: Stack) -> None:
    padded = {**erp_released("1000001"), "padding": " " * 500_000}
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json={**padded, "data": {"ManufacturingOrder": "\x00"}},
        headers={"X-Event-Type": ERP_RELEASED},
        auth=SIGNED(stack),
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/releases/XX99/FG-1000/B1000001/certificate",
        "/releases/XX99/FG-1000/B1000001",
        "/releases/XX99/FG-1000/B1000001/audit",
        "/receipts/XX99/PK-300/B3000001",
        "/production-orders/XX99/1000001",
    ],
)
async def test_an_unknown_plant_is_404(stack: Stack, path: str) -> None:
    response = await stack.http.get(f"{stack.url('gateway')}{path}")
    assert response.status_code == 404, response.text
    assert response.json()["detail"] == {
        "error": "UnknownPlant",
        "field": "plant",
        "message": response.json()["detail"]["message"],
    }
    assert "XX99" in response.json()["detail"]["message"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/releases/P100/FG-1000/X1/certificate", "lot"),
        ("/receipts/P100/PK%E2%80%AE300/B3000001", "item"),
        ("/production-orders/P100/1000%00001", "order_id"),
        ("/production-orders/P100/1234567890123", "order_id"),
    ],
    ids=["lot-pattern", "bidi-item", "nul-order", "order-too-long"],
)
async def test_a_malformed_path_id_is_422(stack: Stack, path: str, field: str) -> None:
    response = await stack.http.get(f"{stack.url('gateway')}{path}")
    assert response.status_code == 422, response.text
    assert response.json()["detail"]["field"] == field


async def test_an_encoded_slash_in_a_path_never_reaches_another_route(stack: Stack) -> None:
    response = await stack.http.get(
        f"{stack.url('gateway')}/releases/P100/..%2Fx%2F21/B1000001/certificate"
    )
    assert response.status_code in (404, 422), response.text


def test_the_openapi_document_declares_each_status_with_the_error_schema(stack: Stack) -> None:
    spec = stack.services["gateway"].app.openapi()
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            statuses = set(op["responses"])
            if "{plant}" in path:
                assert {"404", "422"} <= statuses, (method, path)
            if method == "post" and path != "/health":
                assert "413" in statuses, (method, path)
            for status in statuses - {"200", "202"}:
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)
