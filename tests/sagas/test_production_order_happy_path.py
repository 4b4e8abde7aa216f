"""An order that passes every inspection: each MES event posted to ERP exactly once."""

from decimal import Decimal

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.sagas.probes import delivery_block, erp_lot, erp_postings, mes_state


async def test_order_runs_from_release_to_goods_receipt(stack: Stack, plant: PlantScenario) -> None:
    delivery = await plant.new_order("2000001", "B2000101")
    await plant.release("2000001")
    state = await plant.wait_for_stage("2000001", "in_progress")
    assert state["mes_acknowledged"] is True
    assert await mes_state(plant, "2000001") == "Dispatched"

    await plant.start_and_mix("2000001")
    await plant.measure("2000001", "S1", Decimal("12000"))
    await plant.wait_for_saga(
        "2000001", lambda s: s["quality_status"] == "in_tolerance", "in-tolerance result"
    )
    await plant.finish_line("2000001", "B2000101")
    state = await plant.wait_for_stage("2000001", "completed")

    assert state["quality_status"] == "accepted"
    correlation = state["correlation_id"]
    issues = await erp_postings(plant, "goods_movement 261", correlation)
    assert sorted(i["details"]["items"][0]["Batch"] for i in issues) == ["B2000001", "B3000001"]
    assert len(await erp_postings(plant, "confirmation", correlation)) == 3
    assert len(await erp_postings(plant, "goods_movement 101", correlation)) == 1
    assert len(await erp_postings(plant, "technically_complete", correlation)) == 1

    # The lot waits in quality inspection, shipment blocked, for its release saga.
    finished = await erp_lot(stack, "FG-1000", "B2000101")
    assert finished.quantities.get(StockStatus.QUALITY_INSPECTION) == Decimal(1000)
    assert not finished.restricted
    assert state["release_workflow_id"] == "finished-goods-release-P100-FG-1000-B2000101"
    assert await delivery_block(stack, delivery) != ""
    assert await mes_state(plant, "2000001") == "Completed"
    base = await erp_lot(stack, "RM-200", "B2000001")
    assert base.quantities.get(StockStatus.UNRESTRICTED) == Decimal(450)  # 500 KG less 50 000 g
