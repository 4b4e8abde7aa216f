"""Compensating an order after MES completed its job: the job stays Completed (the record of
what was made), the lot is blocked in every system (ERP batch restricted, MES lot held,
shipping blocked), the lot's release saga stops without releasing (withdrawn), and a new
release of the lot is refused."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.releasing import ReleaseScenario
from stack.scenario import SITE, PlantScenario
from tests.helpers import SignedWebhooks
from tests.sagas.flows import outlast_outage_budget, resolve
from tests.sagas.probes import delivery_block, erp_lot, erp_postings
from tests.sagas.replaying import assert_replays
from tests.sagas.test_compensation_consistency import duplicate_writes, erp_order, qms_lot

ORDER, LOT = "2000070", "B2000170"
GOODS_RECEIPT = "sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1"
MATERIAL_DOCUMENTS = "/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV"


def finished_lot_event(order_id: str, lot_id: str) -> dict[str, Any]:
    """ERP's production receipt event for the lot, as a hand posting (MIGO) would send it."""
    return {
        "specversion": "1.0",
        "type": GOODS_RECEIPT,
        "source": "/default/sap.s4/REFERP",
        "id": f"new-receipt-{lot_id}",
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "data": {
            "MaterialDocument": "4900099999",
            "MaterialDocumentYear": "2026",
            "MaterialDocumentItem": "1",
            "GoodsMovementType": "101",
            "ManufacturingOrder": order_id,
            "Material": "FG-1000",
            "Plant": "1010",
            "Batch": lot_id,
            "QuantityInEntryUnit": "1000.000",
            "EntryUnit": "ST",
            "InventoryStockType": "02",
        },
    }


async def completed_and_parked_on_usage_decision(
    stack: Stack,
    plant: PlantScenario,
    releasing: ReleaseScenario,
    order_id: str = ORDER,
    lot_id: str = LOT,
) -> tuple[str, dict[str, Any]]:
    """MES completes the job, the goods receipt posts and the lot's release starts; the QMS
    usage decision then outlasts QMS's outage budget and parks."""
    delivery = await plant.new_order(order_id, lot_id)
    await plant.release(order_id)
    state = await plant.wait_for_stage(order_id, "in_progress")
    usage = f"/api/v1/inspection-lots/{state['inspection_lot_id']}/usage-decision"
    fault = {"kind": "unavailable", "seconds": 100_000, "path_prefix": usage}
    (await stack.http.post(f"{stack.url('qms')}/admin/faults", json=fault)).raise_for_status()
    await plant.start_and_mix(order_id)
    await plant.measure(order_id, "S1", Decimal("12000"))
    await plant.finish_line(order_id, lot_id)
    await releasing.wait_for_status("FG-1000", lot_id, "awaiting_checkpoints")
    await outlast_outage_budget(stack, plant, order_id)
    state = await plant.wait_for_stage(order_id, "needs_attention")
    assert state["attention"]["step"] == "usage decision in QMS"
    (await stack.http.delete(f"{stack.url('qms')}/admin/faults")).raise_for_status()
    return delivery, state


async def test_compensation_after_mes_completed_blocks_the_lot_everywhere(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    delivery, _ = await completed_and_parked_on_usage_decision(stack, plant, releasing)

    response = await resolve(plant, ORDER, "compensate", "sup.king", "lot made from wrong base")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage(ORDER, "compensated")
    assert state["compensation_failures"] == []
    assert state["lot_withdrawn"] is True
    assert state["release_outcome"] == "withdrawn"
    correlation = state["correlation_id"]

    # The release saga stopped without releasing: withdrawn, shipment blocked, no certificate
    release = await releasing.wait_for_status("FG-1000", LOT, "withdrawn")
    assert release["shipment_blocked"] is True
    assert release["certificate_id"] == ""
    assert "sup.king" in release["reason"]
    assert [e["action"] for e in release["audit"]][-2:] == ["withdrawal requested", "withdrawn"]
    # ERP: the goods receipt reversed once (102), the batch restricted, nothing in stock
    assert len(await erp_postings(plant, "goods_movement 101", correlation)) == 1
    assert len(await erp_postings(plant, "goods_movement 102", correlation)) == 1
    finished = await erp_lot(stack, "FG-1000", LOT)
    assert finished.restricted is True
    assert finished.quantities.get(StockStatus.QUALITY_INSPECTION, Decimal(0)) == 0
    assert finished.quantities.get(StockStatus.UNRESTRICTED, Decimal(0)) == 0
    # ERP order: technically complete and flagged for deletion
    order = await erp_order(stack, ORDER)
    assert (order["OrderIsTechnicallyCompleted"], order["OrderIsMarkedForDeletion"]) == ("X", "X")
    # MES: the job stays Completed (what was made); its lot is on hold
    job = await plant.line.get_job(SITE, ORDER)
    assert (job.DispatchStatus, job.LotOnHold) == ("Completed", True)
    # QMS: the inspection lot is cancelled, no usage decision stands
    assert (await qms_lot(stack, state["inspection_lot_id"]))["Status"] == "LTCA"
    # Shipping: the lot's deliveries are blocked as a withdrawn order's
    assert await delivery_block(stack, delivery) == "OW"
    assert await duplicate_writes(plant, correlation) == {"erp": [], "mes": [], "qms": []}

    # A late approval of the withdrawn release is refused: the release has ended
    approval = await releasing.approve("FG-1000", LOT)
    assert approval.status_code in (404, 409), approval.text
    # A new release of the lot (a hand-posted receipt's event) is refused with a clear 409
    new_release = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json=finished_lot_event(ORDER, LOT),
        auth=SignedWebhooks(stack.webhook_secrets),
    )
    assert new_release.status_code == 409, new_release.text
    refusal = new_release.json()["detail"]
    assert refusal["error"] == "LotWithdrawn"
    assert LOT in refusal["message"]
    still = await releasing.state("FG-1000", LOT)
    assert still["status"] == "withdrawn" and still["triggers_received"] == 1
    await assert_replays(stack.client, state["workflow_id"])
    await assert_replays(stack.client, release["workflow_id"])


async def test_compensation_when_the_goods_receipt_never_posted_blocks_the_lot_too(
    stack: Stack, plant: PlantScenario
) -> None:
    """MES completed the job but ERP never took the goods receipt (it parked): no release
    saga ran. The job stays Completed with its lot held, the batch is restricted, and a
    release of the lot is refused because its order was compensated."""
    order_id, lot_id = "2000071", "B2000171"
    await plant.new_order(order_id, lot_id)
    await plant.release(order_id)
    await plant.wait_for_stage(order_id, "in_progress")
    await plant.start_and_mix(order_id)
    await plant.measure(order_id, "S1", Decimal("12000"))
    await plant.wait_for_saga(order_id, lambda s: len(s["postings"]) == 3, "3 postings")
    fault = {"kind": "unavailable", "seconds": 100_000, "path_prefix": MATERIAL_DOCUMENTS}
    (await stack.http.post(f"{stack.url('erp')}/admin/faults", json=fault)).raise_for_status()
    await plant.finish_line(order_id, lot_id)
    await outlast_outage_budget(stack, plant, order_id)
    state = await plant.wait_for_stage(order_id, "needs_attention")
    assert state["attention"]["step"] == "post goods receipt to ERP"
    (await stack.http.delete(f"{stack.url('erp')}/admin/faults")).raise_for_status()

    response = await resolve(plant, order_id, "compensate", "sup.king", "ERP refused for good")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage(order_id, "compensated")
    assert state["compensation_failures"] == []
    assert (state["lot_withdrawn"], state["release_workflow_id"]) == (True, "")
    job = await plant.line.get_job(SITE, order_id)
    assert (job.DispatchStatus, job.LotOnHold) == ("Completed", True)
    assert (await erp_lot(stack, "FG-1000", lot_id)).restricted is True
    assert await duplicate_writes(plant, state["correlation_id"]) == {
        "erp": [],
        "mes": [],
        "qms": [],
    }
    new_release = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/erp",
        json=finished_lot_event(order_id, lot_id),
        auth=SignedWebhooks(stack.webhook_secrets),
    )
    assert new_release.status_code == 409, new_release.text
    assert new_release.json()["detail"]["error"] == "LotWithdrawn"
    await assert_replays(stack.client, state["workflow_id"])


async def test_a_release_decided_first_is_reported_and_the_lot_still_blocked(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    """The lot was released before its order was compensated: the release cannot be
    withdrawn any more and the saga says so (``release_outcome``). Stock that left quality
    inspection is not un-made: the goods receipt stands, the order is technically complete
    (no deletion flag while a posting stands), and the lot is blocked in ERP (batch
    restricted, deliveries blocked) and MES."""
    order_id, lot_id = "2000072", "B2000172"
    delivery, _ = await completed_and_parked_on_usage_decision(
        stack, plant, releasing, order_id, lot_id
    )
    await releasing.lab_tests("FG-1000", lot_id)
    await releasing.verify_packaging("FG-1000", lot_id)
    await releasing.wait_for_status("FG-1000", lot_id, "awaiting_approval")
    assert (await releasing.approve("FG-1000", lot_id)).status_code == 200
    await releasing.wait_for_status("FG-1000", lot_id, "released")

    response = await resolve(plant, order_id, "compensate", "sup.king", "recall: wrong base")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage(order_id, "compensated")
    assert state["release_outcome"] == "released"
    assert state["lot_withdrawn"] is True
    assert state["compensation_failures"] == []
    assert "goods receipt stands" in state["reason"]
    receipts = [p for p in state["postings"] if p["step"] == "goods receipt"]
    assert [p["reversed"] for p in receipts] == [False]
    correlation = state["correlation_id"]
    assert await erp_postings(plant, "goods_movement 102", correlation) == []
    finished = await erp_lot(stack, "FG-1000", lot_id)
    assert finished.restricted is True  # released stock is now restricted-use
    assert finished.quantities.get(StockStatus.UNRESTRICTED, Decimal(0)) == 0
    order = await erp_order(stack, order_id)
    assert (order["OrderIsTechnicallyCompleted"], order["OrderIsMarkedForDeletion"]) == ("X", "")
    assert await delivery_block(stack, delivery) == "OW"
    job = await plant.line.get_job(SITE, order_id)
    assert (job.DispatchStatus, job.LotOnHold) == ("Completed", True)
    await assert_replays(stack.client, state["workflow_id"])
