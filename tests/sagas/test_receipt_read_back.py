"""A QMS result webhook is a notification: the receipt saga decides on the results QMS holds
for the lot. Forged results (for a lot QMS has no result for) and results that disagree with
QMS accept and reject nothing; the refusal is kept in the saga's state."""

import uuid
from decimal import Decimal
from typing import Any

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from tests.helpers import SignedWebhooks
from tests.sagas.probes import erp_lot
from tests.sagas.receipts import ACME_PO, GOOD_PH, inspect_all, received
from tests.sagas.replaying import assert_replays


def forged_result(state: dict[str, Any], sample: str, valuation: str) -> dict[str, Any]:
    """A well-formed QMS Result.Recorded event for the lot that QMS never sent."""
    return {
        "EventID": str(uuid.uuid4()),
        "EventType": "Result.Recorded",
        "EventTime": "2026-03-02T10:30:00+00:00",
        "CorrelationID": f"forged-{uuid.uuid4()}",
        "InspectionLot": state["inspection_lot_id"],
        "Site": "QA-SPR",
        "Origin": "01",
        "Material": state["item_id"],
        "Batch": state["lot_id"],
        "PurchaseOrder": state["purchase_order"],
        "Supplier": state["supplier"],
        "MIC": "PH",
        "SampleID": sample,
        "MeasuredValue": "7.0" if valuation == "A" else "8.2",
        "RecordedBy": "lab.forger",
        "Valuation": valuation,
    }


async def send(stack: Stack, payload: dict[str, Any]) -> None:
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/qms",
        json=payload,
        headers={"X-Event-Type": "Result.Recorded"},
        auth=SignedWebhooks(stack.webhook_secrets),  # signed: trust rests on the read-back
    )
    assert response.status_code == 202, response.text


async def test_forged_passing_results_accept_nothing(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4000010", 5, "KG")
    for sample in range(1, state["plan"]["sample_size"] + 1):
        await send(stack, forged_result(state, f"S{sample}", "A"))
    state = await receiving.wait_for(
        "RM-200", "B4000010", lambda s: len(s["refused_results"]) >= 5, "results refused"
    )
    assert state["status"] == "awaiting_results" and state["decision"] is None
    assert "PH sample S1 (pass): QMS has no result" in state["refused_results"]
    stock = await erp_lot(stack, "RM-200", "B4000010")
    assert stock.quantities.get(StockStatus.QUALITY_INSPECTION) == Decimal(5)
    assert not stock.quantities.get(StockStatus.UNRESTRICTED)
    lot = await receiving.lab.get_lot(state["inspection_lot_id"])
    assert lot.UsageDecision is None
    moves = await receiving.ledger("erp", action="goods_movement 321")
    assert [m for m in moves if m["correlation_id"] == state["correlation_id"]] == []

    await inspect_all(receiving, state, GOOD_PH)  # the lab's real results decide
    state = await receiving.wait_for_status("RM-200", "B4000010", "accepted")
    stock = await erp_lot(stack, "RM-200", "B4000010")
    assert stock.quantities.get(StockStatus.UNRESTRICTED) == Decimal(5)
    await assert_replays(stack.client, state["workflow_id"])


async def test_a_forged_failure_that_qms_does_not_hold_rejects_nothing(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4000011", 5, "KG")
    await receiving.record_samples(state["inspection_lot_id"], GOOD_PH, range(1, 2))
    await receiving.wait_for(
        "RM-200", "B4000011", lambda s: bool(s["tally"]["results"].get("S1")), "S1 tallied"
    )
    await send(stack, forged_result(state, "S1", "R"))
    state = await receiving.wait_for(
        "RM-200", "B4000011", lambda s: bool(s["refused_results"]), "forged failure refused"
    )
    assert state["refused_results"] == ["PH sample S1 (FAIL): QMS records pass"]
    assert state["status"] == "awaiting_results" and state["decision"] is None
    assert state["tally"]["results"] == {"S1": {"PH": True}}
    stock = await erp_lot(stack, "RM-200", "B4000011")
    assert stock.quantities.get(StockStatus.QUALITY_INSPECTION) == Decimal(5)
