"""A failed inspection puts one hold on ERP stock, the MES lot and shipping; each
disposition then has its own effects in every system."""

from decimal import Decimal

import pytest

from canonical.enums import StockStatus
from refsystems.mes.shopfloor import ShopFloorError
from stack.embedded import Stack
from stack.scenario import OPERATOR, SITE, PlantScenario
from tests.sagas.flows import disposition, on_hold
from tests.sagas.probes import delivery_block, erp_lot, erp_postings, mes_state


async def test_hold_reaches_all_three_systems_and_use_as_is_releases_it(
    stack: Stack, plant: PlantScenario
) -> None:
    delivery, state = await on_hold(plant, "2000002", "B2000102")
    hold = state["holds"][-1]
    assert hold["erp_blocked"] and hold["mes_held"] and hold["shipping_blocked"]
    assert hold["raised_by"] == OPERATOR
    assert state["quality_status"] == "on_hold"
    assert (await erp_lot(stack, "FG-1000", "B2000102")).restricted
    assert await delivery_block(stack, delivery) != ""
    assert await mes_state(plant, "2000002") == "Held"
    with pytest.raises(ShopFloorError) as refused:  # MES itself stops the held lot
        await plant.line.confirm_segment(SITE, "2000002", "SEG-FILL", 1000, "PC")
    assert refused.value.code == "LotHeld"

    response = await plant.approve("2000002", disposition(state, "use_as_is"))
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "quality_manager"
    state = await plant.wait_for_saga(
        "2000002", lambda s: s["quality_status"] == "use_as_is", "use-as-is applied"
    )
    assert state["stage"] == "in_progress"
    assert not (await erp_lot(stack, "FG-1000", "B2000102")).restricted
    assert await delivery_block(stack, delivery) == ""
    assert await mes_state(plant, "2000002") == "Running"

    await plant.finish_line("2000002", "B2000102")
    state = await plant.wait_for_stage("2000002", "completed")
    signature = state["holds"][-1]["decision"]["signature"]
    assert signature["signer"] == "qa.lee" and signature["meaning"] == "disposition_approved"
    stock = await erp_lot(stack, "FG-1000", "B2000102")
    assert stock.quantities.get(StockStatus.QUALITY_INSPECTION) == Decimal(1000)  # awaiting release


async def test_rework_keeps_stock_and_shipping_blocked_until_reinspection_passes(
    stack: Stack, plant: PlantScenario
) -> None:
    delivery, state = await on_hold(plant, "2000003", "B2000103")
    response = await plant.approve("2000003", disposition(state, "rework"))
    assert response.status_code == 200, response.text
    await plant.wait_for_saga(
        "2000003", lambda s: s["quality_status"] == "in_rework", "rework sent to MES"
    )
    job = await plant.line.get_job(SITE, "2000003")
    assert job.DispatchStatus == "Running"
    assert any(seg.SegmentID == "SEG-REWORK" for seg in job.Segments)
    assert (await erp_lot(stack, "FG-1000", "B2000103")).restricted
    assert await delivery_block(stack, delivery) != ""

    await plant.measure("2000003", "S2", Decimal("12100"))
    await plant.wait_for_saga(
        "2000003", lambda s: s["quality_status"] == "in_tolerance", "re-inspection passed"
    )
    assert not (await erp_lot(stack, "FG-1000", "B2000103")).restricted
    assert await delivery_block(stack, delivery) == ""
    await plant.finish_line("2000003", "B2000103")
    await plant.wait_for_stage("2000003", "completed")


async def test_scrap_ends_the_order_and_never_lifts_the_shipping_block(
    stack: Stack, plant: PlantScenario
) -> None:
    delivery, state = await on_hold(plant, "2000004", "B2000104")
    response = await plant.approve("2000004", disposition(state, "scrap"))
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage("2000004", "scrapped")
    assert state["quality_status"] == "scrapped"
    assert await mes_state(plant, "2000004") == "Aborted"
    assert await delivery_block(stack, delivery) != ""
    assert (await erp_lot(stack, "FG-1000", "B2000104")).restricted
    correlation = state["correlation_id"]
    assert len(await erp_postings(plant, "technically_complete", correlation)) == 1
    assert await erp_postings(plant, "goods_movement 101", correlation) == []
