"""The supplier's history drives each receipt's plan: skip-lot after a clean run, tightened
inspection after rejections. Results may arrive in parts and twice."""

from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from tests.helpers import SignedWebhooks
from tests.sagas.receipts import (
    ACME_PO,
    BAD_TUBE,
    BUDGET_PO,
    GOOD_PH,
    inspect_all,
    received,
)
from workflows.supplier_quality import workflow_id as quality_record_id
from workflows.supplier_quality.workflow import SupplierQualityWorkflow


async def test_clean_supplier_earns_skip_lot_and_a_skipped_lot_is_still_decided(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    for n in range(1, 6):  # five clean lots in a row
        state = await received(receiving, ACME_PO, "RM-200", f"B41{n:05d}", 5, "KG")
        assert not state["plan"]["skipped"]
        await inspect_all(receiving, state, GOOD_PH)
        await receiving.wait_for_status("RM-200", f"B41{n:05d}", "accepted")

    state = await receiving.receive(ACME_PO, "B4100006", 5, "KG")
    state = await receiving.wait_for_status("RM-200", "B4100006", "skipped")
    assert state["plan"]["skipped"] and "skip-lot" in state["plan"]["reason"]
    assert state["decision"]["decision"] == "accept"
    assert any("skip" in line for line in state["audit"])
    lot = await receiving.lab.get_lot(state["inspection_lot_id"])
    assert lot.UsageDecision is not None and lot.UsageDecision.Code == "A"

    record = await stack.client.get_workflow_handle(quality_record_id("17300001", "RM-200")).query(
        SupplierQualityWorkflow.view
    )
    assert [lot.accepted for lot in record.lots] == [True] * 6


async def test_rejections_switch_the_supplier_to_tightened_inspection(
    receiving: ReceivingScenario,
) -> None:
    for n in (1, 2):
        state = await received(receiving, BUDGET_PO, "PK-300", f"B42{n:05d}", 100, "ST")
        assert state["plan"]["severity"] == "normal"
        await receiving.record_samples(state["inspection_lot_id"], BAD_TUBE, range(1, 2))
        await receiving.wait_for_status("PK-300", f"B42{n:05d}", "rejected")

    state = await received(receiving, BUDGET_PO, "PK-300", "B4200003", 100, "ST")
    plan = state["plan"]
    assert plan["severity"] == "tightened"
    # Z1.4 table II-B at AQL 0.65: code F points down to G, n=32, Ac 0 Re 1.
    assert (plan["code_letter"], plan["sample_size"], plan["reject_number"]) == ("G", 32, 1)


async def test_results_in_parts_and_twice_keep_a_correct_tally(
    stack: Stack, receiving: ReceivingScenario
) -> None:
    state = await received(receiving, ACME_PO, "RM-200", "B4300001", 20, "KG")
    plan = state["plan"]
    assert plan["sample_size"] == 13
    lot = state["inspection_lot_id"]
    await receiving.record_samples(lot, GOOD_PH, range(1, 7))
    state = await receiving.wait_for(
        "RM-200", "B4300001", lambda s: len(s["tally"]["event_ids"]) == 6, "first part"
    )
    assert state["status"] == "awaiting_results"

    outbox = (await stack.http.get(f"{stack.url('qms')}/admin/outbox")).json()
    first = next(e for e in outbox if e["event_type"] == "Result.Recorded")
    for _ in range(2):  # QMS's interface delivers one result again, twice
        response = await stack.http.post(
            f"{stack.url('gateway')}/webhooks/qms",
            json=first["payload"],
            headers={"X-Event-Type": "Result.Recorded"},
            auth=SignedWebhooks(stack.webhook_secrets),  # a new delivery id each time
        )
        assert response.status_code == 202
    await receiving.record_samples(lot, GOOD_PH, range(7, 14))
    state = await receiving.wait_for_status("RM-200", "B4300001", "accepted")
    assert state["tally"]["duplicates"] == 2
    assert len(state["tally"]["results"]) == 13
    assert "0 defective in 13 of 13 samples" in state["decision"]["basis"]


async def test_a_lot_of_one_unit_is_inspected_whole_and_one_defect_rejects_it(
    receiving: ReceivingScenario,
) -> None:
    state = await received(receiving, BUDGET_PO, "PK-300", "B4400001", 1, "ST")
    plan = state["plan"]
    assert (plan["sample_size"], plan["accept_number"], plan["reject_number"]) == (1, 0, 1)
    assert "inspect 100% (1 units), Ac 0, Re 1" in plan["reason"]
    lot = await receiving.lab.get_lot(state["inspection_lot_id"])
    assert lot.SamplePlan is not None  # QMS keeps the same plan
    sampled = lot.SamplePlan
    assert (sampled.SampleSize, sampled.AcceptNumber, sampled.RejectNumber) == (1, 0, 1)
    await receiving.record_samples(state["inspection_lot_id"], BAD_TUBE, range(1, 2))
    state = await receiving.wait_for_status("PK-300", "B4400001", "rejected")
    assert state["decision"]["decision"] == "reject"
