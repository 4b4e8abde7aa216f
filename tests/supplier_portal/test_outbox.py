"""The portal's webhooks reach a receiver, in order, with the fields promised."""

import pytest

from adapters.supplier_portal_reference import EVENT_TYPES, ReferenceSupplierPortalAdapter
from stack.services import RunningService
from tests.helpers import eventually
from tests.supplier_portal import factories as f
from tests.supplier_portal.conftest import Portal
from tests.systems import Hooks, Received


@pytest.fixture
async def portal(portal_hooked: RunningService) -> RunningService:
    return portal_hooked


async def received(hooks: Hooks, count: int) -> list[Received]:
    async def probe() -> list[Received]:
        return list(hooks.received)

    return await eventually(probe, lambda got: len(got) >= count, timeout=10)


async def test_scar_lifecycle_is_announced(
    adapter: ReferenceSupplierPortalAdapter, web: Portal, hooks: Hooks
) -> None:
    number = (await adapter.request_corrective_action(f.scar_request())).document
    # The supplier answers in the portal: no correlation id, the SCAR's own is used.
    answer = {"responseText": "probe recalibrated", "respondedBy": "jo.acme"}
    assert (await web.post(f"/api/scars/{number}/response", answer)).status_code == 200
    await web.post(f"/api/scars/{number}/close", {"closedBy": "qa.lee"})
    events = await received(hooks, 4)

    assert [e.event_type for e in events] == [
        "scar.created",
        "scorecard.updated",
        "scar.responded",
        "scorecard.updated",
    ]
    assert {e.event_type for e in events} <= EVENT_TYPES
    for event in events:
        assert event.headers["x-source-system"] == "supplier-portal"
        assert event.headers["x-correlation-id"] == f.CORRELATION
        assert event.headers["idempotency-key"].startswith("supplier-portal-event-")
        payload = event.payload
        assert (payload["eventType"], payload["supplierId"]) == (event.event_type, f.ACME)
        assert payload["correlationId"] == f.CORRELATION
        assert payload["occurredAt"].endswith("+00:00")
    assert len({e.payload["eventId"] for e in events}) == 4

    created, opened, responded, closed = (e.payload for e in events)
    assert (created["scar"]["scarNumber"], created["scar"]["status"]) == (number, "OPEN")
    assert created["scar"]["nonconformanceRef"] == "QN10000001"
    assert opened["trigger"] == {"kind": "scarCreated", "reference": number}
    assert opened["scorecard"]["openScars"] == 1 and opened["scorecard"]["rating"] == "95.0"
    assert responded["scar"]["status"] == "RESPONDED"
    assert responded["scar"]["responseText"] == "probe recalibrated"
    assert closed["trigger"] == {"kind": "scarClosed", "reference": number}
    assert closed["scorecard"]["openScars"] == 0 and closed["scorecard"]["rating"] == "100.0"


async def test_lot_outcome_updates_the_scorecard_once(
    adapter: ReferenceSupplierPortalAdapter, web: Portal, hooks: Hooks
) -> None:
    command = f.outcome("B2000009", accepted=False)
    receipt = await adapter.record_lot_outcome(command)
    await adapter.record_lot_outcome(command)  # a retry announces nothing new
    await adapter.record_lot_outcome(f.outcome("B2000010"))
    first, second = await received(hooks, 2)
    assert first.payload["trigger"] == {"kind": "lotOutcome", "reference": receipt.document}
    card = first.payload["scorecard"]
    assert (card["lotsReceived"], card["lotsRejected"], card["rating"]) == (1, 1, "0.0")
    assert second.payload["scorecard"]["rating"] == "50.0"

    async def outbox() -> list[dict]:
        return list(await web.get("/admin/outbox"))

    delivered = await eventually(outbox, lambda rows: all(e["delivered_at"] for e in rows))
    assert len(delivered) == 2
