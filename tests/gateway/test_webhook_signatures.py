"""Every webhook route accepts only what its sender signed (Standard Webhooks): unsigned,
wrongly signed, tampered and stale requests are a 401 saying which, and start nothing (asked
of Temporal and of ERP's ledger). A secret being rotated out still verifies; a replayed
webhook id is answered "duplicate" and changes nothing."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from temporalio.api.enums.v1 import EventType

from gateway.webhook_auth import new_secret
from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.gateway.support import (
    ERP_RELEASED,
    assert_no_saga,
    erp_released,
    mes_segment_recorded,
    new_order_id,
    qms_result_recorded,
)
from tests.helpers import SignedWebhooks, signature_headers
from workflows.production_order import workflow_id

ROUTES = {
    "erp": "erp",
    "mes": "mes",
    "qms": "qms",
    "lims": "lims",
    "supplier_portal": "supplier-portal",
}


async def send(stack: Stack, system: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    """Post exactly these bytes and headers (no signing helper in the way; header values go
    out as Latin-1 bytes, so a forger's non-ASCII header reaches the gateway as sent)."""
    raw = {name.encode(): value.encode("latin-1") for name, value in headers.items()}
    return await stack.http.post(
        f"{stack.url('gateway')}/webhooks/{ROUTES[system]}",
        content=body,
        headers={b"content-type": b"application/json", **raw},
    )


def assert_unauthorized(response: httpx.Response, error: str, *words: str) -> None:
    assert response.status_code == 401, response.text
    detail = response.json()["detail"]
    assert detail["error"] == error, detail
    for word in words:
        assert word in detail["message"], detail


async def assert_nothing_started(stack: Stack, plant: PlantScenario, event: dict[str, Any]) -> None:
    await assert_no_saga(stack.client, "P100", event["data"]["ManufacturingOrder"])
    assert await plant.ledger("erp", correlation_id=event["id"]) == []


@pytest.mark.parametrize("system", list(ROUTES))
async def test_an_unsigned_webhook_is_refused_on_every_route(stack: Stack, system: str) -> None:
    body = json.dumps(mes_segment_recorded(new_order_id())).encode()
    response = await send(stack, system, body, {})
    assert_unauthorized(
        response, "WebhookUnsigned", "webhook-id", "webhook-timestamp", "webhook-signature"
    )
    assert response.headers["www-authenticate"].startswith("Signature")


async def test_an_unsigned_release_of_a_real_order_starts_nothing(
    stack: Stack, plant: PlantScenario
) -> None:
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")  # ERP has the order; only the event is forged
    event = erp_released(order_id)
    response = await send(stack, "erp", json.dumps(event).encode(), {"X-Event-Type": ERP_RELEASED})
    assert_unauthorized(response, "WebhookUnsigned")
    await assert_nothing_started(stack, plant, event)


def _seconds_ago(seconds: int) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=seconds)


FORGERIES = {
    # name: (how the headers are made from (body, genuine secret), error, words in the message)
    "unknown-secret": (
        lambda body, _secret: signature_headers(new_secret(), body),
        "WebhookSignatureMismatch",
        ["does not match"],
    ),
    "tampered-body": (
        lambda body, secret: signature_headers(secret, body.replace(b"FG-1000", b"FG-2000")),
        "WebhookSignatureMismatch",
        ["does not match"],
    ),
    "not-base64": (
        lambda body, secret: {**signature_headers(secret, body), "webhook-signature": "v1,@@@"},
        "WebhookSignatureMismatch",
        [],
    ),
    "no-version": (
        lambda body, secret: {**signature_headers(secret, body), "webhook-signature": "nonsense"},
        "WebhookSignatureMismatch",
        [],
    ),
    "not-ascii": (
        lambda body, secret: {**signature_headers(secret, body), "webhook-signature": "v1,\u00ff"},
        "WebhookSignatureMismatch",
        [],
    ),
    "stale": (
        lambda body, secret: signature_headers(secret, body, at=_seconds_ago(600)),
        "WebhookStale",
        ["stale", "300 s"],
    ),
    "from-the-future": (
        lambda body, secret: signature_headers(secret, body, at=_seconds_ago(-600)),
        "WebhookStale",
        ["stale"],
    ),
    "timestamp-not-a-number": (
        lambda body, secret: {**signature_headers(secret, body), "webhook-timestamp": "today"},
        "WebhookStale",
        ["Unix time"],
    ),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_a_badly_signed_release_is_refused_saying_why_and_starts_nothing(
    stack: Stack, plant: PlantScenario, forgery: str
) -> None:
    make, error, words = FORGERIES[forgery]
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")
    event = erp_released(order_id)
    body = json.dumps(event).encode()
    headers = make(body, stack.webhook_secret("erp"))
    response = await send(stack, "erp", body, {"X-Event-Type": ERP_RELEASED, **headers})
    assert_unauthorized(response, error, *words)
    await assert_nothing_started(stack, plant, event)


async def test_a_secret_signed_by_another_system_is_refused(stack: Stack) -> None:
    """QMS's secret does not open ERP's route: secrets are per sending system."""
    order_id = new_order_id()
    body = json.dumps(erp_released(order_id)).encode()
    headers = signature_headers(stack.webhook_secret("qms"), body)
    response = await send(stack, "erp", body, {"X-Event-Type": ERP_RELEASED, **headers})
    assert_unauthorized(response, "WebhookSignatureMismatch")
    await assert_no_saga(stack.client, "P100", order_id)


async def test_the_previous_secret_still_verifies_during_rotation(
    stack: Stack, plant: PlantScenario
) -> None:
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")
    await plant.release(order_id)  # ERP must show it released (its own event races ours)
    previous = stack.webhook_secrets["erp"][1]
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json=erp_released(order_id),
        headers={"X-Event-Type": ERP_RELEASED},
        auth=SignedWebhooks({"erp": previous}),
    )
    assert response.status_code == 202, response.text
    assert response.json()["status"] in ("started", "duplicate")


async def test_a_replayed_webhook_id_is_answered_duplicate_and_changes_nothing(
    stack: Stack, plant: PlantScenario
) -> None:
    order_id = new_order_id()
    await plant.new_order(order_id, f"B{order_id}")
    await plant.release(order_id)  # ERP's outbox delivers the genuine, signed release
    await plant.wait_for_saga(order_id, lambda s: bool(s), "the saga")
    outbox = (await stack.http.get(f"{stack.url('erp')}/admin/outbox")).json()
    genuine = next(
        e
        for e in outbox
        if e["event_type"] == ERP_RELEASED
        and e["payload"]["data"]["ManufacturingOrder"] == order_id
    )
    body = json.dumps(genuine["payload"]).encode()
    # The genuine message, captured and sent again (a fresh timestamp, the same id).
    headers = signature_headers(stack.webhook_secret("erp"), body, genuine["webhook_id"])
    for _ in range(5):
        again = await send(stack, "erp", body, {"X-Event-Type": ERP_RELEASED, **headers})
        assert again.status_code == 200, again.text
        assert again.json() == {
            "status": "duplicate",
            "webhook_id": genuine["webhook_id"],
            "system": "erp",
        }

    state = await plant.saga(order_id)
    assert state["triggers_received"] == 1
    history = await stack.client.get_workflow_handle(workflow_id("P100", order_id)).fetch_history()
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    assert sum(1 for e in history.events if e.event_type == accepted) == 1


async def test_a_refused_delivery_is_not_remembered_as_accepted(stack: Stack) -> None:
    """Only deliveries the gateway acted on count: a 4xx one sent again is judged again."""
    order_id = new_order_id()
    event = erp_released(order_id)
    event["data"]["ProductionPlant"] = "9999"  # no such plant: 422
    body = json.dumps(event).encode()
    headers = signature_headers(stack.webhook_secret("erp"), body, webhook_id="msg_refused_1")
    for _ in range(2):
        response = await send(stack, "erp", body, {"X-Event-Type": ERP_RELEASED, **headers})
        assert response.status_code == 422, response.text


async def test_an_unsigned_qms_result_is_refused(stack: Stack) -> None:
    body = json.dumps(qms_result_recorded(new_order_id())).encode()
    response = await send(stack, "qms", body, {"X-Event-Type": "Result.Recorded"})
    assert_unauthorized(response, "WebhookUnsigned")
