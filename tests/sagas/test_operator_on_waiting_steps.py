"""Operators act on a step that is still waiting out an outage (not parked yet) through the
same desk: retry cuts the wait short, skip moves on without a skippable step (with a reason),
a skip of a step that may not be skipped is refused, and compensate stops the saga."""

from datetime import timedelta
from decimal import Decimal

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.sagas.flows import released, resolve
from tests.sagas.outages import (
    clear_faults,
    confirmation_hits_fault,
    fault,
    finish_order,
    stages_recorded,
)
from tests.sagas.probes import erp_postings, mes_state
from tests.sagas.replaying import assert_replays


async def test_retry_cuts_the_wait_for_a_system_short(stack: Stack, plant: PlantScenario) -> None:
    await confirmation_hits_fault(stack, plant, "2000080", "B2000180", kind="unavailable")
    await stack.env.sleep(timedelta(minutes=40))  # the waits have grown to 10 minutes
    state = await plant.saga("2000080")
    waiting = state["waiting"][0]
    assert waiting["id"].startswith("wait-") and waiting["skippable"] is True
    await clear_faults(stack, "erp")

    response = await resolve(plant, "2000080", "retry", "sup.king", "ERP is back", system="erp")
    assert response.status_code == 200, response.text
    outcome = response.json()
    assert outcome["targets"] == [f"{waiting['id']} confirm operation 0020"]
    assert outcome["waiting"] == [] and outcome["parked"] == []
    # No time is skipped from here: the posting lands now, not at the next planned attempt.
    state = await plant.wait_for_saga(
        "2000080", lambda s: len(s["postings"]) == 4 and not s["waiting"], "posted on retry"
    )
    action = state["operator_actions"][-1]
    assert (action["operator"], action["action"]) == ("sup.king", "retry")
    assert waiting["next_attempt_at"] > action["at"]  # the attempt the retry did not wait for
    confirmations = await erp_postings(plant, "confirmation", state["correlation_id"])
    assert len(confirmations) == 2  # 0010 and 0020, once each
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    assert "needs_attention" not in await stages_recorded(handle)
    await assert_replays(stack.client, state["workflow_id"])


async def test_skip_moves_on_without_a_waiting_skippable_step(
    stack: Stack, plant: PlantScenario
) -> None:
    await confirmation_hits_fault(stack, plant, "2000081", "B2000181", kind="unavailable")
    refused = await resolve(plant, "2000081", "skip", "sup.king", "")
    assert refused.status_code == 422  # a skip needs a reason
    response = await resolve(
        plant, "2000081", "skip", "sup.king", "confirmed by hand in CO11N", step="0020"
    )
    assert response.status_code == 200, response.text
    state = await plant.wait_for_saga("2000081", lambda s: not s["waiting"], "wait ended")
    assert state["operator_actions"][-1]["action"] == "skip"
    assert state["operator_actions"][-1]["reason"] == "confirmed by hand in CO11N"
    await clear_faults(stack, "erp")

    state = await finish_order(plant, "2000081", "B2000181")
    confirmations = await erp_postings(plant, "confirmation", state["correlation_id"])
    assert len(confirmations) == 2  # 0010 and 0030: the skipped 0020 was never posted
    await assert_replays(stack.client, state["workflow_id"])


async def test_a_waiting_step_that_may_not_be_skipped_can_be_compensated(
    stack: Stack, plant: PlantScenario
) -> None:
    await released(plant, "2000082", "B2000182")
    await plant.start_and_mix("2000082")
    await fault(stack, "qms", kind="unavailable", path_prefix="/api/v1/inspection-lots")
    await plant.measure("2000082", "S1", Decimal("12000"))
    state = await plant.wait_for_saga("2000082", lambda s: bool(s["waiting"]), "waiting on QMS")
    assert state["waiting"][0]["system"] == "QMS"

    refused = await resolve(plant, "2000082", "skip", "sup.king", "lab has it on paper")
    assert refused.status_code == 409
    assert "cannot be skipped" in refused.json()["detail"]["message"]
    outsider = await resolve(plant, "2000082", "retry", "op.nguyen", "try again")
    assert outsider.status_code == 403
    state = await plant.saga("2000082")
    assert state["operator_actions"] == [] and len(state["waiting"]) == 1

    response = await resolve(plant, "2000082", "compensate", "sup.king", "batch abandoned")
    assert response.status_code == 200, response.text
    await clear_faults(stack, "qms")
    state = await plant.wait_for_stage("2000082", "compensated")
    assert state["waiting"] == [] and state["compensation_failures"] == []
    assert "sup.king chose to compensate: batch abandoned" in state["reason"]
    assert await mes_state(plant, "2000082") == "Aborted"
    await assert_replays(stack.client, state["workflow_id"])
