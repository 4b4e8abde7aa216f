"""Supplier receipts: accept, reject and partial acceptance, in every system."""

from decimal import Decimal

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from tests.sagas.probes import erp_lot, signature_log
from tests.sagas.receipts import (
    ACME_PO,
    BAD_PH,
    GOOD_PH,
    inspect_all,
    received,
    scorecard,
)
from workflows import search_attributes as sa


async def test_accepted_lot_moves_to_unrestricted_stock(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4000001", 5, "KG")
    assert state["plan"]["severity"] == "normal" and state["plan"]["sample_size"] == 5
    stock = await erp_lot(stack, "RM-200", "B4000001")
    assert stock.quantities.get(StockStatus.QUALITY_INSPECTION) == Decimal(5)

    await inspect_all(receiving, state, GOOD_PH)
    state = await receiving.wait_for_status("RM-200", "B4000001", "accepted")
    assert Decimal(state["decision"]["accepted_quantity"]) == 5
    stock = await erp_lot(stack, "RM-200", "B4000001")
    assert stock.quantities.get(StockStatus.UNRESTRICTED) == Decimal(5)
    assert not stock.quantities.get(StockStatus.QUALITY_INSPECTION)
    lot = await receiving.lab.get_lot(state["inspection_lot_id"])
    assert lot.UsageDecision is not None and lot.UsageDecision.Code == "A"
    card = await scorecard(stack, "17300001")
    assert (card.lots_received, card.lots_accepted, card.lots_rejected) == (1, 1, 0)
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    described = await handle.describe()
    assert described.typed_search_attributes.get(sa.SUPPLIER) == "17300001"
    assert described.typed_search_attributes.get(sa.INSPECTION_STATUS) == "accepted"


async def test_rejected_lot_is_blocked_returned_and_followed_up(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4000002", 5, "KG")
    await receiving.record_samples(state["inspection_lot_id"], BAD_PH, range(1, 2))
    state = await receiving.wait_for_status("RM-200", "B4000002", "rejected")
    assert "1 defective" in state["decision"]["basis"]

    ledger = await receiving.ledger("erp", correlation_id=state["correlation_id"])
    actions = [row["action"] for row in ledger]
    assert actions.count("goods_movement 350") == 1 and actions.count("goods_movement 122") == 1
    stock = await erp_lot(stack, "RM-200", "B4000002")
    assert not stock.quantities.get(StockStatus.UNRESTRICTED) and not stock.quantities.get(
        StockStatus.BLOCKED
    )
    notification = await receiving.lab.get_notification(state["nonconformance_id"])
    assert notification.NotificationType == "Q2" and notification.Supplier == "17300001"
    assert state["corrective_action"].startswith("SCAR-")
    card = await scorecard(stack, "17300001")
    assert card.lots_rejected == 1 and card.open_corrective_actions == 1


async def test_engineer_accepts_part_of_a_lot(stack: Stack, receiving: ReceivingScenario) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4000003", 10, "KG")
    body = {
        "decision": "partial",
        "accepted_quantity": "6",
        "engineer": "qa.ortiz",
        "reason": "drums 7-10 show crust; drums 1-6 fine",
    }
    response = await receiving.override("RM-200", "B4000003", body)
    assert response.status_code == 200, response.text
    assert response.json()["signature"]["meaning"] == "override"
    state = await receiving.wait_for_status("RM-200", "B4000003", "partially_accepted")
    [logged] = await signature_log(stack, "RM-200", "B4000003")
    assert logged["statement"] == "partial acceptance"
    assert (logged["printed_name"], logged["signer"]) == ("Sam Ortiz", "qa.ortiz")
    assert logged["record_digest"] == state["decision"]["signature"]["record_digest"]
    stock = await erp_lot(stack, "RM-200", "B4000003")
    assert stock.quantities.get(StockStatus.UNRESTRICTED) == Decimal(6)
    ledger = await receiving.ledger("erp", correlation_id=state["correlation_id"])
    returned = [r for r in ledger if r["action"] == "goods_movement 122"]
    assert len(returned) == 1
    assert Decimal(state["decision"]["rejected_quantity"]) == 4


async def test_override_refusals_say_why(receiving: ReceivingScenario) -> None:
    await received(receiving, ACME_PO, "RM-200", "B4000004", 10, "KG")
    base = {"decision": "accept", "engineer": "qa.ortiz", "reason": "certificate reviewed"}
    cases = [
        ({"engineer": "sup.king"}, 403, "needs one of the roles quality_engineer"),
        ({"engineer": "op.nguyen"}, 403, "is not one of plant P100's people"),
        ({"decision": "partial", "accepted_quantity": "10"}, 409, "a partial acceptance must"),
    ]
    for change, status, message in cases:
        response = await receiving.override("RM-200", "B4000004", {**base, **change})
        assert response.status_code == status, response.text
        assert message in response.json()["detail"]["message"]
    missing_reason = await receiving.override("RM-200", "B4000004", {**base, "reason": ""})
    assert missing_reason.status_code == 422
    assert missing_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    partial_without_quantity = await receiving.override(
        "RM-200", "B4000004", {**base, "decision": "partial"}
    )
    assert partial_without_quantity.status_code == 422

    accepted = await receiving.override("RM-200", "B4000004", base)
    assert accepted.status_code == 200
    await receiving.wait_for_status("RM-200", "B4000004", "accepted")
    again = await receiving.override("RM-200", "B4000004", base)
    assert again.status_code in (404, 409)  # decided: refused, or the saga has ended
