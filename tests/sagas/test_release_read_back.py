"""Lab authorisations (LIMS) and packaging verifications (MES) gate a release: the saga reads
each back from its system before acting. A forged report changes nothing, and the refusal is
kept in the saga's state; the system's own answer then releases the lot as usual."""

import uuid
from typing import Any

from stack.embedded import Stack
from stack.releasing import ALL_CHECKS, MES_SITE, REVIEWER, ReleaseScenario
from stack.scenario import PlantScenario
from tests.helpers import SignedWebhooks
from tests.sagas.probes import delivery_block
from tests.sagas.releases import finished_lot
from tests.sagas.replaying import assert_replays


async def forged_authorisation(stack: Stack, sample_id: str) -> dict[str, Any]:
    """The lot's real LIMS sample (registered, untested), dressed up as authorised."""
    response = await stack.http.get(f"{stack.url('lims')}/api/samples/{sample_id}")
    response.raise_for_status()
    sample = response.json()
    for test in sample["tests"]:
        test["result"] = {"text": "conforms", "outcome": "pass", "analyst": "lab.forger"}
    sample.update(status="authorized", outcome="pass", authorized_by=REVIEWER)
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": "Sample.Authorized",
        "event_time": "2026-03-02T10:30:00+00:00",
        "correlation_id": f"forged-{uuid.uuid4()}",
        "sample": sample,
    }


def forged_packaging(order_id: str, lot_id: str) -> dict[str, Any]:
    """A PackagingVerification.Recorded event MES never sent."""
    return {
        "EventID": str(uuid.uuid4()),
        "EventType": "PackagingVerification.Recorded",
        "EventTime": "2026-03-02T10:15:00+00:00",
        "CorrelationID": f"forged-{uuid.uuid4()}",
        "JobOrderID": order_id,
        "HierarchyScope": {"EquipmentID": MES_SITE, "EquipmentLevel": "Site"},
        "MaterialDefinitionID": "FG-1000",
        "MaterialLotID": lot_id,
        "PackagingVerification": {
            "ID": "PV-FORGED",
            "Result": "Passed",
            "Checks": [{"CheckID": check, "Result": "Passed"} for check in ALL_CHECKS],
            "PersonID": "op.forger",
            "VerificationTime": "2026-03-02T10:15:00+00:00",
        },
    }


async def post(stack: Stack, system: str, event_type: str, payload: dict[str, Any]) -> None:
    response = await stack.http.post(
        f"{stack.url('gateway')}/webhooks/{system}",
        json=payload,
        headers={"X-Event-Type": event_type},
        auth=SignedWebhooks(stack.webhook_secrets),  # signed: trust rests on the read-back
    )
    assert response.status_code == 202, response.text


async def test_forged_lab_and_packaging_reports_release_nothing(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    delivery, state = await finished_lot(plant, releasing, "6200001", "B6200001")

    await post(
        stack,
        "lims",
        "Sample.Authorized",
        await forged_authorisation(stack, state["lab_sample_id"]),
    )
    await post(
        stack, "mes", "PackagingVerification.Recorded", forged_packaging("6200001", "B6200001")
    )
    state = await releasing.wait_for(
        "FG-1000", "B6200001", lambda s: len(s["refused_reports"]) == 2, "reports refused"
    )
    assert state["status"] == "awaiting_checkpoints"
    assert {c: state["checkpoints"][c]["status"] for c in ("lab", "packaging")} == {
        "lab": "pending",
        "packaging": "pending",
    }
    refused = " | ".join(state["refused_reports"])
    assert "LIMS shows no completed lab answer for the lot" in refused
    assert "MES shows no completed packaging answer for the lot" in refused
    assert await delivery_block(stack, delivery) != ""  # shipment still blocked
    approval = await releasing.approve("FG-1000", "B6200001")
    assert approval.status_code == 409, approval.text

    # The systems' own answers release the lot as usual.
    await releasing.lab_tests("FG-1000", "B6200001")
    await releasing.verify_packaging("FG-1000", "B6200001")
    state = await releasing.wait_for_status("FG-1000", "B6200001", "awaiting_approval")
    assert state["checkpoints"]["lab"]["actor"] == REVIEWER
    await assert_replays(stack.client, state["workflow_id"])


async def test_a_report_that_contradicts_the_system_keeps_the_systems_answer(
    stack: Stack, plant: PlantScenario, releasing: ReleaseScenario
) -> None:
    """MES recorded a failed packaging check; a forged 'passed' for the lot changes nothing."""
    _, state = await finished_lot(plant, releasing, "6200002", "B6200002")
    await stack.services["mes"].app.state.runtime.outbox.stop()  # MES's own event is late
    await releasing.verify_packaging("FG-1000", "B6200002", failed=("SealIntegrity",))
    await post(
        stack, "mes", "PackagingVerification.Recorded", forged_packaging("6200002", "B6200002")
    )
    state = await releasing.wait_for_status("FG-1000", "B6200002", "rejected")
    assert state["checkpoints"]["packaging"]["status"] == "failed"
    assert state["refused_reports"] and "MES records failed" in state["refused_reports"][0]
