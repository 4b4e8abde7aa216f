"""The certificate of analysis of a lot released through both sagas states what quality
decided while the lot was made: the production saga hands its nonconformances and signed
dispositions to the release, and "conforms" is written only for a lot that conforms."""

from decimal import Decimal

from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from tests.sagas.flows import disposition, on_hold

CONFORMS = "The lot conforms to its specification"


async def release_and_read_certificate(releasing: ReleaseScenario, lot_id: str) -> tuple[dict, str]:
    await releasing.wait_for_status("FG-1000", lot_id, "awaiting_checkpoints")
    await releasing.lab_tests("FG-1000", lot_id)
    await releasing.verify_packaging("FG-1000", lot_id)
    await releasing.wait_for_status("FG-1000", lot_id, "awaiting_approval")
    assert (await releasing.approve("FG-1000", lot_id, approver="qa.lee")).status_code == 200
    state = await releasing.wait_for_status("FG-1000", lot_id, "released")
    response = await releasing.certificate("FG-1000", lot_id)
    assert response.status_code == 200, response.text
    return state, response.text


async def test_a_lot_used_as_is_shows_the_nonconformance_and_does_not_conform(
    plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    _, hold_state = await on_hold(plant, "6100001", "B6100001")
    nc_id = hold_state["holds"][-1]["nonconformance_id"]
    body = disposition(hold_state, "use_as_is", approver="qa.ortiz")
    assert (await plant.approve("6100001", body)).status_code == 200
    await plant.wait_for_saga("6100001", lambda s: s["quality_status"] == "use_as_is", "used")
    await plant.finish_line("6100001", "B6100001")
    await plant.wait_for_stage("6100001", "completed")

    state, html = await release_and_read_certificate(releasing, "B6100001")
    assert [d["nonconformance_id"] for d in state["deviations"]] == [nc_id]
    assert state["deviations"][0]["disposition"] == "use_as_is"
    assert CONFORMS not in html
    assert "The lot does not conform to its specification." in html
    for expected in (nc_id, "use as is", "qa.ortiz", "VISC 15500", body["reason"]):
        assert expected in html, expected


async def test_a_reworked_lot_shows_its_deviation_and_the_passing_reinspection(
    plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    _, hold_state = await on_hold(plant, "6100002", "B6100002")
    nc_id = hold_state["holds"][-1]["nonconformance_id"]
    body = disposition(hold_state, "rework", approver="qa.ortiz")
    assert (await plant.approve("6100002", body)).status_code == 200
    await plant.wait_for_saga("6100002", lambda s: s["quality_status"] == "in_rework", "rework")
    await plant.measure("6100002", "S2", Decimal("12100"))
    await plant.wait_for_saga("6100002", lambda s: s["quality_status"] == "in_tolerance", "ok")
    await plant.finish_line("6100002", "B6100002")
    await plant.wait_for_stage("6100002", "completed")

    state, html = await release_and_read_certificate(releasing, "B6100002")
    assert state["deviations"][0]["reinspection_passed"] is True
    for expected in (nc_id, "rework, re-inspection passed", "qa.ortiz"):
        assert expected in html, expected
    assert f"{CONFORMS} after rework and re-inspection (nonconformance {nc_id})" in html
