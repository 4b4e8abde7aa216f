"""Lanes: quality events never wait for a parked posting. With a confirmation parked (ERP
down), a failing measurement still puts the hold on ERP stock, the MES lot and shipping, and
a disposition is accepted; postings keep their own order and post once after a retry."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import OPERATOR, SITE, PlantScenario
from tests.sagas.flows import (
    CONFIRMATIONS,
    disposition,
    outlast_outage_budget,
    parked_on_confirmation,
    released,
    resolve,
)
from tests.sagas.probes import delivery_block, erp_lot, erp_postings, mes_state
from workflows import search_attributes as sa
from workflows.production_order.messages import StepPolicy

PARKED_STEP = "confirm operation 0020"


def hold_everywhere(state: dict) -> bool:
    holds = state.get("holds") or []
    return bool(holds) and all(
        holds[-1][flag] for flag in ("erp_blocked", "mes_held", "shipping_blocked")
    )


async def test_a_failing_result_is_held_and_disposed_while_a_confirmation_is_parked(
    stack: Stack, plant: PlantScenario
) -> None:
    order, lot = "2000040", "B2000040"
    await parked_on_confirmation(stack, plant, order)
    delivery = f"8{order:0>9}"[-10:]

    await plant.measure(order, "S1", Decimal("15500"))
    state = await plant.wait_for_saga(order, hold_everywhere, "hold in ERP, MES and shipping")
    assert state["attention"]["step"] == PARKED_STEP  # the posting is still parked
    assert state["quality_status"] == "on_hold"
    assert state["stage"] == "needs_attention"
    assert (await erp_lot(stack, "FG-1000", lot)).restricted
    assert await delivery_block(stack, delivery) != ""
    assert await mes_state(plant, order) == "Held"
    description = await stack.client.get_workflow_handle(state["workflow_id"]).describe()
    attrs = description.typed_search_attributes
    assert attrs.get(sa.QUALITY_STATUS) == "on_hold"
    assert attrs.get(sa.NEEDS_ATTENTION) is True
    assert attrs.get(sa.PARKED_SYSTEM) == ["erp"]
    assert attrs.get(sa.PARKED_ERROR) == ["SystemUnavailable"]

    response = await plant.approve(order, disposition(state, "use_as_is"))
    assert response.status_code == 200, response.text
    state = await plant.wait_for_saga(
        order, lambda s: s["quality_status"] == "use_as_is", "use-as-is applied"
    )
    assert state["attention"]["step"] == PARKED_STEP
    assert not (await erp_lot(stack, "FG-1000", lot)).restricted
    assert await delivery_block(stack, delivery) == ""
    assert await mes_state(plant, order) == "Running"
    correlation = state["correlation_id"]
    assert len(await erp_postings(plant, "confirmation", correlation)) == 1  # only 0010

    response = await resolve(plant, order, "retry", "sup.king")
    assert response.status_code == 200, response.text
    assert response.json()["targets"] == [f"{state['attention']['id']} {PARKED_STEP}"]
    state = await plant.wait_for_saga(order, lambda s: len(s["postings"]) == 4, "retried")
    assert state["attention"] is None and state["parked"] == []
    assert state["stage"] == "in_progress"  # the stage the quality lane left it in
    assert len(await erp_postings(plant, "confirmation", correlation)) == 2
    action = state["operator_actions"][-1]
    assert (action["operator"], action["action"]) == ("sup.king", "retry")
    assert action["reason"] == "ERP outage handled by IT" and action["at"]


async def test_a_skippable_posting_is_skipped_with_a_reason(
    stack: Stack, plant: PlantScenario
) -> None:
    order = "2000041"
    state = await parked_on_confirmation(stack, plant, order)
    assert state["attention"]["skippable"] is True
    refused = await resolve(plant, order, "skip", OPERATOR, "confirmed by hand in CO11N")
    assert refused.status_code == 403  # a line operator may not resolve parked steps
    assert refused.json()["detail"]["error"] == "not_in_plant"

    response = await resolve(
        plant, order, "skip", "sup.king", "confirmed by hand in CO11N", system="erp"
    )
    assert response.status_code == 200, response.text
    state = await plant.wait_for_saga(order, lambda s: s["attention"] is None, "skipped")
    assert state["stage"] == "in_progress"
    assert len(await erp_postings(plant, "confirmation", state["correlation_id"])) == 1
    action = state["operator_actions"][-1]
    assert action["action"] == "skip" and action["operator"] == "sup.king"
    assert action["reason"] == "confirmed by hand in CO11N"
    assert len(action["targets"]) == 1 and PARKED_STEP in action["targets"][0]

    again = await resolve(plant, order, "retry", "sup.king")
    assert again.status_code == 409
    assert "has no step waiting for an operator" in again.json()["detail"]["message"]


async def test_a_parked_measurement_cannot_be_skipped(stack: Stack, plant: PlantScenario) -> None:
    order, lot = "2000042", "B2000042"
    await plant.new_order(order, lot)
    await plant.release(order)
    await plant.wait_for_stage(order, "in_progress")
    await plant.start_and_mix(order)
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": "/api/v1/inspection-lots"}
    (await stack.http.post(f"{stack.url('qms')}/admin/faults", json=fault)).raise_for_status()
    await plant.measure(order, "S1", Decimal("15500"))
    await outlast_outage_budget(stack, plant, order)
    state = await plant.wait_for_stage(order, "needs_attention")
    parked = state["attention"]
    assert parked["system"] == "qms" and parked["skippable"] is False

    refused = await resolve(plant, order, "skip", "sup.king", "lab says fine")
    assert refused.status_code == 409, refused.text
    assert "cannot be skipped" in refused.json()["detail"]["message"]
    assert (await plant.saga(order))["operator_actions"] == []  # nothing recorded

    (await stack.http.delete(f"{stack.url('qms')}/admin/faults")).raise_for_status()
    response = await resolve(plant, order, "retry", "qa.lee", attention_id=parked["id"])
    assert response.status_code == 200, response.text
    state = await plant.wait_for_saga(
        order,
        # The stage moves on only after the hold's alert: wait for both, not just the flags.
        lambda s: hold_everywhere(s) and s["stage"] == "awaiting_disposition",
        "hold after the retried result",
    )


# Retries that outlast the test: the confirmation keeps retrying instead of parking.
PATIENT_STEPS = StepPolicy(
    max_attempts=10_000,
    initial_interval=timedelta(milliseconds=50),
    maximum_interval=timedelta(milliseconds=200),
    timeout=timedelta(seconds=10),
)


@pytest.fixture
async def patient_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.TIME_SKIPPING,
        task_queue=f"sagas-{uuid.uuid4()}",
        step_policy=PATIENT_STEPS,
    )
    async with embedded_stack(options) as running:
        yield running


async def test_a_failing_result_is_held_while_a_confirmation_is_still_retrying(
    patient_stack: Stack,
) -> None:
    stack = patient_stack
    plant = PlantScenario(
        stack.http, {name: stack.url(name) for name in stack.services}, people=stack.idp
    )
    await plant.seed()
    order, lot = "2000045", "B2000045"
    await released(plant, order, lot)
    await plant.start_and_mix(order)
    await plant.wait_for_saga(order, lambda s: len(s["postings"]) == 3, "3 postings")
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": CONFIRMATIONS}
    (await stack.http.post(f"{stack.url('erp')}/admin/faults", json=fault)).raise_for_status()
    await plant.line.confirm_segment(SITE, order, "SEG-FILL", 1000, "PC", person_id=OPERATOR)

    await plant.measure(order, "S1", Decimal("15500"))
    state = await plant.wait_for_saga(order, hold_everywhere, "hold while ERP confirms fail")
    assert state["attention"] is None  # not parked: the confirmation is still retrying
    assert len(state["postings"]) == 3
    assert await mes_state(plant, order) == "Held"

    (await stack.http.delete(f"{stack.url('erp')}/admin/faults")).raise_for_status()
    state = await plant.wait_for_saga(order, lambda s: len(s["postings"]) == 4, "confirmed")
    assert len(await erp_postings(plant, "confirmation", state["correlation_id"])) == 2
    assert state["stage"] == "awaiting_disposition"
