"""A receipt without results escalates and keeps waiting; a purchase order cancelled before
the decision undoes the inspection and the receipt."""

from datetime import timedelta
from decimal import Decimal

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from tests.sagas.probes import erp_lot
from tests.sagas.receipts import ACME_PO, GOOD_PH, inspect_all, received
from workflows import search_attributes as sa


async def test_missing_results_escalate_and_the_lot_is_still_decided(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4400001", 5, "KG")
    await stack.env.sleep(timedelta(hours=48, minutes=5))  # P100: results due within 48 h
    state = await receiving.wait_for(
        "RM-200", "B4400001", lambda s: s["escalated_at"] is not None, "escalation"
    )
    assert state["status"] == "awaiting_results"
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    assert (await handle.describe()).typed_search_attributes.get(sa.ESCALATED) is True

    await inspect_all(receiving, state, GOOD_PH)
    await receiving.wait_for_status("RM-200", "B4400001", "accepted")
    assert (await handle.describe()).typed_search_attributes.get(sa.ESCALATED) is False


async def test_cancelled_purchase_order_cancels_the_inspection_and_reverses_the_receipt(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4500001", 5, "KG")
    await receiving.cancel_purchase_order(ACME_PO)
    state = await receiving.wait_for_status("RM-200", "B4500001", "cancelled")
    assert "receipt reversed" in state["reason"]
    lot = await receiving.lab.get_lot(state["inspection_lot_id"])
    assert lot.Status == "LTCA"
    stock = await erp_lot(stack, "RM-200", "B4500001")
    assert not stock.quantities.get(StockStatus.QUALITY_INSPECTION)
    ledger = await receiving.ledger("erp", correlation_id=state["correlation_id"])
    assert [r["action"] for r in ledger].count("goods_movement 102") == 1
    assert sum(Decimal(str(q)) for q in stock.quantities.values()) == 0
