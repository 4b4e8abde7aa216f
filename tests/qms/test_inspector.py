"""The lab's client: find the lot of an order, record results, follow its notifications."""

import httpx
import pytest

from adapters.qms_reference import ReferenceQmsAdapter
from refsystems.qms.inspector import Inspector, InspectorError
from stack.services import RunningService
from tests.qms import factories as f


async def test_find_record_and_decide(adapter: ReferenceQmsAdapter, inspector: Inspector) -> None:
    created = await adapter.create_inspection_lot(f.lot_command())
    (lot,) = await inspector.find_lots(source_order="1000001")
    assert lot.LotNumber == created.inspection_lot_id and lot.Status == "CRTD"
    assert await inspector.find_lots(material="RM-200") == []

    low = await inspector.record_result(lot.LotNumber, "FILL_WT", "LAB-7", "48.5", unit="g")
    assert low.Valuation == "R" and low.NotificationNumber
    (open_nc,) = await inspector.find_notifications(inspection_lot=lot.LotNumber, status="OSNO")
    assert open_nc.NotificationNumber == low.NotificationNumber
    # Opened by results recording: S/4 QM's F3 (internal defect), not a Q-type complaint.
    assert open_nc.NotificationType == "F3" and open_nc.MIC == "FILL_WT"

    decision = await inspector.usage_decision(lot.LotNumber, accept=False, decided_by="qa.lee")
    assert (decision.Code, decision.QtyToBlocked) == ("R", 1000)
    (decided,) = await inspector.find_lots(status="UD")
    assert decided.LotNumber == lot.LotNumber
    with pytest.raises(InspectorError) as refused:
        await inspector.record_result(lot.LotNumber, "VISC", "LAB-8", "12000")
    assert (refused.value.status, refused.value.code) == (409, "LotDecided")


async def test_notification_raised_by_hand(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    body = {
        "InspectionLot": lot,
        "ReportedBy": "qa.ortiz",
        "DefectText": "tube seal leaks on 3 of 50 samples",
        "Severity": "1",
    }
    headers = {"Idempotency-Key": "nc-by-hand", "X-Correlation-ID": "corr-hand"}
    response = await client.post(f"{qms.url}/api/v1/notifications", json=body, headers=headers)
    assert response.status_code == 201
    number = response.json()["NotificationNumber"]
    nc = await adapter.get_nonconformance("P100", number)
    assert (nc.raised_by, nc.severity.value, nc.affected_lots) == (
        "qa.ortiz",
        "critical",
        ["B1000001"],
    )
    outbox = (await client.get(f"{qms.url}/admin/outbox")).json()
    assert [(e["event_type"], e["correlation_id"]) for e in outbox] == [
        ("Notification.Created", "corr-hand")
    ]
