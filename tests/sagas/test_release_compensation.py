"""A release stopped by an operator after the stock was freed: the stock goes back into
quality inspection, the shipment stays blocked, no certificate stands, nothing posts twice."""

from decimal import Decimal

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from tests.sagas.flows import outlast_outage
from tests.sagas.probes import delivery_block, erp_lot
from tests.sagas.releases import finished_lot
from tests.sagas.replaying import assert_replays
from tests.sagas.test_compensation_consistency import duplicate_writes


async def test_a_stopped_release_puts_the_lot_back_and_keeps_the_block(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    delivery, _ = await finished_lot(plant, releasing, "6300001", "B6300001")
    await releasing.lab_tests("FG-1000", "B6300001")
    await releasing.verify_packaging("FG-1000", "B6300001")
    await releasing.wait_for_status("FG-1000", "B6300001", "awaiting_approval")
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": "/api/v1/certificates"}
    (await stack.http.post(f"{stack.url('qms')}/admin/faults", json=fault)).raise_for_status()
    assert (await releasing.approve("FG-1000", "B6300001")).status_code == 200
    await outlast_outage(stack, lambda: releasing.state("FG-1000", "B6300001"))
    state = await releasing.wait_for_status("FG-1000", "B6300001", "needs_attention")
    assert state["attention"]["step"] == "issue the certificate of analysis"
    freed = await erp_lot(stack, "FG-1000", "B6300001")
    assert freed.quantities.get(StockStatus.UNRESTRICTED) == Decimal(1000)
    (await stack.http.delete(f"{stack.url('qms')}/admin/faults")).raise_for_status()

    response = await stack.http.post(
        f"{stack.url('gateway')}/releases/P100/FG-1000/B6300001/attention",
        json={"action": "compensate", "reason": "QMS archive down"},
        headers=await stack.idp.headers("sup.king"),
    )
    assert response.status_code == 200, response.text
    state = await releasing.wait_for_status("FG-1000", "B6300001", "rejected")

    assert "sup.king chose to compensate" in state["reason"]
    assert "compensations that failed" not in state["reason"]
    stock = await erp_lot(stack, "FG-1000", "B6300001")
    assert stock.quantities.get(StockStatus.QUALITY_INSPECTION) == Decimal(1000)
    assert not stock.quantities.get(StockStatus.UNRESTRICTED)
    assert state["shipment_blocked"] and await delivery_block(stack, delivery) != ""
    assert state["certificate_id"] == ""
    certificate = await stack.http.get(
        f"{stack.url('qms')}/api/v1/certificates", params={"Batch": "B6300001"}
    )
    assert certificate.json() == []
    correlation = state["correlation_id"]
    ledger = await plant.ledger("erp", correlation_id=correlation)
    actions = [row["action"] for row in ledger]
    assert actions.count("goods_movement 321") == actions.count("goods_movement 322") == 1
    assert await duplicate_writes(plant, correlation) == {"erp": [], "mes": [], "qms": []}
    await assert_replays(stack.client, state["workflow_id"])
