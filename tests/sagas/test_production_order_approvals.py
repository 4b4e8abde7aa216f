"""Dispositions are electronic signatures: the validator refuses the wrong people before
anything is recorded, and the signal path applies the same rules."""

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.sagas.flows import disposition, on_hold, released
from workflows.production_order.messages import DispositionRequest
from workflows.production_order.workflow import ProductionOrderWorkflow


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"approver": "sup.king"}, 403, "needs one of the roles quality_engineer"),
        ({"approver": "op.nguyen"}, 403, "op.nguyen is not one of plant P100's people"),
        ({"decision": "return_to_vendor"}, 409, "is not a production disposition"),
        ({"nonconformance_id": "QN99999999"}, 409, "is not the open one"),
    ],
)
async def test_refused_approvals_say_why_and_change_nothing(
    plant: PlantScenario, change: dict[str, str], status: int, message: str
) -> None:
    """The gateway refuses the wrong people (403); the saga's validator the wrong decision."""
    _, state = await on_hold(plant, "2000010", "B2000110")
    response = await plant.approve("2000010", {**disposition(state, "use_as_is"), **change})
    assert response.status_code == status
    assert message in response.json()["detail"]["message"]
    after = await plant.saga("2000010")
    assert after["stage"] == "awaiting_disposition"
    assert after["holds"][-1]["decision"] is None


async def test_the_person_who_raised_the_nonconformance_cannot_approve_it(
    plant: PlantScenario,
) -> None:
    _, state = await on_hold(plant, "2000011", "B2000111", inspector="qa.ortiz")
    assert state["holds"][-1]["raised_by"] == "qa.ortiz"
    response = await plant.approve("2000011", disposition(state, "use_as_is", "qa.ortiz"))
    assert response.status_code == 409
    assert "segregation of duties" in response.json()["detail"]["message"]
    response = await plant.approve("2000011", disposition(state, "use_as_is", "qa.lee"))
    assert response.status_code == 200


async def test_approval_when_nothing_is_on_hold_is_refused(plant: PlantScenario) -> None:
    await released(plant, "2000012", "B2000112")
    body = {
        "nonconformance_id": "QN1",
        "decision": "use_as_is",
        "approver": "qa.lee",
        "reason": "nothing to decide",
    }
    response = await plant.approve("2000012", body)
    assert response.status_code == 409
    assert "not awaiting a disposition" in response.json()["detail"]["message"]


async def test_unknown_order_is_a_404(plant: PlantScenario) -> None:
    body = {
        "nonconformance_id": "QN1",
        "decision": "scrap",
        "approver": "qa.lee",
        "reason": "x" * 5,
    }
    response = await plant.approve("4040404", body)
    assert response.status_code == 404


async def test_signalled_dispositions_follow_the_same_rules(
    stack: Stack, plant: PlantScenario
) -> None:
    _, state = await on_hold(plant, "2000013", "B2000113")
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    wrong = DispositionRequest(**disposition(state, "use_as_is", "sup.king"))
    await handle.signal(ProductionOrderWorkflow.on_disposition_signal, wrong)
    refused = await plant.wait_for_saga(
        "2000013", lambda s: bool(s["refused_messages"]), "refused signal recorded"
    )
    assert "sup.king" in refused["refused_messages"][0]
    assert refused["stage"] == "awaiting_disposition"

    right = DispositionRequest(**disposition(state, "use_as_is", "qa.ortiz"))
    await handle.signal(ProductionOrderWorkflow.on_disposition_signal, right)
    await plant.wait_for_saga(
        "2000013", lambda s: s["quality_status"] == "use_as_is", "signalled disposition applied"
    )


async def test_update_validator_refusal_is_not_recorded_in_history(
    stack: Stack, plant: PlantScenario
) -> None:
    _, state = await on_hold(plant, "2000014", "B2000114")
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            ProductionOrderWorkflow.approve_disposition,
            DispositionRequest(**disposition(state, "use_as_is", "sup.king")),
            rpc_timeout=timedelta(seconds=10),
        )
    history = await handle.fetch_history()
    accepted = [
        e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
        for e in history.events
        if e.HasField("workflow_execution_update_accepted_event_attributes")
    ]
    assert accepted == ["trigger"]  # the start's own update; the refused one left no trace
