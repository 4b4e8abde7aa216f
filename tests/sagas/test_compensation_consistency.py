"""After compensation every touched system tells the same story: postings reversed, the MES
job aborted, the QMS inspection lot cancelled, the ERP order technically complete and flagged
for deletion, shipping blocked, and no posting twice in any ledger."""

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from canonical.enums import StockStatus
from refsystems.mes.shopfloor import ShopFloorError
from stack.embedded import Stack
from stack.scenario import SITE, PlantScenario
from tests.sagas.flows import outlast_outage_budget
from tests.sagas.probes import delivery_block, erp_lot, erp_postings, mes_state
from tests.sagas.replaying import assert_replays
from tests.sagas.test_production_order_failures import parked_on_confirmation, resolve

ORDERS = "/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV"


async def erp_order(stack: Stack, order_id: str) -> dict[str, Any]:
    response = await stack.http.get(
        f"{stack.url('erp')}{ORDERS}/A_ProductionOrder_2('{order_id}')",
        params={"$format": "json"},
    )
    response.raise_for_status()
    order: dict[str, Any] = response.json()["d"]
    return order


async def qms_lot(stack: Stack, lot_number: str) -> dict[str, Any]:
    response = await stack.http.get(f"{stack.url('qms')}/api/v1/inspection-lots/{lot_number}")
    response.raise_for_status()
    lot: dict[str, Any] = response.json()
    return lot


async def duplicate_writes(plant: PlantScenario, correlation_id: str) -> dict[str, list[Any]]:
    """Per system, the writes recorded twice for the same idempotency key and entity."""
    found: dict[str, list[Any]] = {}
    for system in ("erp", "mes", "qms"):
        rows = await plant.ledger(system, correlation_id=correlation_id)
        counts = Counter((r["idempotency_key"], r["action"], r["entity_key"]) for r in rows)
        found[system] = [key for key, n in counts.items() if n > 1]
    return found


async def test_a_compensated_order_leaves_every_system_consistent(
    stack: Stack, plant: PlantScenario
) -> None:
    await parked_on_confirmation(stack, plant, "2000050")
    response = await resolve(plant, "2000050", "compensate", "sup.king")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage("2000050", "compensated")
    assert state["compensation_failures"] == []
    correlation = state["correlation_id"]

    # ERP documents: each goods issue reversed once (262), the confirmation cancelled
    issues = await erp_postings(plant, "goods_movement 261", correlation)
    reversals = await erp_postings(plant, "goods_movement 262", correlation)
    assert len(issues) == len(reversals) == 2
    assert len(await erp_postings(plant, "confirmation_cancel", correlation)) == 1
    # ERP stock: the component lot has its stock back
    base = await erp_lot(stack, "RM-200", "B2000001")
    assert base.quantities.get(StockStatus.UNRESTRICTED) == Decimal(500)
    # ERP order: technically complete and flagged for deletion (TECO + DLFL), not "released"
    order = await erp_order(stack, "2000050")
    assert order["OrderIsTechnicallyCompleted"] == "X"
    assert order["OrderIsMarkedForDeletion"] == "X"
    # MES: the job is aborted
    assert await mes_state(plant, "2000050") == "Aborted"
    # QMS: the inspection lot is cancelled instead of staying CRTD
    assert (await qms_lot(stack, state["inspection_lot_id"]))["Status"] == "LTCA"
    # Shipping: the withdrawn order's lot does not ship
    assert await delivery_block(stack, "8002000050") == "OW"
    # No write twice in any ledger
    assert await duplicate_writes(plant, correlation) == {"erp": [], "mes": [], "qms": []}
    await assert_replays(stack.client, state["workflow_id"])


async def test_compensation_before_mes_has_the_job_is_consistent_too(
    stack: Stack, plant: PlantScenario
) -> None:
    """MES never got the job (its interface was down): nothing to recall there; QMS and ERP
    are still put right, and no compensation is reported as failed."""
    delivery = await plant.new_order("2000052", "B2000152")
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": "/api/v1/sites"}
    (await stack.http.post(f"{stack.url('mes')}/admin/faults", json=fault)).raise_for_status()
    await plant.release("2000052")
    await outlast_outage_budget(stack, plant, "2000052")
    state = await plant.wait_for_stage("2000052", "needs_attention")
    assert state["attention"]["step"] == "dispatch to MES"
    (await stack.http.delete(f"{stack.url('mes')}/admin/faults")).raise_for_status()

    response = await resolve(plant, "2000052", "compensate", "sup.king")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage("2000052", "compensated")

    assert state["compensation_failures"] == []
    with pytest.raises(ShopFloorError):
        await plant.line.get_job(SITE, "2000052")
    assert (await qms_lot(stack, state["inspection_lot_id"]))["Status"] == "LTCA"
    order = await erp_order(stack, "2000052")
    assert (order["OrderIsTechnicallyCompleted"], order["OrderIsMarkedForDeletion"]) == ("X", "X")
    assert await delivery_block(stack, delivery) == "OW"
    assert await duplicate_writes(plant, state["correlation_id"]) == {
        "erp": [],
        "mes": [],
        "qms": [],
    }
    await assert_replays(stack.client, state["workflow_id"])
