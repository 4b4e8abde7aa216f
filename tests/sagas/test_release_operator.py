"""The shared operator desk on a finished-goods release: a lab request parked on a LIMS
outage is shown and retried through the routes every saga shares."""

from decimal import Decimal

from stack.embedded import Stack
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from tests.sagas.flows import outlast_outage
from workflows.finished_goods import workflow_id


async def test_a_parked_lab_request_is_shown_refused_a_skip_and_retried(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    order, lot = "2000046", "B2000046"
    lims = f"{stack.url('lims')}/admin/faults"
    await plant.new_order(order, lot)
    await plant.release(order)
    await plant.wait_for_stage(order, "in_progress")
    await plant.start_and_mix(order)
    await plant.measure(order, "S1", Decimal("12000"))
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": "/"}
    (await stack.http.post(lims, json=fault)).raise_for_status()
    await plant.finish_line(order, lot)
    await outlast_outage(stack, lambda: releasing.state("FG-1000", lot))
    state = await releasing.wait_for_status("FG-1000", lot, "needs_attention")
    assert state["attention"]["system"] == "lims"

    wf_id = workflow_id("P100", "FG-1000", lot)
    desk = f"{stack.url('gateway')}/attention/sagas/{wf_id}"
    as_qa = await stack.idp.headers("qa.lee")
    shown = (await stack.http.get(desk, headers=as_qa)).json()
    assert [p["step"] for p in shown["parked"]] == ["request lab testing in LIMS"]

    body = {"action": "skip", "reason": "lab works on paper today"}
    refused = await stack.http.post(
        f"{stack.url('gateway')}/releases/P100/FG-1000/{lot}/attention", json=body, headers=as_qa
    )
    assert refused.status_code == 409
    assert "cannot be skipped" in refused.json()["detail"]["message"]

    (await stack.http.delete(lims)).raise_for_status()
    body = {"action": "retry", "reason": "LIMS is back", "system": "lims"}
    retried = await stack.http.post(desk, json=body, headers=as_qa)
    assert retried.status_code == 200, retried.text
    assert retried.json()["targets"] == [f"{state['attention']['id']} request lab testing in LIMS"]
    state = await releasing.wait_for_status("FG-1000", lot, "awaiting_checkpoints")
    assert state["lab_sample_id"]
    trail = [(e["actor"], e["action"], e["detail"]) for e in state["audit"]]
    assert ("qa.lee", "retry", "LIMS is back") in trail
    assert [a["action"] for a in state["operator_actions"]] == ["retry"]
