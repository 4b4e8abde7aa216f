"""/webhooks/erp: a bad release event is a 4xx naming the field and starts no saga; a
repeated one finds the saga the first one started."""

from typing import Any

import pytest

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.gateway.support import (
    ERP_RELEASED,
    NOT_OBJECTS,
    assert_no_saga,
    assert_rejected,
    assert_unparseable,
    changed,
    erp_released,
    new_order_id,
    not_an_object,
)
from tests.helpers import SignedWebhooks
from workflows.production_order import workflow_id

HEADERS = {"X-Event-Type": ERP_RELEASED}


async def post(stack: Stack, headers: dict[str, str], **body: Any) -> Any:
    """Post a webhook signed as the ERP signs it."""
    auth = SignedWebhooks(stack.webhook_secrets)
    url = f"{stack.url('gateway')}/webhooks/erp"
    return await stack.http.post(url, headers=headers, auth=auth, **body)


@pytest.mark.parametrize(
    "content",
    [b"ProductionOrder.Released 1000001", b'{"specversion": "1.0", "data": {'],
    ids=["text", "truncated-json"],
)
async def test_a_body_that_is_not_json_is_refused(stack: Stack, content: bytes) -> None:
    headers = {**HEADERS, "content-type": "application/json"}
    assert_unparseable(await post(stack, headers, content=content))


@pytest.mark.parametrize("shape", NOT_OBJECTS)
async def test_json_that_is_not_an_object_is_refused(stack: Stack, shape: str) -> None:
    order_id = new_order_id()
    body = not_an_object(shape, erp_released(order_id))
    assert_unparseable(await post(stack, HEADERS, json=body))
    await assert_no_saga(stack.client, "P100", order_id)


@pytest.mark.parametrize(
    ("path", "value", "drop", "field"),
    [
        ("data.ManufacturingOrder", None, True, "data.ManufacturingOrder"),
        ("data", None, True, "data"),
        ("id", None, True, "id"),
        ("time", None, True, "time"),
        ("specversion", None, True, "specversion"),
        ("data.ProductionPlant", 1010, False, "data.ProductionPlant"),
        ("data", "1000001", False, "data"),
        ("time", "yesterday", False, "time"),
        ("time", "2026-03-02T08:00:00", False, "time"),
        ("specversion", "0.3", False, "specversion"),
        ("data.ProductionPlant", "9999", False, "data.ProductionPlant"),
        ("type", "sap.s4.beh.productionorder.v1.ProductionOrder.Created.v1", False, "type"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
async def test_a_bad_release_is_refused_naming_the_field_and_starts_nothing(
    stack: Stack, path: str, value: Any, drop: bool, field: str
) -> None:
    order_id = new_order_id()
    payload = changed(erp_released(order_id), path, value, drop=drop)
    # No X-Event-Type header: the type comes from the CloudEvent itself.
    response = await post(stack, {}, json=payload)
    assert_rejected(response, field)
    await assert_no_saga(stack.client, "P100", order_id)


async def test_an_order_number_of_the_wrong_type_is_refused(stack: Stack) -> None:
    order_id = new_order_id()
    payload = changed(erp_released(order_id), "data.ManufacturingOrder", int(order_id))
    response = await post(stack, HEADERS, json=payload)
    assert_rejected(response, "data.ManufacturingOrder")
    await assert_no_saga(stack.client, "P100", order_id)


async def test_an_unknown_event_type_header_is_refused(stack: Stack) -> None:
    order_id = new_order_id()
    headers = {"X-Event-Type": "sap.s4.beh.productionorder.v1.ProductionOrder.Created.v1"}
    response = await post(stack, headers, json=erp_released(order_id))
    # The header mirrors the CloudEvent's "type" attribute, which the parser names.
    assert_rejected(response, "type")
    assert "ProductionOrder.Created" in response.json()["detail"]["message"]
    await assert_no_saga(stack.client, "P100", order_id)


async def test_a_repeated_release_finds_the_saga_the_first_one_started(
    stack: Stack, plant: PlantScenario
) -> None:
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")
    await plant.release(order_id)  # ERP's own event starts the saga
    first = await plant.wait_for_saga(order_id, lambda s: bool(s.get("release_checked")), "started")
    outbox = (await stack.http.get(f"{stack.url('erp')}/admin/outbox")).json()
    event = next(
        e["payload"]
        for e in outbox
        if e["payload"].get("data", {}).get("ManufacturingOrder") == order_id
    )

    again = await post(stack, HEADERS, json=event)
    once_more = await post(stack, HEADERS, json=event)

    assert again.status_code == once_more.status_code == 202
    assert again.json()["status"] == once_more.json()["status"] == "duplicate"
    wf_id = workflow_id("P100", order_id)
    assert first["workflow_id"] == again.json()["workflow_id"] == wf_id
    # Repeats (new deliveries of the same event) carry the same update id: Temporal
    # deduplicates them, so the saga's history holds one trigger.
    state = await plant.wait_for_saga(
        order_id, lambda s: s.get("triggers_received") == 1, "one trigger"
    )
    assert state["correlation_id"] == event["id"]


async def test_a_release_erp_has_not_made_is_refused_with_409(
    stack: Stack, plant: PlantScenario
) -> None:
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")  # created, not released
    response = await post(stack, HEADERS, json=erp_released(order_id))
    assert response.status_code == 409, response.text
    detail = response.json()["detail"]
    assert detail["status"] == "refused" and detail["error"] == "OrderNotReleased"
    assert detail["workflow_id"] == workflow_id("P100", order_id)
