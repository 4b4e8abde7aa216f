"""A retried write (same Idempotency-Key) gets the first answer and changes nothing."""

import httpx
import pytest

from adapters.errors import BusinessRefusal
from adapters.qms_reference import ReferenceQmsAdapter
from refsystems.qms.inspector import Inspector
from stack.services import RunningService
from tests.qms import factories as f


async def ledger(client: httpx.AsyncClient, qms: RunningService, key: str) -> list[dict]:
    response = await client.get(f"{qms.url}/admin/ledger", params={"idempotency_key": key})
    return list(response.json())


async def test_replayed_result_is_answered_once_and_posted_once(
    adapter: ReferenceQmsAdapter,
    inspector: Inspector,
    client: httpx.AsyncClient,
    qms: RunningService,
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    command = f.measurement(lot, "15000", key="measure-visc-s1")
    first = await adapter.record_measurement(command)
    second = await adapter.record_measurement(command)
    assert second == first and not first.passed

    entries = await ledger(client, qms, "measure-visc-s1")
    assert [e["action"] for e in entries] == ["create_notification", "record_result"]
    state = await inspector.get_lot(lot)
    assert len(state.Results) == 1 and state.Notifications == [first.nonconformance_id]
    outbox = (await client.get(f"{qms.url}/admin/outbox")).json()
    assert [e["event_type"] for e in outbox] == ["Result.Recorded", "Notification.Created"]


async def test_replayed_writes_say_they_were_replayed(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    lot_cmd = f.lot_command(key="create-lot")
    lot = await adapter.create_inspection_lot(lot_cmd)
    assert await adapter.create_inspection_lot(lot_cmd) == lot
    assert len(await ledger(client, qms, "create-lot")) == 1

    nc = await adapter.record_measurement(f.measurement(lot.inspection_lot_id, "9000"))
    assert nc.nonconformance_id
    disposition = f.disposition(nc.nonconformance_id, key="disposition-1")
    first = await adapter.record_disposition(disposition)
    again = await adapter.record_disposition(disposition)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.document == first.document == nc.nonconformance_id
    assert len(await ledger(client, qms, "disposition-1")) == 1

    decision = f.usage_decision(lot.inspection_lot_id, key="ud-1")
    assert not (await adapter.record_usage_decision(decision)).replayed
    assert (await adapter.record_usage_decision(decision)).replayed
    assert len(await ledger(client, qms, "ud-1")) == 1
    events = (await client.get(f"{qms.url}/admin/outbox")).json()
    assert [e["event_type"] for e in events].count("UsageDecision.Made") == 1


async def test_a_refusal_is_replayed_too(adapter: ReferenceQmsAdapter) -> None:
    """The first answer is final: a retry of a refused request is refused the same way."""
    command = f.lot_command(key="no-plan", item_id="XX-999")
    for _ in range(2):
        with pytest.raises(BusinessRefusal) as refused:
            await adapter.create_inspection_lot(command)
        assert refused.value.code == "NoInspectionPlan"


async def test_receipt_lot_cancel_and_vendor_notification_replays(
    adapter: ReferenceQmsAdapter,
    inspector: Inspector,
    client: httpx.AsyncClient,
    qms: RunningService,
) -> None:
    create = f.receipt_lot_command(key="gr-lot")
    lot = await adapter.create_receipt_inspection_lot(create)
    assert await adapter.create_receipt_inspection_lot(create) == lot
    assert len(await inspector.find_lots(purchase_order=f.PURCHASE_ORDER)) == 1
    assert len(await ledger(client, qms, "gr-lot")) == 1

    opened = f.open_nc(lot.inspection_lot_id, key="gr-nc")
    nc = await adapter.open_nonconformance(opened)
    assert await adapter.open_nonconformance(opened) == nc
    assert len(await inspector.find_notifications(inspection_lot=lot.inspection_lot_id)) == 1
    assert [e["action"] for e in await ledger(client, qms, "gr-nc")] == ["create_notification"]

    cancel = f.cancel(lot.inspection_lot_id, key="gr-cancel")
    first = await adapter.cancel_inspection_lot(cancel)
    again = await adapter.cancel_inspection_lot(cancel)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.document == first.document == lot.inspection_lot_id
    assert len(await ledger(client, qms, "gr-cancel")) == 1
    events = [e["event_type"] for e in (await client.get(f"{qms.url}/admin/outbox")).json()]
    assert events == ["Notification.Created", "InspectionLot.Cancelled"]
