"""The shared operator desk on a receipt inspection: a parked stock move cannot be skipped
and is retried; the supplier's scorecard (declared skippable) is skipped with a reason."""

from decimal import Decimal
from typing import Any

import httpx

from canonical.enums import StockStatus
from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from tests.sagas.flows import outlast_outage
from tests.sagas.probes import erp_lot
from tests.sagas.receipts import ACME_PO, GOOD_PH, inspect_all, received, scorecard

MATERIAL_DOCUMENTS = "/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV"


async def fault(stack: Stack, system: str, path_prefix: str | None) -> None:
    url = f"{stack.url(system)}/admin/faults"
    if path_prefix is None:
        (await stack.http.delete(url)).raise_for_status()
        return
    body = {"kind": "unavailable", "seconds": 600, "path_prefix": path_prefix}
    (await stack.http.post(url, json=body)).raise_for_status()


async def act(stack: Stack, lot: str, action: str, operator: str, reason: str) -> httpx.Response:
    """``operator`` acts with their token (the body does not name them)."""
    return await stack.http.post(
        f"{stack.url('gateway')}/receipts/P100/RM-200/{lot}/attention",
        json={"action": action, "reason": reason},
        headers=await stack.idp.headers(operator),
    )


def parked_step(state: dict[str, Any]) -> str:
    return str(state["attention"]["step"]) if state.get("attention") else ""


async def test_a_stock_move_is_retried_and_the_scorecard_skipped(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    lot = "B4100001"
    state = await received(receiving, ACME_PO, "RM-200", lot, 5, "KG")
    await fault(stack, "erp", MATERIAL_DOCUMENTS)
    await fault(stack, "portal", "/")
    await inspect_all(receiving, state, GOOD_PH)
    await outlast_outage(stack, lambda: receiving.state("RM-200", lot))
    state = await receiving.wait_for(
        "RM-200", lot, lambda s: "in ERP" in parked_step(s), "stock move parked"
    )
    assert state["status"] == "needs_attention" and state["attention"]["system"] == "erp"

    refused = await act(stack, lot, "skip", "sup.king", "moved by hand")
    assert refused.status_code == 409
    assert "cannot be skipped" in refused.json()["detail"]["message"]
    await fault(stack, "erp", None)
    retried = await act(stack, lot, "retry", "sup.king", "ERP is back")
    assert retried.status_code == 200, retried.text

    await outlast_outage(stack, lambda: receiving.state("RM-200", lot))
    state = await receiving.wait_for(
        "RM-200", lot, lambda s: "scorecard" in parked_step(s), "scorecard parked"
    )
    assert state["attention"]["system"] == "supplier_portal"
    assert state["attention"]["skippable"] is True
    skipped = await act(stack, lot, "skip", "qa.lee", "portal retired this week; score by hand")
    assert skipped.status_code == 200, skipped.text
    state = await receiving.wait_for_status("RM-200", lot, "accepted")
    await fault(stack, "portal", None)

    stock = await erp_lot(stack, "RM-200", lot)
    assert stock.quantities.get(StockStatus.UNRESTRICTED) == Decimal(5)
    assert (await scorecard(stack, "17300001")).lots_received == 0  # skipped, not sent
    actions = [(a["operator"], a["action"]) for a in state["operator_actions"]]
    assert actions == [("sup.king", "retry"), ("qa.lee", "skip")]
    assert any("qa.lee: skip" in line and "score by hand" in line for line in state["audit"])
    assert state["attention"] is None and state["parked"] == []
