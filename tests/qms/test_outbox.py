"""The QMS's outbound events reach a webhook receiver, in order, with the fields promised."""

import pytest

from adapters.qms_reference import ReferenceQmsAdapter
from refsystems.qms.inspector import Inspector
from stack.services import RunningService
from tests.helpers import eventually
from tests.qms import factories as f
from tests.systems import Hooks


@pytest.fixture
async def qms(qms_hooked: RunningService) -> RunningService:
    return qms_hooked


async def received(hooks: Hooks, count: int) -> list:
    async def probe() -> list:
        return list(hooks.received)

    return await eventually(probe, lambda got: len(got) >= count, timeout=10)


async def test_rejected_result_sends_result_then_notification(
    adapter: ReferenceQmsAdapter, hooks: Hooks
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    result = await adapter.record_measurement(f.measurement(lot, "15000"))
    result_event, nc_event = await received(hooks, 2)

    assert [result_event.event_type, nc_event.event_type] == [
        "Result.Recorded",
        "Notification.Created",
    ]
    for event in (result_event, nc_event):
        assert event.headers["x-source-system"] == "qms"
        assert event.headers["x-correlation-id"] == f.CORRELATION
        assert event.headers["idempotency-key"].startswith("qms-event-")
        payload = event.payload
        assert payload["EventType"] == event.event_type
        assert (payload["InspectionLot"], payload["Site"], payload["CorrelationID"]) == (
            lot,
            "QA-SPR",
            f.CORRELATION,
        )
        assert (payload["Material"], payload["Batch"], payload["SourceOrder"]) == (
            "FG-1000",
            "B1000001",
            "1000001",
        )
        assert payload["EventTime"].endswith("+00:00")
    assert result_event.payload["EventID"] != nc_event.payload["EventID"]
    assert (result_event.payload["Valuation"], result_event.payload["MeasuredValue"]) == (
        "R",
        "15000",
    )
    assert result_event.payload["NotificationNumber"] == result.nonconformance_id
    assert nc_event.payload["NotificationNumber"] == result.nonconformance_id
    assert nc_event.payload["ReportedBy"] == "op.nguyen"
    assert nc_event.payload["AffectedBatches"] == ["B1000001"]


async def test_lab_entry_without_correlation_id_keeps_the_lots(
    adapter: ReferenceQmsAdapter, inspector: Inspector, hooks: Hooks
) -> None:
    """A result typed in at the lab still traces back to the saga that created the lot."""
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    answer = await inspector.record_result(lot, "FILL_WT", "LAB-1", "50.2")
    assert answer.Valuation == "A" and answer.RecordedBy == "op.nguyen"
    (event,) = await received(hooks, 1)
    assert event.payload["CorrelationID"] == f.CORRELATION
    assert event.payload["RecordedBy"] == "op.nguyen"


async def test_usage_decision_is_announced(adapter: ReferenceQmsAdapter, hooks: Hooks) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    await adapter.record_usage_decision(f.usage_decision(lot, quantity_free=990))
    (event,) = await received(hooks, 1)
    assert event.event_type == "UsageDecision.Made"
    payload = event.payload
    assert (payload["Code"], payload["DecidedBy"], payload["QtyToFree"]) == ("A", "qa.lee", "990")
    assert (payload["QtyToBlocked"], payload["Quantity"], payload["Unit"]) == ("0", "1000", "EA")
