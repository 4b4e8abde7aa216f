"""/webhooks/mes: a bad MES event is a 4xx naming the field; an event for an order with no
saga is a 404 saying so; the MES's informational notices are acknowledged and dropped."""

from typing import Any

import pytest

from stack.embedded import Stack
from tests.gateway.support import (
    NOT_OBJECTS,
    assert_no_saga,
    assert_rejected,
    assert_unparseable,
    changed,
    mes_segment_recorded,
    new_order_id,
    not_an_object,
)
from tests.helpers import SignedWebhooks
from workflows.production_order import workflow_id

EVENT_TYPE = "SegmentResponse.Recorded"
HEADERS = {"X-Event-Type": EVENT_TYPE}


async def post(stack: Stack, headers: dict[str, str], **body: Any) -> Any:
    """Post a webhook signed as the MES signs it."""
    auth = SignedWebhooks(stack.webhook_secrets)
    url = f"{stack.url('gateway')}/webhooks/mes"
    return await stack.http.post(url, headers=headers, auth=auth, **body)


async def test_a_body_that_is_not_json_is_refused(
    stack: Stack,
) -> None:
    headers = {**HEADERS, "content-type": "application/json"}
    assert_unparseable(await post(stack, headers, content=b"<JobOrder/>"))


@pytest.mark.parametrize("shape", NOT_OBJECTS)
async def test_json_that_is_not_an_object_is_refused(stack: Stack, shape: str) -> None:
    order_id = new_order_id()
    body = not_an_object(shape, mes_segment_recorded(order_id))
    assert_unparseable(await post(stack, HEADERS, json=body))
    await assert_no_saga(stack.client, "P100", order_id)


P = "SegmentResponse.ProducedQuantity"


@pytest.mark.parametrize(
    ("path", "value", "drop", "field"),
    [
        ("JobOrderID", None, True, "JobOrderID"),
        ("EventID", None, True, "EventID"),
        ("HierarchyScope", None, True, "HierarchyScope"),
        ("SegmentResponse.SegmentID", None, True, "SegmentResponse.SegmentID"),
        (f"{P}.UnitOfMeasure", None, True, f"{P}.UnitOfMeasure"),
        ("EventTime", "yesterday", False, "EventTime"),
        ("EventTime", "2026-03-02T10:15:00", False, "EventTime"),
        (f"{P}.QuantityString", "a thousand", False, f"{P}.QuantityString"),
        (f"{P}.QuantityString", "-5", False, f"{P}.QuantityString"),
        ("SegmentResponse.Final", "perhaps", False, "SegmentResponse.Final"),
        ("SegmentResponse", ["SEG-MIX"], False, "SegmentResponse"),
        ("HierarchyScope.EquipmentID", "SHELBYVILLE", False, "HierarchyScope.EquipmentID"),
        ("SegmentResponse.SegmentID", "SEG-PAINT", False, "SegmentResponse.SegmentID"),
        (f"{P}.UnitOfMeasure", "LB", False, f"{P}.UnitOfMeasure"),
        ("EventType", "JobResponse.Completed", False, "EventType"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
async def test_a_bad_event_is_refused_naming_the_field(
    stack: Stack, path: str, value: Any, drop: bool, field: str
) -> None:
    order_id = new_order_id()
    payload = changed(mes_segment_recorded(order_id), path, value, drop=drop)
    assert_rejected(await post(stack, HEADERS, json=payload), field)
    await assert_no_saga(stack.client, "P100", order_id)


@pytest.mark.parametrize(
    "headers", [{"X-Event-Type": "JobOrder.Exploded"}, {}], ids=["unknown", "absent"]
)
async def test_an_unknown_event_type_is_refused(stack: Stack, headers: dict[str, str]) -> None:
    order_id = new_order_id()
    payload = changed(mes_segment_recorded(order_id), "EventType", None, drop=True)
    assert_rejected(await post(stack, headers, json=payload), "X-Event-Type")
    await assert_no_saga(stack.client, "P100", order_id)


async def test_an_event_for_an_order_without_a_saga_is_a_404_saying_so(stack: Stack) -> None:
    order_id = new_order_id()
    response = await post(stack, HEADERS, json=mes_segment_recorded(order_id))
    assert response.status_code == 404
    assert "no running saga" in response.json()["detail"]
    assert workflow_id("P100", order_id) in response.json()["detail"]
    await assert_no_saga(stack.client, "P100", order_id)


@pytest.mark.parametrize("source", ["header", "payload"])
async def test_informational_events_are_acknowledged_and_dropped(stack: Stack, source: str) -> None:
    order_id = new_order_id()
    payload = {**mes_segment_recorded(order_id), "EventType": "JobOrder.Held"}
    headers = {"X-Event-Type": "JobOrder.Held"} if source == "header" else {}
    response = await post(stack, headers, json=payload)
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    await assert_no_saga(stack.client, "P100", order_id)
