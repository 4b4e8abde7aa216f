"""Operator actions across lanes: a compensation chosen while the quality lane waits for a
disposition stops both lanes; a supervisor exception is acknowledged and closed."""

from decimal import Decimal

from stack.embedded import Stack
from stack.scenario import OPERATOR, SITE, PlantScenario
from stack.waiting import poll_until
from tests.sagas.flows import parked_on_confirmation, released, resolve
from tests.sagas.probes import erp_postings, mes_state
from workflows import search_attributes as sa


async def test_compensation_stops_both_lanes_while_a_disposition_is_awaited(
    stack: Stack, plant: PlantScenario
) -> None:
    order = "2000043"
    await parked_on_confirmation(stack, plant, order)
    await plant.measure(order, "S1", Decimal("15500"))
    state = await plant.wait_for_saga(order, lambda s: s["awaiting_disposition"], "on hold")
    assert state["attention"] is not None

    response = await resolve(plant, order, "compensate", "sup.king", "order cancelled by planning")
    assert response.status_code == 200, response.text
    state = await plant.wait_for_stage(order, "compensated")
    assert "sup.king chose to compensate: order cancelled by planning" in state["reason"]
    assert state["parked"] == [] and not state["awaiting_disposition"]
    assert all(p["reversed"] for p in state["postings"])
    correlation = state["correlation_id"]
    assert len(await erp_postings(plant, "goods_movement 262", correlation)) == 2
    assert len(await erp_postings(plant, "confirmation_cancel", correlation)) == 1
    assert await mes_state(plant, order) == "Aborted"
    late = await plant.approve(
        order,
        {
            "nonconformance_id": state["holds"][-1]["nonconformance_id"],
            "decision": "use_as_is",
            "approver": "qa.lee",
            "reason": "too late: the order is compensated",
        },
    )
    assert late.status_code == 404  # the saga has finished


async def test_a_supervisor_exception_is_acknowledged_and_closed(
    stack: Stack, plant: PlantScenario
) -> None:
    order = "2000044"
    await released(plant, order, "B2000144")
    await plant.line.start_job(SITE, order, OPERATOR)
    await plant.line.consume_material(
        SITE, order, "RM-200", "B2000002", 1000, "g", "SEG-MIX", OPERATOR
    )
    state = await plant.wait_for_saga(order, lambda s: bool(s["exceptions"]), "exception")
    exception = state["exceptions"][0]
    assert (exception["id"], exception["kind"]) == ("exception-1", "LotBlocked")
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    assert (await handle.describe()).typed_search_attributes.get(sa.NEEDS_ATTENTION) is True

    refused = await resolve(plant, order, "acknowledge", OPERATOR, "seen it")
    assert refused.status_code == 403  # a line operator may not resolve: refused at the gateway
    refused = await resolve(plant, order, "acknowledge", "qa.ortiz", "seen it")
    assert refused.status_code == 403
    assert "quality_manager, supervisor" in refused.json()["detail"]["message"]
    nothing = await resolve(plant, order, "retry", "sup.king", "retry what?")
    assert nothing.status_code == 409  # no parked step: an exception is acknowledged
    assert "no step waiting" in nothing.json()["detail"]["message"]

    response = await resolve(
        plant,
        order,
        "acknowledge",
        "sup.king",
        "lot B2000002 stays blocked; line uses B2000001",
        attention_id="exception-1",
    )
    assert response.status_code == 200, response.text
    assert response.json()["open_exceptions"] == 0
    state = await plant.saga(order)
    closed = state["exceptions"][0]
    assert closed["acknowledged_by"] == "sup.king" and closed["acknowledged_at"]
    assert closed["acknowledgement"] == "lot B2000002 stays blocked; line uses B2000001"
    assert state["operator_actions"][-1]["action"] == "acknowledge"
    await poll_until(
        handle.describe,
        lambda d: d.typed_search_attributes.get(sa.NEEDS_ATTENTION) is False,
        "NeedsAttention cleared",
    )
    again = await resolve(plant, order, "acknowledge", "sup.king", "twice")
    assert again.status_code == 409
    assert "no open supervisor exception" in again.json()["detail"]["message"]
