"""Goods-receipt inspection lots (Origin "01"): the sample plan as given, skip lots, no
automatic notification, cancellation, vendor (Q2 complaint, F2 defect) notifications and
quantity splits."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from adapters.errors import BusinessRefusal
from adapters.qms_reference import ReferenceQmsAdapter
from canonical.enums import NonconformanceSource, Severity
from refsystems.qms.inspector import Inspector, InspectorError
from stack.services import RunningService
from tests.qms import factories as f


async def refused(call: object) -> BusinessRefusal:
    with pytest.raises(BusinessRefusal) as info:
        await call  # type: ignore[misc]
    return info.value


async def outbox_types(client: httpx.AsyncClient, qms: RunningService) -> list[str]:
    return [e["event_type"] for e in (await client.get(f"{qms.url}/admin/outbox")).json()]


async def receipt_lot(adapter: ReferenceQmsAdapter, **overrides: Any) -> str:
    info = await adapter.create_receipt_inspection_lot(f.receipt_lot_command(**overrides))
    return info.inspection_lot_id


async def test_the_sample_plan_is_recorded_as_given(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    plan = f.sample_plan("tightened", sample_size=200, accept_number=3, reject_number=4)
    info = await adapter.create_receipt_inspection_lot(f.receipt_lot_command(plan=plan))
    wall, length = info.characteristics
    assert (wall.characteristic_id, wall.lower_limit, wall.upper_limit, wall.unit) == (
        "WALL",
        Decimal("0.27"),
        Decimal("0.33"),
        "mm",
    )
    assert (length.characteristic_id, length.nominal) == ("LEN", Decimal("120.0"))

    (lot,) = await inspector.find_lots(material="PK-300", batch="B3000001")
    assert lot.LotNumber == info.inspection_lot_id
    assert (lot.Origin, lot.Status, lot.Quantity, lot.Unit, lot.SourceOrder) == (
        "01",
        "CRTD",
        Decimal(10000),
        "EA",
        "",
    )
    assert (lot.PurchaseOrder, lot.Supplier, lot.MaterialDocument) == (
        f.PURCHASE_ORDER,
        f.SUPPLIER,
        "5000000001/2025",
    )
    sp = lot.SamplePlan
    assert sp is not None
    assert (sp.InspectionSeverity, sp.CodeLetter, sp.AQL, sp.SampleSize) == (
        "TIGHTENED",
        "L",
        Decimal("1.0"),
        200,
    )
    assert (sp.AcceptNumber, sp.RejectNumber, sp.SkipLot) == (3, 4, False)
    assert [x.LotNumber for x in await inspector.find_lots(purchase_order=f.PURCHASE_ORDER)] == [
        lot.LotNumber
    ]
    assert await inspector.find_lots(purchase_order="4599999999") == []


async def test_every_severity_reaches_the_qms_as_its_code(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    severities = {
        "normal": "NORMAL",
        "tightened": "TIGHTENED",
        "reduced": "REDUCED",
        "discontinued": "DISCONTINUED",
    }
    for n, severity in enumerate(severities, start=1):
        plan = f.sample_plan(severity, reason="x" * 500)
        await receipt_lot(adapter, plan=plan, lot_id=f"B30000{n:02d}")
    lots = await inspector.find_lots(origin="01")
    plans = [lot.SamplePlan for lot in lots]
    assert [p.InspectionSeverity for p in plans if p] == list(severities.values())
    assert all(p and not p.SkipLot and p.SkipReason == "" for p in plans)


async def test_a_skip_lot_refuses_results_and_takes_a_usage_decision(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    lot = await receipt_lot(adapter, plan=f.skip_plan())
    skipped = await inspector.get_lot(lot)
    assert skipped.SamplePlan is not None
    assert (skipped.SamplePlan.InspectionSeverity, skipped.SamplePlan.SkipLot) == ("SKIP", True)
    assert skipped.SamplePlan.SkipReason.startswith("supplier on skip-lot")

    error = await refused(adapter.record_measurement(f.measurement(lot, "0.30", "WALL")))
    assert (error.code, error.status_code) == ("LotSkipped", 409)
    await adapter.record_usage_decision(f.usage_decision(lot))
    decided = await inspector.get_lot(lot)
    assert decided.Status == "UD" and decided.Results == []
    assert decided.UsageDecision is not None and decided.UsageDecision.QtyToFree == 10000


async def test_a_rejected_result_on_a_receipt_lot_opens_no_notification(
    adapter: ReferenceQmsAdapter,
    inspector: Inspector,
    client: httpx.AsyncClient,
    qms: RunningService,
) -> None:
    lot = await receipt_lot(adapter)
    bad = await adapter.record_measurement(f.measurement(lot, "0.25", "WALL", "S001"))
    assert not bad.passed and bad.nonconformance_id is None
    lab = await inspector.record_result(lot, "LEN", "S001", "120.4", recorded_by="lab.kim")
    assert (lab.Valuation, lab.NotificationNumber) == ("A", None)
    state = await inspector.get_lot(lot)
    assert state.Status == "RREC" and state.Notifications == []
    assert await inspector.find_notifications(inspection_lot=lot) == []
    assert await outbox_types(client, qms) == ["Result.Recorded", "Result.Recorded"]

    production = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    still = await adapter.record_measurement(f.measurement(production, "15000"))
    assert still.nonconformance_id, "production lots keep opening notifications"


async def test_cancel_refuses_results_and_decisions_afterwards(
    adapter: ReferenceQmsAdapter,
    inspector: Inspector,
    client: httpx.AsyncClient,
    qms: RunningService,
) -> None:
    lot = await receipt_lot(adapter)
    receipt = await adapter.cancel_inspection_lot(f.cancel(lot))
    assert (receipt.system, receipt.document, receipt.replayed) == ("qms", lot, False)
    cancelled = await inspector.get_lot(lot)
    assert cancelled.Status == "LTCA" and cancelled.Cancellation is not None
    assert cancelled.Cancellation.Reason == "PO cancelled"

    result = await refused(adapter.record_measurement(f.measurement(lot, "0.30", "WALL")))
    assert (result.code, result.status_code) == ("LotCancelled", 409)
    decision = await refused(adapter.record_usage_decision(f.usage_decision(lot)))
    assert decision.code == "LotCancelled"
    again = await adapter.cancel_inspection_lot(f.cancel(lot, reason="second thoughts"))
    assert again.document == lot
    assert (await inspector.get_lot(lot)).Cancellation == cancelled.Cancellation
    ledger = await client.get(f"{qms.url}/admin/ledger", params={"action": "cancel_inspection_lot"})
    assert len(ledger.json()) == 1
    assert (await outbox_types(client, qms)).count("InspectionLot.Cancelled") == 1
    assert [x.LotNumber for x in await inspector.find_lots(status="LTCA")] == [lot]


async def test_a_decided_lot_cannot_be_cancelled(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    lot = await receipt_lot(adapter)
    await adapter.record_usage_decision(f.usage_decision(lot))
    error = await refused(adapter.cancel_inspection_lot(f.cancel(lot)))
    assert (error.code, error.status_code) == ("LotDecided", 409)
    with pytest.raises(InspectorError) as by_hand:
        await inspector.cancel_lot(lot, "wrong lot", cancelled_by="qa.lee")
    assert by_hand.value.code == "LotDecided"


async def test_vendor_notification_names_the_lots_supplier(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    lot = await receipt_lot(adapter)
    nc = await adapter.open_nonconformance(f.open_nc(lot))
    assert nc.nonconformance_id.startswith("QN")
    assert (nc.raised_by, nc.severity, nc.affected_lots) == (
        "qa.ortiz",
        Severity.MAJOR,
        ["B3000001"],
    )
    assert nc.description.startswith("WALL below 0.27 mm")
    assert nc.source == NonconformanceSource.COMPLAINT
    q2 = await inspector.get_notification(nc.nonconformance_id)
    assert (q2.NotificationType, q2.Supplier, q2.PurchaseOrder, q2.Status) == (
        "Q2",
        f.SUPPLIER,
        f.PURCHASE_ORDER,
        "OSNO",
    )
    assert (await inspector.get_lot(lot)).Notifications == [nc.nonconformance_id]


async def test_vendor_notification_with_a_named_supplier_and_without_any(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    production = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    named = await adapter.open_nonconformance(f.open_nc(production, supplier="V-700200"))
    q2 = await inspector.get_notification(named.nonconformance_id)
    assert (q2.NotificationType, q2.Supplier, q2.PurchaseOrder) == ("Q2", "V-700200", "")
    internal = await inspector.open_notification(production, "tube seal leaks", "qa.ortiz")
    assert (internal.NotificationType, internal.Supplier) == ("Q3", "")
    with pytest.raises(InspectorError) as nobody:
        await inspector.open_notification(production, "bad tubes", notification_type="Q2")
    assert (nobody.value.status, nobody.value.code) == (422, "SupplierMissing")

    long = f.open_nc(production).model_copy(update={"description": "tube seal " * 60})
    cut = await adapter.open_nonconformance(long)
    assert len(cut.description) == 400 and cut.description.endswith("…")

    unnamed = f.lot_command(item_id="RM-200", lot_id="B2000001", origin="goods_receipt")
    legacy = (await adapter.create_inspection_lot(unnamed)).inspection_lot_id
    error = await refused(adapter.open_nonconformance(f.open_nc(legacy)))
    assert error.code == "SupplierMissing"


async def test_a_defect_recorded_by_hand_is_an_f_type_against_the_lots_vendor(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    """S/4 QM's defect reports: F2 against the vendor of a goods receipt; an F2 on a production
    lot names nobody and is refused."""
    lot = await receipt_lot(adapter)
    f2 = await inspector.open_notification(lot, "WALL 0.25 mm", "qa.ortiz", notification_type="F2")
    assert (f2.NotificationType, f2.Supplier, f2.PurchaseOrder) == (
        "F2",
        f.SUPPLIER,
        f.PURCHASE_ORDER,
    )
    read = await adapter.get_nonconformance("P100", f2.NotificationNumber)
    assert read.source == NonconformanceSource.INSPECTION
    production = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    with pytest.raises(InspectorError) as nobody:
        await inspector.open_notification(production, "bad tubes", notification_type="F2")
    assert (nobody.value.status, nobody.value.code) == (422, "SupplierMissing")
    assert "F2" in nobody.value.message


async def test_a_usage_decision_may_split_a_receipt_lot_but_not_exceed_it(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    lot = await receipt_lot(adapter)
    too_much = f.usage_decision(lot, quantity_free=Decimal(9000), quantity_blocked=Decimal(1001))
    error = await refused(adapter.record_usage_decision(too_much))
    assert (error.code, error.status_code) == ("QuantityExceeded", 422)
    assert (await inspector.get_lot(lot)).Status == "CRTD"

    split = f.usage_decision(
        lot, accepted=False, quantity_free=Decimal(9800), quantity_blocked=Decimal(200)
    )
    await adapter.record_usage_decision(split)
    ud = (await inspector.get_lot(lot)).UsageDecision
    assert ud is not None and (ud.Code, ud.QtyToFree, ud.QtyToBlocked) == ("R", 9800, 200)

    other = await receipt_lot(adapter, lot_id="B3000002")
    decided = await inspector.usage_decision(
        other, accept=True, decided_by="qa.lee", qty_to_free="9990", qty_to_blocked="10"
    )
    assert (decided.QtyToFree, decided.QtyToBlocked) == (9990, 10)


async def test_receipt_data_and_plan_are_checked(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    unmapped = f.receipt_lot_command(plan=f.sample_plan("normal-ish"))
    assert (await refused(adapter.create_receipt_inspection_lot(unmapped))).code == "MappingError"
    odd = f.receipt_lot_command(plan=f.sample_plan(accept_number=6, reject_number=6))
    assert (await refused(adapter.create_receipt_inspection_lot(odd))).code == "ValidationFailed"
    body = {
        "Origin": "03",
        "Material": "FG-1000",
        "Batch": "B1000001",
        "Site": "QA-SPR",
        "Quantity": "1000",
        "Unit": "EA",
        "Supplier": f.SUPPLIER,
    }
    answer = await client.post(f"{qms.url}/api/v1/inspection-lots", json=body)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "ValidationFailed"
    assert "goods-receipt lots" in answer.json()["error"]["message"]
