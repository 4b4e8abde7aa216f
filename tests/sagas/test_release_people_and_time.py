"""Who may sign a release, what happens when nobody does, and recovering a missed event."""

from datetime import timedelta

from stack.embedded import Stack
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from tests.sagas.releases import finished_lot
from workflows import search_attributes as sa


async def test_unauthorised_approvers_are_refused(
    plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    await finished_lot(plant, releasing, "6100001", "B6100001")
    await releasing.lab_tests("FG-1000", "B6100001")
    await releasing.verify_packaging("FG-1000", "B6100001", person="qa.ortiz")
    await releasing.wait_for_status("FG-1000", "B6100001", "awaiting_approval")
    for approver, message in [
        ("sup.king", "needs one of the roles quality_engineer"),
        ("op.nguyen", "is not one of plant P100's people"),
        ("qa.ortiz", "produced records of lot B6100001"),
    ]:
        response = await releasing.approve("FG-1000", "B6100001", approver=approver)
        assert response.status_code == (409 if approver == "qa.ortiz" else 403)
        assert message in response.json()["detail"]["message"]
    assert (await releasing.state("FG-1000", "B6100001"))["signature"] is None
    assert (await releasing.approve("FG-1000", "B6100001", approver="qa.lee")).status_code == 200


async def test_missing_approval_escalates_and_still_waits(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    await finished_lot(plant, releasing, "6100002", "B6100002")
    await releasing.lab_tests("FG-1000", "B6100002")
    await releasing.verify_packaging("FG-1000", "B6100002")
    state = await releasing.wait_for_status("FG-1000", "B6100002", "awaiting_approval")
    await stack.env.sleep(timedelta(hours=8, minutes=5))  # FG-1000: approval due in 8 h
    state = await releasing.wait_for(
        "FG-1000",
        "B6100002",
        lambda s: s["checkpoints"]["approval"]["escalated_at"] is not None,
        "approval escalated",
    )
    assert state["status"] == "awaiting_approval"
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    assert (await handle.describe()).typed_search_attributes.get(sa.ESCALATED) is True
    assert (await releasing.approve("FG-1000", "B6100002")).status_code == 200
    await releasing.wait_for_status("FG-1000", "B6100002", "released")


async def test_a_missed_lab_event_is_recovered_by_asking_the_lims(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    await finished_lot(plant, releasing, "6100003", "B6100003")
    # The LIMS's interface goes down: its events stay undelivered in its outbox.
    await stack.services["lims"].app.state.runtime.outbox.stop()
    await releasing.lab_tests("FG-1000", "B6100003")
    await releasing.verify_packaging("FG-1000", "B6100003")
    state = await releasing.wait_for(
        "FG-1000",
        "B6100003",
        lambda s: s["checkpoints"]["packaging"]["status"] == "passed",
        "packaging passed",
    )
    assert state["checkpoints"]["lab"]["status"] == "pending"
    await stack.env.sleep(timedelta(hours=24, minutes=5))  # past the lab's deadline
    state = await releasing.wait_for_status("FG-1000", "B6100003", "awaiting_approval")
    lab = state["checkpoints"]["lab"]
    assert lab["status"] == "passed" and lab["reconciled"] is True
    assert lab["escalated_at"] is None  # answered by the reconcile, so no escalation


async def test_pending_checkpoints_are_searchable(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    _, state = await finished_lot(plant, releasing, "6100004", "B6100004")
    await releasing.verify_packaging("FG-1000", "B6100004")
    await releasing.wait_for(
        "FG-1000",
        "B6100004",
        lambda s: s["checkpoints"]["packaging"]["status"] == "passed",
        "packaging passed",
    )
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(sa.PENDING_CHECKPOINTS) == ["lab", "approval"]
    assert attributes.get(sa.RELEASE_STATUS) == "awaiting_checkpoints"
