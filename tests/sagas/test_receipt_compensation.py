"""A receipt whose usage decision could not be recorded, compensated by an operator: the
stock goes back into quality inspection, the QMS inspection lot is cancelled, the supplier's
scorecard is untouched and nothing posts twice."""

from decimal import Decimal

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from tests.sagas.flows import outlast_outage
from tests.sagas.probes import erp_lot
from tests.sagas.receipts import ACME_PO, BAD_PH, GOOD_PH, inspect_all, received, scorecard
from tests.sagas.replaying import assert_replays


async def test_a_compensated_receipt_leaves_every_system_consistent(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4000020", 5, "KG")
    lot_number = state["inspection_lot_id"]
    fault = {
        "kind": "unavailable",
        "seconds": 600,
        "path_prefix": f"/api/v1/inspection-lots/{lot_number}/usage-decision",
    }
    (await stack.http.post(f"{stack.url('qms')}/admin/faults", json=fault)).raise_for_status()
    await inspect_all(receiving, state, GOOD_PH)
    await outlast_outage(stack, lambda: receiving.state("RM-200", "B4000020"))
    state = await receiving.wait_for_status("RM-200", "B4000020", "needs_attention")
    assert state["attention"]["step"] == "usage decision in QMS"
    (await stack.http.delete(f"{stack.url('qms')}/admin/faults")).raise_for_status()

    response = await receiving.http.post(
        f"{stack.url('gateway')}/receipts/P100/RM-200/B4000020/attention",
        json={"action": "compensate", "reason": "QMS lost the lot"},
        headers=await stack.idp.headers("sup.king"),
    )
    assert response.status_code == 200, response.text
    state = await receiving.wait_for_status("RM-200", "B4000020", "cancelled")
    assert "compensations that failed" not in state["reason"]

    stock = await erp_lot(stack, "RM-200", "B4000020")
    assert stock.quantities.get(StockStatus.QUALITY_INSPECTION) == Decimal(5)
    assert not stock.quantities.get(StockStatus.UNRESTRICTED)
    lot = await receiving.lab.get_lot(lot_number)
    assert lot.Status == "LTCA" and lot.UsageDecision is None
    card = await scorecard(stack, "17300001")
    assert card.lots_received == 0
    ledger = await receiving.ledger("erp", correlation_id=state["correlation_id"])
    actions = [row["action"] for row in ledger]
    assert actions.count("goods_movement 321") == actions.count("goods_movement 322") == 1
    keys = [(r["idempotency_key"], r["action"], r["entity_key"]) for r in ledger]
    assert len(keys) == len(set(keys))
    await assert_replays(stack.client, state["workflow_id"])


async def test_compensation_after_the_usage_decision_leaves_the_decision_standing(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    """The corrective action request fails for good after the lot was rejected and returned:
    compensating stops the follow-up, and ERP and QMS still agree the lot was rejected."""
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": "/api/scars"}
    (await stack.http.post(f"{stack.url('portal')}/admin/faults", json=fault)).raise_for_status()
    state = await received(receiving, ACME_PO, "RM-200", "B4000021", 5, "KG")
    await receiving.record_samples(state["inspection_lot_id"], BAD_PH, range(1, 2))
    await outlast_outage(stack, lambda: receiving.state("RM-200", "B4000021"))
    state = await receiving.wait_for_status("RM-200", "B4000021", "needs_attention")
    assert state["attention"]["step"] == "corrective action request to the supplier"
    (await stack.http.delete(f"{stack.url('portal')}/admin/faults")).raise_for_status()

    response = await receiving.http.post(
        f"{stack.url('gateway')}/receipts/P100/RM-200/B4000021/attention",
        json={"action": "compensate", "reason": "SCAR raised by phone"},
        headers=await stack.idp.headers("sup.king"),
    )
    assert response.status_code == 200, response.text
    state = await receiving.wait_for_status("RM-200", "B4000021", "rejected")
    assert "the usage decision stands in QMS and ERP" in state["reason"]
    assert "compensations that failed" not in state["reason"]

    lot = await receiving.lab.get_lot(state["inspection_lot_id"])
    assert lot.UsageDecision is not None and lot.UsageDecision.Code == "R"
    stock = await erp_lot(stack, "RM-200", "B4000021")
    assert stock.quantities.get(StockStatus.RETURNED) == Decimal(5)
    assert not stock.quantities.get(StockStatus.BLOCKED)
    ledger = await receiving.ledger("erp", correlation_id=state["correlation_id"])
    actions = [row["action"] for row in ledger]
    assert actions.count("goods_movement 350") == actions.count("goods_movement 122") == 1
    assert "goods_movement 351" not in actions and "goods_movement 123" not in actions
