"""Supplier receipt end to end on the real dev server: the demo's receipt walk-through, then
each system's ledger shows its writes once and a repeated receipt event starts nothing."""

from collections import Counter

from stack.demo import walk_receipt
from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from stack.scenario import PlantScenario
from tests.e2e.conftest import urls
from tests.helpers import SignedWebhooks

RECEIPT = "sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1"


async def test_received_lot_is_sampled_tested_and_released_once(dev_stack: Stack) -> None:
    addresses = urls(dev_stack)
    await PlantScenario(dev_stack.http, addresses).seed()
    receiving = ReceivingScenario(dev_stack.http, addresses, people=dev_stack.idp)
    notes: list[str] = []
    state = await walk_receipt(receiving, "B5000001", notes.append)
    assert state["status"] == "accepted"
    assert len(notes) == 4

    correlation = state["correlation_id"]
    erp = Counter(r["action"] for r in await receiving.ledger("erp", correlation_id=correlation))
    qms = Counter(r["action"] for r in await receiving.ledger("qms", correlation_id=correlation))
    portal = Counter(
        r["action"] for r in await receiving.ledger("portal", correlation_id=correlation)
    )
    assert erp == Counter({"goods_movement 321": 1})
    assert qms["create_inspection_lot"] == 1 and qms["usage_decision"] == 1
    assert portal == Counter({"record_lot_outcome": 1})

    outbox = (await dev_stack.http.get(f"{addresses['erp']}/admin/outbox")).json()
    event = next(e for e in outbox if e["event_type"] == RECEIPT)
    again = await dev_stack.http.post(
        f"{addresses['gateway']}/webhooks/erp",
        json=event["payload"],
        headers={"X-Event-Type": RECEIPT},
        auth=SignedWebhooks(dev_stack.webhook_secrets),
    )
    assert again.json()["status"] == "already_finished"

    listed = (
        await dev_stack.http.get(
            f"{addresses['gateway']}/receipts",
            params={"plant": "P100", "status": "accepted"},
            headers=await dev_stack.idp.headers("qa.ortiz"),
        )
    ).json()
    assert [row["Lot"] for row in listed] == ["B5000001"]
