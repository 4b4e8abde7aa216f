"""/webhooks/qms: a bad QMS event is a 4xx naming the field, and nothing starts."""

from typing import Any

import pytest

from stack.embedded import Stack
from tests.gateway.support import (
    NOT_OBJECTS,
    assert_no_saga,
    assert_rejected,
    assert_unparseable,
    changed,
    new_order_id,
    not_an_object,
    qms_result_recorded,
)
from tests.helpers import SignedWebhooks

HEADERS = {"X-Event-Type": "Result.Recorded"}


async def post(stack: Stack, headers: dict[str, str], **body: Any) -> Any:
    """Post a webhook signed as the QMS signs it."""
    auth = SignedWebhooks(stack.webhook_secrets)
    url = f"{stack.url('gateway')}/webhooks/qms"
    return await stack.http.post(url, headers=headers, auth=auth, **body)


async def test_a_body_that_is_not_json_is_refused(
    stack: Stack,
) -> None:
    headers = {**HEADERS, "content-type": "application/json"}
    assert_unparseable(await post(stack, headers, content=b"MIC=VISC;value=1"))


@pytest.mark.parametrize("shape", NOT_OBJECTS)
async def test_json_that_is_not_an_object_is_refused(stack: Stack, shape: str) -> None:
    order_id = new_order_id()
    body = not_an_object(shape, qms_result_recorded(order_id))
    assert_unparseable(await post(stack, HEADERS, json=body))
    await assert_no_saga(stack.client, "P100", order_id)


@pytest.mark.parametrize(
    ("path", "value", "drop", "field"),
    [
        ("MIC", None, True, "MIC"),
        ("InspectionLot", None, True, "InspectionLot"),
        ("CorrelationID", None, True, "CorrelationID"),
        ("Site", None, True, "Site"),
        ("MeasuredValue", "high", False, "MeasuredValue"),
        ("Valuation", "X", False, "Valuation"),
        ("EventTime", "2026-03-02T10:30:00", False, "EventTime"),
        ("RecordedBy", ["op.nguyen"], False, "RecordedBy"),
        ("CorrelationID", "c" * 200, False, "CorrelationID"),
        ("Site", "QA-NOWHERE", False, "Site"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
async def test_a_bad_event_is_refused_naming_the_field(
    stack: Stack, path: str, value: Any, drop: bool, field: str
) -> None:
    order_id = new_order_id()
    payload = changed(qms_result_recorded(order_id), path, value, drop=drop)
    assert_rejected(await post(stack, HEADERS, json=payload), field)
    await assert_no_saga(stack.client, "P100", order_id)


@pytest.mark.parametrize(
    "headers", [{"X-Event-Type": "Lot.Exploded"}, {}], ids=["unknown", "absent"]
)
async def test_an_unknown_event_type_is_refused(stack: Stack, headers: dict[str, str]) -> None:
    order_id = new_order_id()
    payload = changed(qms_result_recorded(order_id), "EventType", None, drop=True)
    assert_rejected(await post(stack, headers, json=payload), "X-Event-Type")
    await assert_no_saga(stack.client, "P100", order_id)


async def test_a_good_event_is_noted_and_starts_nothing(stack: Stack) -> None:
    order_id = new_order_id()
    response = await post(stack, HEADERS, json=qms_result_recorded(order_id))
    assert response.status_code == 202
    assert response.json()["kind"] == "inspection_result_recorded"
    await assert_no_saga(stack.client, "P100", order_id)
