"""Operator actions in bulk on the real dev server: one retry over every saga of a plant
parked on ERP (a production order and a supplier receipt), found through visibility; a saga
parked on another system is left alone; the CLI does the same as a separate process."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from stack.demo import DEMO_PO
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.receiving import ReceivingScenario
from stack.scenario import OPERATOR, SITE, PlantScenario
from stack.waiting import poll_until
from tests.e2e.conftest import urls
from tests.e2e.test_cli import cli
from tests.sagas.conftest import FAST_STEPS, config_with_outage_budget
from tests.sagas.flows import CONFIRMATIONS, parked_on_confirmation, released

MATERIAL_DOCUMENTS = "/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV"


@pytest.fixture
async def fast_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The dev server with few, fast retries and a 3-second outage budget, so a step whose
    system is down parks within the test."""
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.DEV_SERVER,
        task_queue=f"e2e-{uuid.uuid4()}",
        step_policy=FAST_STEPS,
        config_file=config_with_outage_budget(tmp_path, "PT3S"),
    )
    async with embedded_stack(options) as running:
        yield running


async def fault(stack: Stack, system: str, path_prefix: str | None) -> None:
    url = f"{stack.url(system)}/admin/faults"
    if path_prefix is None:
        (await stack.http.delete(url)).raise_for_status()
        return
    body = {"kind": "unavailable", "seconds": 600, "path_prefix": path_prefix}
    (await stack.http.post(url, json=body)).raise_for_status()


async def receipt_parked_on_erp(stack: Stack, receiving: ReceivingScenario, lot: str) -> None:
    await receiving.receive(DEMO_PO, lot, 20, "KG")
    state = await receiving.wait_for_status("RM-200", lot, "awaiting_results")
    await fault(stack, "erp", MATERIAL_DOCUMENTS)
    samples = range(1, state["plan"]["sample_size"] + 1)
    await receiving.record_samples(state["inspection_lot_id"], {"PH": Decimal("7.1")}, samples)
    state = await receiving.wait_for_status("RM-200", lot, "needs_attention")
    assert state["attention"]["system"] == "erp"
    await fault(stack, "erp", None)


async def order_parked_on_qms(stack: Stack, plant: PlantScenario, order: str) -> dict[str, Any]:
    await released(plant, order, f"B{order}")
    await plant.start_and_mix(order)
    await fault(stack, "qms", "/api/v1/inspection-lots")
    await plant.measure(order, "S1", Decimal("12000"))
    state = await plant.wait_for_stage(order, "needs_attention")
    await fault(stack, "qms", None)
    return state


async def listed(stack: Stack, count: int, **params: str) -> list[dict[str, Any]]:
    async def probe() -> list[dict[str, Any]]:
        response = await stack.http.get(
            f"{stack.url('gateway')}/attention",
            params=params,
            headers=await stack.idp.headers("sup.king"),
        )
        response.raise_for_status()
        rows: list[dict[str, Any]] = response.json()
        return rows

    return await poll_until(probe, lambda rows: len(rows) == count, f"{count} parked {params}")


async def test_bulk_retry_by_plant_and_system_over_two_kinds_of_saga(
    fast_stack: Stack, tmp_path: Path
) -> None:
    stack = fast_stack
    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    receiving = ReceivingScenario(stack.http, plant.urls, people=stack.idp)
    await parked_on_confirmation(stack, plant, "3300001")
    await receipt_parked_on_erp(stack, receiving, "B5300001")
    qms_parked = await order_parked_on_qms(stack, plant, "3300002")

    on_erp = await listed(stack, 2, plant="P100", system="erp")
    assert {row["workflow_type"] for row in on_erp} == {
        "ProductionOrderWorkflow",
        "SupplierReceiptInspectionWorkflow",
    }
    await listed(stack, 3, plant="P100")

    body = {
        "action": "retry",
        "reason": "ERP back after the outage",
        "plant": "P100",
        "system": "erp",
    }
    response = await stack.http.post(
        f"{stack.url('gateway')}/attention/bulk",
        json=body,
        headers=await stack.idp.headers("sup.king"),
    )
    assert response.status_code == 200, response.text
    outcome = response.json()
    assert outcome["matched"] == 2 and outcome["refused"] == []
    assert sorted(item["workflow_id"] for item in outcome["resolved"]) == [
        "production-order-P100-3300001",
        "receipt-inspection-P100-RM-200-B5300001",
    ]

    order = await plant.wait_for_saga("3300001", lambda s: len(s["postings"]) == 4, "posted")
    assert order["operator_actions"][-1]["operator"] == "sup.king"
    receipt = await receiving.wait_for_status("RM-200", "B5300001", "accepted")
    assert any("sup.king: retry" in line for line in receipt["audit"])
    confirmations = await plant.ledger(
        "erp", action="confirmation", correlation_id=order["correlation_id"]
    )
    assert len(confirmations) == 2  # 0010 and the retried 0020, once each
    transfers = await plant.ledger("erp", correlation_id=receipt["correlation_id"])
    assert [r["action"] for r in transfers] == ["goods_movement 321"]
    still = await plant.saga("3300002")
    assert still["attention"]["id"] == qms_parked["attention"]["id"]  # parked on QMS: untouched
    await listed(stack, 1, plant="P100")

    # The CLI, as a separate process, logged in as qa.lee: list, a refused skip, then a retry
    # by step name.
    env = {
        "PLANTFLOW_TOKEN_FILE": str(tmp_path / "token.json"),
        "PLANTFLOW_OIDC_ISSUER": stack.idp.issuer,
    }
    password = stack.idp.password("qa.lee") + "\n"
    code, output = await cli(
        "login", "--user", "qa.lee", "--password-stdin", env=env, stdin=password
    )
    assert code == 0, output
    gateway = ["--gateway-url", stack.url("gateway")]
    code, output = await cli("attention", "list", "--plant", "P100", *gateway, env=env)
    assert code == 0 and "production-order-P100-3300002" in output and "qms" in output
    who = ["--reason", "lab confirmed the value"]
    wf_id = "production-order-P100-3300002"
    code, output = await cli("attention", "skip", "--workflow-id", wf_id, *who, *gateway, env=env)
    assert code == 1 and "409" in output and "cannot be skipped" in output
    code, output = await cli(
        "attention", "retry", "--plant", "P100", "--step", "in QMS", *who, *gateway, env=env
    )
    assert code == 0 and "1 of 1 sagas: retry; 0 refused" in output, output
    await plant.wait_for_saga("3300002", lambda s: s["attention"] is None, "retried")
    code, output = await cli("attention", "show", wf_id, *gateway, env=env)
    assert code == 0 and '"operator": "qa.lee"' in output, output


@pytest.fixture
async def patient_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The dev server with an outage budget of an hour, and 5 minutes before a step whose
    system is down tries again: within the test only an operator's retry ends the wait."""
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.DEV_SERVER,
        task_queue=f"e2e-{uuid.uuid4()}",
        step_policy=FAST_STEPS.model_copy(update={"outage_first_wait": timedelta(minutes=5)}),
        config_file=config_with_outage_budget(tmp_path, "PT1H"),
    )
    async with embedded_stack(options) as running:
        yield running


async def test_steps_waiting_out_an_outage_are_listed_and_retried_in_bulk(
    patient_stack: Stack,
) -> None:
    """A saga waiting on ERP (not parked) is listed with `waiting_on`, and a bulk retry by
    plant and system cuts its wait short."""
    stack = patient_stack
    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    await released(plant, "3300005", "B3300005")
    await plant.start_and_mix("3300005")
    await plant.wait_for_saga("3300005", lambda s: len(s["postings"]) == 3, "3 postings")
    await fault(stack, "erp", CONFIRMATIONS)
    await plant.line.confirm_segment(SITE, "3300005", "SEG-FILL", 1000, "PC", person_id=OPERATOR)
    rows = await listed(stack, 1, plant="P100", system="erp")
    assert rows[0]["workflow_id"] == "production-order-P100-3300005"
    assert rows[0]["waiting_on"] == ["ERP"] and rows[0]["parked_systems"] == []
    assert await listed(stack, 0, plant="P100", system="qms") == []
    await fault(stack, "erp", None)

    body = {"action": "retry", "reason": "ERP is back", "plant": "P100", "system": "erp"}
    response = await stack.http.post(
        f"{stack.url('gateway')}/attention/bulk",
        json=body,
        headers=await stack.idp.headers("sup.king"),
    )
    assert response.status_code == 200, response.text
    outcome = response.json()
    assert outcome["matched"] == 1 and outcome["refused"] == [], outcome
    order = await plant.wait_for_saga("3300005", lambda s: len(s["postings"]) == 4, "posted")
    assert order["waiting"] == [] and order["operator_actions"][-1]["action"] == "retry"
    await listed(stack, 0, plant="P100")
