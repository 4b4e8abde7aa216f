"""The plant backlog on the real dev server, with real sagas in each state: a lot on hold
(overdue), a step parked on ERP, a receipt awaiting inspection, a release waiting for its
checkpoints, and an order not dispatched because MES is down; read from visibility by
``monitoring.backlog`` and over the gateway's ``GET /backlog``."""

from datetime import UTC, datetime
from typing import Any

from stack.demo import DEMO_PO, walk_order
from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from stack.scenario import PlantScenario
from stack.waiting import poll_until
from tests.e2e.conftest import urls
from tests.sagas.flows import on_hold, parked_on_confirmation
from workflows import search_attributes as sa

JOB_ORDERS = "/api/v1/sites/SPRINGFIELD/job-orders"


async def backlog_of(stack: Stack, user: str = "sup.king", **params: str) -> Any:
    response = await stack.http.get(
        f"{stack.url('gateway')}/backlog", params=params, headers=await stack.idp.headers(user)
    )
    return response


async def test_backlog_counts_and_ages_each_kind_of_waiting_saga(monitored_stack: Stack) -> None:
    stack = monitored_stack
    started = datetime.now(UTC)
    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    await walk_order(plant, "3400003", "B3400003", lambda _: None)  # its release now waits
    _, held = await on_hold(plant, "3400001", "B3400001")
    await parked_on_confirmation(stack, plant, "3400002")
    receiving = ReceivingScenario(stack.http, plant.urls, people=stack.idp)
    await receiving.receive(DEMO_PO, "B5400001", 20, "KG")
    await receiving.wait_for_status("RM-200", "B5400001", "awaiting_results")
    fault = {"kind": "unavailable", "seconds": 600, "path_prefix": JOB_ORDERS}
    (await stack.http.post(f"{stack.url('mes')}/admin/faults", json=fault)).raise_for_status()
    await plant.new_order("3400004", "B3400004")
    await plant.release("3400004")
    await plant.wait_for_saga("3400004", lambda s: bool(s.get("waiting")), "waiting on MES")
    await plant.wait_for_saga("3400001", lambda s: bool(s["holds"][-1]["escalated_at"]), "late")

    async def figures() -> dict[str, Any]:
        response = await backlog_of(stack, plant="P100")
        assert response.status_code == 200, response.text
        [p100] = response.json()
        return dict(p100)

    def settled(p: dict[str, Any]) -> bool:
        return bool(p["waiting_on"]) and p["dispositions_overdue"]["count"] == 1

    p100 = await poll_until(figures, settled, "every figure in visibility")
    assert p100["plant"] == "P100"
    assert p100["lots_on_hold"]["count"] == 1
    hold_since = datetime.fromisoformat(p100["lots_on_hold"]["oldest_since"])
    assert hold_since == datetime.fromisoformat(held["holds"][-1]["placed_at"])
    assert p100["dispositions_overdue"]["oldest_since"] == p100["lots_on_hold"]["oldest_since"]
    assert p100["steps_parked"]["count"] == 1
    assert list(p100["parked_by_system"]) == ["erp"]
    assert p100["parked_by_error"] == {"SystemUnavailable": 1}
    assert p100["parked_by_step"] == {"erp: confirm operation 0020": 1}
    assert p100["parked_sagas_read"] == 1
    assert p100["failures_24h"]["parked_by_system"] == {"erp": 1}
    assert p100["failures_24h"]["failed_runs_by_type"] == {}
    assert p100["receipts_awaiting_inspection"]["count"] == 1
    assert p100["releases_pending_checkpoints"]["count"] == 1
    assert set(p100["pending_by_checkpoint"]) <= {"lab", "packaging", "approval"}
    assert p100["pending_by_checkpoint"]["lab"] == 1
    assert p100["orders_not_dispatched"]["count"] == 1
    assert list(p100["waiting_on"]) == ["MES"] and p100["waiting_on"]["MES"]["count"] == 1
    for name in (
        "orders_not_dispatched",
        "lots_on_hold",
        "steps_parked",
        "releases_pending_checkpoints",
    ):
        figure = p100[name]
        assert started <= datetime.fromisoformat(figure["oldest_since"]) <= datetime.now(UTC)
        assert figure["oldest_age_seconds"] > 0

    # The saga's own attributes carry the times the figures come from.
    handle = stack.client.get_workflow_handle("production-order-P100-3400001")
    attrs = (await handle.describe()).typed_search_attributes
    assert attrs.get(sa.HOLD_SINCE) == hold_since
    waiting = await stack.client.get_workflow_handle("production-order-P100-3400004").describe()
    assert waiting.typed_search_attributes.get(sa.WAITING_SINCE) is not None


async def test_backlog_is_for_the_plants_people_only(monitored_stack: Stack) -> None:
    stack = monitored_stack
    mine = await backlog_of(stack)
    assert mine.status_code == 200
    assert [p["plant"] for p in mine.json()] == ["P100"]  # sup.king belongs to P100 only
    assert [p["plant"] for p in (await backlog_of(stack, "qa.lee")).json()] == ["P100", "P200"]
    other = await backlog_of(stack, plant="P200")
    assert other.status_code == 403 and other.json()["detail"]["error"] == "not_in_plant"
    assert (await backlog_of(stack, plant="P999")).status_code == 404
    bad = await backlog_of(stack, plant="P1' OR 'x")
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "Plant"
    anonymous = await stack.http.get(f"{stack.url('gateway')}/backlog")
    assert anonymous.status_code == 401
    empty = (await backlog_of(stack, plant="P100")).json()[0]
    assert empty["lots_on_hold"] == {"count": 0, "oldest_since": None, "oldest_age_seconds": None}
