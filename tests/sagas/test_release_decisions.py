"""Finished goods release: one decision over LIMS, MES packaging and the QMS approval; the
shipment block holds from the start until release and is never lifted on rejection."""

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from tests.sagas.probes import delivery_block, erp_lot, signature_log
from tests.sagas.releases import finished_lot


@pytest.mark.parametrize("lab_first", [True, False])
async def test_lot_is_released_after_every_checkpoint_in_any_order(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario, lab_first: bool
) -> None:
    lot = "B6000001" if lab_first else "B6000002"
    delivery, state = await finished_lot(plant, releasing, lot.replace("B", "6"), lot)
    assert state["shipment_blocked"] and await delivery_block(stack, delivery) != ""
    assert sorted(state["checkpoints"]) == ["approval", "lab", "packaging"]

    early = await releasing.approve("FG-1000", lot)
    assert early.status_code == 409 and "not awaiting approval" in early.json()["detail"]["message"]

    steps: list[Callable[[str, str], Awaitable[None]]] = [
        releasing.lab_tests,
        releasing.verify_packaging,
    ]
    for step in steps if lab_first else reversed(steps):
        await step("FG-1000", lot)
    state = await releasing.wait_for_status("FG-1000", lot, "awaiting_approval")
    assert await delivery_block(stack, delivery) != ""  # still blocked: no signature yet

    response = await releasing.approve("FG-1000", lot)
    assert response.status_code == 200, response.text
    assert response.json()["meaning"] == "release_approved"
    state = await releasing.wait_for_status("FG-1000", lot, "released")
    assert await delivery_block(stack, delivery) == ""
    stock = await erp_lot(stack, "FG-1000", lot)
    assert stock.quantities.get(StockStatus.UNRESTRICTED) == Decimal(1000)
    assert state["certificate_id"] == f"COA-FG-1000-{lot}"
    signed = state["signature"]
    [logged] = await signature_log(stack, "FG-1000", lot)
    assert logged["statement"] == signed["statement"] == "released for shipment"
    assert (
        logged["printed_name"] == "Dana Lee" and logged["record_digest"] == signed["record_digest"]
    )
    certificate = (await releasing.certificate("FG-1000", lot)).text
    assert "Dana Lee" in certificate and "released for shipment" in certificate
    assert signed["record_digest"] in certificate
    actions = [entry["action"] for entry in state["audit"]]
    assert actions[:2] == ["release opened", "shipment blocked"]
    assert {
        "lab passed (reported, confirmed by the system)",
        "packaging passed (reported, confirmed by the system)",
    } <= set(actions)
    assert all(entry["correlation_id"] == state["correlation_id"] for entry in state["audit"])


async def test_a_failed_lab_result_rejects_without_waiting_for_a_person(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    delivery, _ = await finished_lot(plant, releasing, "6000003", "B6000003")
    bad = {"PH": "6.2", "VISC": "12000", "MICRO_TPC": "500", "APPEARANCE": "conforms"}
    await releasing.lab_tests("FG-1000", "B6000003", bad)
    state = await releasing.wait_for_status("FG-1000", "B6000003", "rejected")
    assert "checkpoint failed: lab" in state["reason"]
    assert state["checkpoints"]["packaging"]["status"] == "pending"  # nobody waited for it
    assert state["signature"] is None and state["nonconformance_id"]
    assert await delivery_block(stack, delivery) != ""
    stock = await erp_lot(stack, "FG-1000", "B6000003")
    assert stock.quantities.get(StockStatus.BLOCKED) == Decimal(1000) and stock.restricted


async def test_rejection_by_quality_keeps_the_block(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    delivery, _ = await finished_lot(plant, releasing, "6000004", "B6000004")
    await releasing.lab_tests("FG-1000", "B6000004")
    await releasing.verify_packaging("FG-1000", "B6000004")
    await releasing.wait_for_status("FG-1000", "B6000004", "awaiting_approval")
    response = await releasing.approve("FG-1000", "B6000004", verdict="reject")
    assert response.status_code == 200 and response.json()["meaning"] == "release_rejected"
    state = await releasing.wait_for_status("FG-1000", "B6000004", "rejected")
    assert await delivery_block(stack, delivery) != ""
    assert state["certificate_id"] == ""
    assert (await releasing.certificate("FG-1000", "B6000004")).status_code == 404


async def test_a_lot_produced_elsewhere_needs_only_its_items_checkpoints(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    """FG-2000 is released on packaging and approval alone; ERP's receipt event starts it."""
    from refsystems.erp.planner import create_order, post_production_goods_receipt

    body = {
        "ManufacturingOrder": "7000001",
        "Material": "FG-2000",
        "ProductionPlant": "1010",
        "TotalQuantity": "500",
        "ProductionUnit": "ST",
        "Batch": "B7000001",
        # A contract filler's routing step plantflow does not map: its production saga
        # refuses the order, so the lot counts as produced elsewhere.
        "to_ProductionOrderOperation": [
            {"ManufacturingOrderOperation": "0090", "WorkCenter": "COPACK"}
        ],
        "to_ProductionOrderComponent": [],
        "OutboundDelivery": "8007000001",
    }
    await create_order(plant.urls["erp"], body, stack.http)
    await plant.release("7000001")
    await plant.wait_for_stage("7000001", "rejected")
    await post_production_goods_receipt(
        plant.urls["erp"], "7000001", "B7000001", Decimal(500), "ST", stack.http
    )
    state = await releasing.wait_for_status("FG-2000", "B7000001", "awaiting_checkpoints")
    assert state["checkpoints"]["lab"]["status"] == "not_required"
    assert state["lab_sample_id"] == ""
    await releasing.verify_packaging("FG-2000", "B7000001", elsewhere=True)
    await releasing.wait_for_status("FG-2000", "B7000001", "awaiting_approval")
    assert (await releasing.approve("FG-2000", "B7000001")).status_code == 200
    await releasing.wait_for_status("FG-2000", "B7000001", "released")
    assert await delivery_block(stack, "8007000001") == ""
    html = (await releasing.certificate("FG-2000", "B7000001")).text
    assert "not known here" in html  # no production saga of ours: no claim it cannot know
    assert "The lot conforms to its specification" not in html


async def test_the_certificate_states_results_against_spec_and_the_signature(
    plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    await finished_lot(plant, releasing, "6000005", "B6000005")
    await releasing.lab_tests("FG-1000", "B6000005")
    await releasing.verify_packaging("FG-1000", "B6000005")
    await releasing.wait_for_status("FG-1000", "B6000005", "awaiting_approval")
    await releasing.approve("FG-1000", "B6000005", approver="qa.lee")
    await releasing.wait_for_status("FG-1000", "B6000005", "released")
    response = await releasing.certificate("FG-1000", "B6000005")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    for expected in (
        "COA-FG-1000-B6000005",
        "MICRO_TPC",
        "≤ 100",
        "6.2",
        "conforms",
        "qa.lee",
        "quality_manager",
        "released for shipment",
        "Dana Lee",
        "LineClearance",
        "No nonconformance was raised while this lot was made.",
        "The lot conforms to its specification and is released for shipment.",
    ):
        assert expected in html, expected
