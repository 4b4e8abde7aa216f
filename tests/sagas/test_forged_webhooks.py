"""A forged chain changes nothing: after a genuine ERP release, unsigned (or wrongly signed)
MES and QMS events that would issue material, confirm, record a failed sample, complete the
job and accept a result are each a 401, and no system's ledger nor the saga moves."""

import json
import uuid
from collections import Counter
from typing import Any

import httpx
from temporalio.api.enums.v1 import EventType

from gateway.webhook_auth import new_secret
from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.gateway.support import qms_result_recorded
from tests.helpers import signature_headers
from tests.mes.test_event_parser import payload as mes_payload
from tests.sagas.flows import released

ORDER, LOT = "2000071", "B2000171"
FORGED_MES = [
    "MaterialActual.Recorded",
    "SegmentResponse.Recorded",
    "TestResult.Recorded",
    "JobResponse.Completed",
]


def forged_mes(event_type: str, correlation_id: str) -> dict[str, Any]:
    """A well-formed MES event for the running order, as a forger would write it."""
    event = mes_payload(event_type)
    event.update(EventID=str(uuid.uuid4()), JobOrderID=ORDER, CorrelationID=correlation_id)
    event["MaterialLotID"] = LOT
    return event


async def post(
    stack: Stack, route: str, event: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    return await stack.http.post(
        f"{stack.url('gateway')}/webhooks/{route}",
        content=json.dumps(event).encode(),
        headers={"content-type": "application/json", "X-Event-Type": event["EventType"], **headers},
    )


async def everything(stack: Stack, plant: PlantScenario, wf_id: str) -> dict[str, Any]:
    """What a user would compare: each system's ledger and the saga's state and signals."""
    history = await stack.client.get_workflow_handle(wf_id).fetch_history()
    signalled = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
    return {
        system: Counter(row["action"] for row in await plant.ledger(system))
        for system in ("erp", "mes", "qms")
    } | {
        "saga": await plant.saga(ORDER),
        "signals": sum(1 for e in history.events if e.event_type == signalled),
    }


async def test_a_forged_chain_after_a_genuine_release_changes_nothing(
    stack: Stack, plant: PlantScenario
) -> None:
    await released(plant, ORDER, LOT)  # genuine: ERP's outbox signed the release
    state = await plant.saga(ORDER)
    before = await everything(stack, plant, state["workflow_id"])
    correlation = state["correlation_id"]

    for event_type in FORGED_MES:
        event = forged_mes(event_type, correlation)
        unsigned = await post(stack, "mes", event, {})
        assert unsigned.status_code == 401, unsigned.text
        assert unsigned.json()["detail"]["error"] == "WebhookUnsigned"
        wrong_key = signature_headers(new_secret(), json.dumps(event).encode())
        forged = await post(stack, "mes", event, wrong_key)
        assert forged.status_code == 401, forged.text
        assert forged.json()["detail"]["error"] == "WebhookSignatureMismatch"
    result = {
        **qms_result_recorded(ORDER),
        "CorrelationID": correlation,
        "EventType": "Result.Recorded",
    }
    for _ in range(13):  # the thirteen forged results of the issue
        response = await post(stack, "qms", {**result, "EventID": str(uuid.uuid4())}, {})
        assert response.status_code == 401, response.text

    after = await everything(stack, plant, state["workflow_id"])
    assert after == before
    assert after["saga"]["stage"] == "in_progress"
    assert after["erp"]["goods_movement 261"] == 0 and after["erp"]["goods_movement 101"] == 0
