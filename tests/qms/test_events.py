"""QMS webhooks -> canonical events: real payloads map; bad ones are rejected by field."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from adapters.errors import EventRejected
from adapters.qms_reference import (
    INFORMATIONAL_EVENT_TYPES,
    ReferenceQmsAdapter,
    parse_qms_event,
)
from canonical.enums import NonconformanceSource, SourceSystem
from canonical.events import InspectionResultRecorded, NonconformanceOpened, UsageDecisionMade
from canonical.plant_config import Settings, load_settings
from stack.services import RunningService
from tests.helpers import eventually
from tests.qms import factories as f
from tests.qms.test_translation import with_qms_units
from tests.systems import Hooks


@pytest.fixture
async def qms(qms_hooked: RunningService) -> RunningService:
    return qms_hooked


def result_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "EventID": "3f1c",
        "EventType": "Result.Recorded",
        "EventTime": "2025-03-04T10:30:00+00:00",
        "CorrelationID": "corr-1",
        "InspectionLot": "890000000001",
        "Site": "QA-SPR",
        "Origin": "03",
        "Material": "FG-1000",
        "Batch": "B1000001",
        "SourceOrder": "1000001",
        "MIC": "VISC",
        "SampleID": "S1",
        "MeasuredValue": "15000",
        "Unit": "mPa.s",
        "RecordedBy": "op.nguyen",
        "RecordedAt": "2025-03-04T10:29:59Z",
        "Valuation": "R",
        "NotificationNumber": "QN10000001",
    }
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


async def test_events_from_the_real_qms_map_to_canonical(
    adapter: ReferenceQmsAdapter, hooks: Hooks, settings: Settings
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    nc = (await adapter.record_measurement(f.measurement(lot, "15000"))).nonconformance_id
    await adapter.record_usage_decision(f.usage_decision(lot, accepted=False))

    async def probe() -> list:
        return list(hooks.received)

    got = await eventually(probe, lambda events: len(events) >= 3, timeout=10)
    result, opened, decided = (parse_qms_event(e.payload, e.event_type, settings) for e in got)

    assert isinstance(result, InspectionResultRecorded)
    assert (result.plant, result.source_system, result.correlation_id) == (
        "P100",
        SourceSystem.QMS,
        f.CORRELATION,
    )
    assert (result.inspection_lot_id, result.order_id, result.lot_id) == (
        lot,
        "1000001",
        "B1000001",
    )
    assert (result.item_id, result.origin) == ("FG-1000", "production")
    assert (result.characteristic_id, result.measured_value, result.passed) == (
        "VISC",
        Decimal(15000),
        False,
    )
    assert (result.recorded_by, result.nonconformance_id) == ("op.nguyen", nc)
    assert isinstance(opened, NonconformanceOpened)
    assert (opened.nonconformance_id, opened.raised_by) == (nc, "op.nguyen")
    assert "VISC" in opened.description
    # A rejected result opened it in results recording: an F3 defect report, found by inspection.
    assert got[1].payload["NotificationType"] == "F3"
    assert opened.source == NonconformanceSource.INSPECTION
    assert isinstance(decided, UsageDecisionMade)
    assert (decided.accepted, decided.decided_by) == (False, "qa.lee")
    assert (decided.quantity_free, decided.quantity_blocked, decided.unit) == (0, 1000, "EA")
    assert len({result.event_id, opened.event_id, decided.event_id}) == 3


async def test_receipt_lot_events_carry_origin_item_and_vendor(
    adapter: ReferenceQmsAdapter, hooks: Hooks, settings: Settings
) -> None:
    lot = (await adapter.create_receipt_inspection_lot(f.receipt_lot_command())).inspection_lot_id
    await adapter.record_measurement(f.measurement(lot, "0.25", "WALL", "S001"))
    nc = await adapter.open_nonconformance(f.open_nc(lot))
    split = f.usage_decision(
        lot, accepted=False, quantity_free=Decimal(9800), quantity_blocked=Decimal(200)
    )
    await adapter.record_usage_decision(split)
    other = await adapter.create_receipt_inspection_lot(f.receipt_lot_command(lot_id="B3000009"))
    await adapter.cancel_inspection_lot(f.cancel(other.inspection_lot_id))

    async def probe() -> list:
        return list(hooks.received)

    received = await eventually(probe, lambda events: len(events) >= 4, timeout=10)
    # The outbox keeps order within one inspection lot; separate lots are separate lanes.
    first_lot = [e for e in received if e.payload["InspectionLot"] == lot]
    other_lot = [e for e in received if e.payload["InspectionLot"] == other.inspection_lot_id]
    assert [e.event_type for e in first_lot] == [
        "Result.Recorded",
        "Notification.Created",
        "UsageDecision.Made",
    ]
    assert [e.event_type for e in other_lot] == ["InspectionLot.Cancelled"]
    got = [*first_lot, *other_lot]
    for event in got:
        payload = event.payload
        assert (payload["Origin"], payload["Material"], payload["Supplier"]) == (
            "01",
            "PK-300",
            f.SUPPLIER,
        )
        assert payload["PurchaseOrder"] == f.PURCHASE_ORDER
    assert got[1].payload["NotificationType"] == "Q2"
    assert got[3].payload["Reason"] == "PO cancelled"

    result, opened, decided = (parse_qms_event(e.payload, e.event_type, settings) for e in got[:3])
    assert isinstance(result, InspectionResultRecorded)
    assert (result.origin, result.item_id, result.lot_id, result.order_id) == (
        "goods_receipt",
        "PK-300",
        "B3000001",
        None,
    )
    assert (result.passed, result.nonconformance_id) == (False, None)
    assert isinstance(opened, NonconformanceOpened)
    assert (opened.nonconformance_id, opened.origin) == (nc.nonconformance_id, "goods_receipt")
    assert opened.source == NonconformanceSource.COMPLAINT
    assert isinstance(decided, UsageDecisionMade)
    assert (decided.quantity_free, decided.quantity_blocked, decided.unit) == (9800, 200, "EA")
    assert "InspectionLot.Cancelled" in INFORMATIONAL_EVENT_TYPES
    with pytest.raises(EventRejected) as informational:
        parse_qms_event(got[3].payload, got[3].event_type, settings)
    assert informational.value.field == "X-Event-Type"
    assert "informational" in informational.value.message


def test_usage_decision_quantities_come_back_canonical() -> None:
    settings = with_qms_units(load_settings())
    payload = result_payload(
        EventType="UsageDecision.Made",
        Code="A",
        DecidedBy="qa.lee",
        QtyToFree="40000",
        QtyToBlocked="10000",
        Unit="G",
    )
    event = parse_qms_event(payload, "UsageDecision.Made", settings)
    assert isinstance(event, UsageDecisionMade)
    assert (event.quantity_free, event.quantity_blocked, event.unit) == (40, 10, "KG")
    with pytest.raises(EventRejected) as rejected:
        parse_qms_event({**payload, "Unit": "LB"}, "UsageDecision.Made", settings)
    assert rejected.value.field == "Unit"


def test_event_time_becomes_occurred_at() -> None:
    event = parse_qms_event(result_payload(), "Result.Recorded", load_settings())
    assert event.occurred_at == datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "event_type", "field"),
    [
        ({"Site": "QA-NOWHERE"}, "Result.Recorded", "Site"),
        ({"MIC": None}, "Result.Recorded", "MIC"),
        ({"CorrelationID": ""}, "Result.Recorded", "CorrelationID"),
        ({"EventTime": "yesterday"}, "Result.Recorded", "EventTime"),
        ({"EventTime": "2025-03-04T10:30:00"}, "Result.Recorded", "EventTime"),
        ({"MeasuredValue": "high"}, "Result.Recorded", "MeasuredValue"),
        ({"Valuation": "X"}, "Result.Recorded", "Valuation"),
        ({"Origin": "07"}, "Result.Recorded", "Origin"),
        ({}, "Notification.Created", "ReportedBy"),
        ({}, "Lot.Exploded", "X-Event-Type"),
    ],
)
def test_rejections_name_the_payload_field(
    changes: dict[str, Any], event_type: str, field: str
) -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_qms_event(result_payload(**changes), event_type, load_settings())
    assert rejected.value.field == field


def test_canonical_limits_are_reported_against_the_payload_field() -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_qms_event(result_payload(CorrelationID="c" * 200), "Result.Recorded", load_settings())
    assert rejected.value.field == "CorrelationID"
