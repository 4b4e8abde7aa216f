"""Shop-floor actions -> webhooks at the receiver -> canonical events via the parser."""

from decimal import Decimal

from adapters.mes_reference import parse_mes_event
from canonical.commands import JobCommand
from canonical.events import (
    InspectionSampleTaken,
    JobAcknowledged,
    JobCompleted,
    MaterialIssued,
    OperationConfirmed,
)
from tests.helpers import eventually
from tests.mes.conftest import ORDER, SITE, Mes, dispatch_command

SAGA_EVENTS = [
    "JobOrder.Accepted",
    "MaterialActual.Recorded",
    "SegmentResponse.Recorded",
    "TestResult.Recorded",
    "JobResponse.Completed",
]


async def run_demo_job(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    await mes.floor.start_job(SITE, ORDER, "op.nguyen")
    await mes.floor.consume_material(SITE, ORDER, "RM-200", "B2000001", 50000, "g", "SEG-MIX")
    await mes.floor.confirm_segment(SITE, ORDER, "SEG-FILL", 995, "PC", scrap=5, final=True)
    await mes.floor.record_test(SITE, ORDER, "SEG-FILL", "FILL_WT", "S-1", "50.2", "g", "op.nguyen")
    await mes.floor.complete_job(SITE, ORDER, 995, "PC", lot_id="B1000001")


async def test_events_reach_the_webhook_with_headers(mes_hooked: Mes) -> None:
    mes = mes_hooked
    await run_demo_job(mes)
    events = await eventually(mes.webhooks.all, lambda got: len(got) >= 6)
    saga = [(h, p) for h, p in events if h["x-event-type"] in SAGA_EVENTS]
    assert [h["x-event-type"] for h, _ in saga] == SAGA_EVENTS
    for headers, payload in events:
        assert headers["x-source-system"] == "mes"
        assert headers["x-correlation-id"] == payload["CorrelationID"] == "corr-1000001"
        assert headers["idempotency-key"].startswith("mes-event-")
        assert payload["JobOrderID"] == ORDER
        assert payload["HierarchyScope"]["EquipmentID"] == SITE
        assert payload["EventType"] == headers["x-event-type"]
    assert len({p["EventID"] for _, p in events}) == len(events)


async def test_delivered_events_translate_to_canonical(mes_hooked: Mes) -> None:
    mes = mes_hooked
    await run_demo_job(mes)
    events = await eventually(mes.webhooks.all, lambda got: len(got) >= 6)
    saga = [(h, p) for h, p in events if h["x-event-type"] in SAGA_EVENTS]
    parsed = [
        parse_mes_event(payload, headers["x-event-type"], mes.settings) for headers, payload in saga
    ]
    assert [e.event_id for e in parsed] == [p["EventID"] for _, p in saga]
    ack, issued, confirmed, sample, completed = parsed
    for event in parsed:
        assert (event.plant, event.order_id, event.source_system) == ("P100", ORDER, "mes")
        assert event.correlation_id == "corr-1000001"
    assert isinstance(ack, JobAcknowledged) and ack.lot_id == "B1000001"
    assert isinstance(issued, MaterialIssued)
    assert (issued.item_id, issued.lot_id, issued.quantity, issued.unit) == (
        "RM-200", "B2000001", Decimal(50), "KG",
    )  # fmt: skip
    assert isinstance(confirmed, OperationConfirmed)
    assert (confirmed.operation_id, confirmed.yield_quantity, confirmed.scrap_quantity) == (
        "0020", Decimal(995), Decimal(5),
    )  # fmt: skip
    assert (confirmed.unit, confirmed.final) == ("EA", True)
    assert isinstance(sample, InspectionSampleTaken)
    assert (sample.operation_id, sample.characteristic_id, sample.sample_id) == (
        "0020", "FILL_WT", "S-1",
    )  # fmt: skip
    assert (sample.measured_value, sample.unit, sample.inspector) == (
        Decimal("50.2"), "g", "op.nguyen",
    )  # fmt: skip
    assert isinstance(completed, JobCompleted)
    assert (completed.lot_id, completed.good_quantity, completed.unit) == (
        "B1000001", Decimal(995), "EA",
    )  # fmt: skip


async def test_hold_restart_abort_are_sent_as_informational_events(mes_hooked: Mes) -> None:
    mes = mes_hooked
    await mes.adapter.dispatch_job(dispatch_command())
    for action, key in [("hold_lot", "h"), ("release_lot", "r"), ("abort_job", "a")]:
        command = JobCommand(
            idempotency_key=key, correlation_id="corr-1000001", plant="P100", order_id=ORDER,
            reason=f"because {action}",
        )  # fmt: skip
        await getattr(mes.adapter, action)(command)
    events = await eventually(mes.webhooks.all, lambda got: len(got) >= 4)
    held, restarted, aborted = (p for _, p in events[1:])
    assert (held["DispatchStatus"], held["PreviousDispatchStatus"]) == ("Held", "Dispatched")
    assert (restarted["EventType"], restarted["DispatchStatus"], restarted["Reason"]) == (
        "JobOrder.Restarted",
        "Dispatched",
        "because release_lot",
    )
    assert (aborted["EventType"], aborted["DispatchStatus"]) == ("JobOrder.Aborted", "Aborted")
